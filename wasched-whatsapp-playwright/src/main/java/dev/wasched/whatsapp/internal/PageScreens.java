package dev.wasched.whatsapp.internal;

import com.microsoft.playwright.Page;
import dev.wasched.whatsapp.SelectorProfile;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The screens WhatsApp Web puts between the transport and the chats, read from the page by the profile's texts
 * (several wordings each) rather than by one element, because they differ between releases and cohorts: the passkey
 * step, "What's new" dialogs, "WhatsApp is open in another window", the restricted-account banner, the offline and
 * reconnecting banners, and the "Stay logged in" box of the QR page. Browser thread only.
 */
public final class PageScreens {
    /** What the page shows now. {@code offline} holds the banner's text, or null. */
    public record Seen(boolean passkey, boolean whatsNew, boolean conflict, boolean restricted, String offline,
                       Boolean stayLoggedIn, boolean composeBox) {
        /** Whether nothing stands between the transport and the chats. */
        public boolean clear() {
            return !passkey && !whatsNew && !conflict && !restricted && offline == null;
        }
    }

    /** Shown on screen; says one of a text key's wordings (its text, or its label for a button). */
    private static final String HELPERS = """
            const visible = (el) => !!el && el.getClientRects().length > 0
                && getComputedStyle(el).visibility !== 'hidden';
            const says = (el, key) => {
              const t = X.normText(el.innerText || el.textContent || el.getAttribute('aria-label'));
              return !!t && X.list(key).some(w => X.normText(w) && t.includes(X.normText(w)));
            };
            """;

    private static final String READ = PageExtractors.function(HELPERS + """
            const out = { passkey: false, whatsNew: false, conflict: false, restricted: false, offline: null,
                          stayLoggedIn: null, composeBox: !!X.first('composeBox') };
            for (const d of X.union('modalDialog').filter(visible)) {
              if (says(d, 'conflictText')) out.conflict = true;
              else if (says(d, 'passkeyText')) out.passkey = true;
              else if (says(d, 'whatsNewText')) out.whatsNew = true;
            }
            for (const b of X.union('statusBanner').filter(visible)) {
              if (says(b, 'restrictedText')) out.restricted = true;
              else if (says(b, 'offlineText')) out.offline = String(b.innerText || b.textContent).trim().slice(0, 120);
            }
            for (const label of Array.from(document.querySelectorAll('label')).filter(visible)) {
              if (!says(label, 'stayLoggedInText')) continue;
              const box = label.querySelector('input[type="checkbox"]')
                  || (label.htmlFor ? document.getElementById(label.htmlFor) : null);
              if (box) out.stayLoggedIn = !!box.checked;
            }
            return out;
            """);

    /**
     * Marks the element to click with {@code a.mark}: a button of the dialog that says {@code a.dialogKey}, found by
     * the key {@code a.buttonKey} (a selector key) or by its text ({@code a.textKey}); or the "Stay logged in" box.
     */
    private static final String MARK = PageExtractors.function(HELPERS + """
            let target = null;
            if (a.what === 'stayLoggedIn') {
              for (const label of Array.from(document.querySelectorAll('label')).filter(visible)) {
                if (says(label, 'stayLoggedInText')) {
                  target = label.querySelector('input[type="checkbox"]') || label;
                  break;
                }
              }
            } else {
              for (const d of X.union('modalDialog').filter(visible)) {
                if (!says(d, a.dialogKey)) continue;
                const buttons = Array.from(d.querySelectorAll('button, [role="button"]')).filter(visible);
                target = buttons.find(b => says(b, a.textKey))
                    || (a.buttonKey ? X.all(a.buttonKey, d).find(visible) : null) || null;
                if (target) break;
              }
            }
            if (!target) return false;
            target.setAttribute('data-wasched-click', a.mark);
            return true;
            """);

    private final Page page;
    private final Map<String, Object> profileArg;

    public PageScreens(Page page, SelectorProfile profile) {
        this.page = page;
        this.profileArg = Map.of("S", profile.asCandidateMap());
    }

    public Seen read() {
        @SuppressWarnings("unchecked")
        Map<String, Object> r = (Map<String, Object>) page.evaluate(READ, profileArg);
        Object stay = r.get("stayLoggedIn");
        return new Seen(Boolean.TRUE.equals(r.get("passkey")), Boolean.TRUE.equals(r.get("whatsNew")),
                Boolean.TRUE.equals(r.get("conflict")), Boolean.TRUE.equals(r.get("restricted")),
                (String) r.get("offline"), stay == null ? null : (Boolean) stay,
                Boolean.TRUE.equals(r.get("composeBox")));
    }

    /** Closes a "What's new"-style dialog (its Close button, or one that says Continue / OK); false when none. */
    public boolean dismissWhatsNew() {
        return click("dialog", "whatsNewText", "dismissText", "dialogCloseButton");
    }

    /** Presses "Use here" on the "open in another window" dialog; false when it is not there. */
    public boolean useHere() {
        return click("dialog", "conflictText", "useHereText", null);
    }

    /** Ticks "Stay logged in" on the QR page; false when the box is not there. */
    public boolean keepLoggedIn() {
        return click("stayLoggedIn", null, null, null);
    }

    private boolean click(String what, String dialogKey, String textKey, String buttonKey) {
        String mark = UUID.randomUUID().toString();
        Map<String, Object> a = new HashMap<>(profileArg);
        a.put("what", what);
        a.put("dialogKey", dialogKey);
        a.put("textKey", textKey);
        a.put("buttonKey", buttonKey);
        a.put("mark", mark);
        if (!Boolean.TRUE.equals(page.evaluate(MARK, a))) {
            return false;
        }
        // A real click, as a person's: WhatsApp Web's handlers see a trusted event.
        page.locator("[data-wasched-click=\"" + mark + "\"]").first().click(new com.microsoft.playwright.Locator
                .ClickOptions().setTimeout(5_000));
        return true;
    }
}
