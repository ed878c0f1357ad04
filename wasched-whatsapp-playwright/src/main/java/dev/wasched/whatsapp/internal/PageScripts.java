package dev.wasched.whatsapp.internal;

/**
 * The JavaScript the transport runs in WhatsApp Web's page. Each is one self-contained function of one argument
 * {@code a} (with the selector profile in {@code a.S}) that returns a JSON string, or {@code false} to keep a
 * {@code waitForFunction} waiting. Nothing is installed in the page, so nothing outlives a call; the only trace is
 * {@code window.__waschedMark}, which tells a page that reloaded from one that did not.
 */
final class PageScripts {
    private PageScripts() {
    }

    private static final String PRELUDE = """
            const S = a.S;
            const q = (sel, root) => { try { return (root || document).querySelector(sel); } catch (e) { return null; } };
            const qa = (sel, root) => { try { return Array.from((root || document).querySelectorAll(sel)); } catch (e) { return []; } };
            const norm = (t) => (t || '').replace(/\\u00a0/g, ' ').replace(/\\r\\n?/g, '\\n').trim();
            const icons = [S.iconPending, S.iconSent, S.iconDelivered, S.iconRead];
            const statusOf = (b) => {
              let found = null;
              for (const i of qa(S.messageStatusIcon, b)) {
                const v = i.getAttribute(S.statusIconAttribute);
                if (icons.includes(v)) found = v;
              }
              return found;
            };
            const textOf = (b) => { const t = q(S.messageText, b); return t ? norm(t.textContent) : ''; };
            const mediaOf = (b) => { const m = q(S.messageMediaName, b); return m ? m.getAttribute(S.messageMediaNameAttribute) : null; };
            const idOf = (b) => b.getAttribute(S.messageIdAttribute);
            """;

    private static String fn(String body) {
        return "(a) => {\n" + PRELUDE + body + "\n}";
    }

    /** What the page shows: screen, QR payload, pairing code, popup text, and the status icon of every bubble. */
    static final String SNAPSHOT = fn("""
            const out = { screen: 'unknown', popup: null, chatOpen: false, bubbles: {} };
            const popup = q(S.invalidNumberPopup);
            if (popup) out.popup = norm(popup.innerText);
            const code = q(S.pairingCode);
            const qr = q(S.qrCode);
            if (q(S.chatList)) {
              out.screen = 'main';
              out.chatOpen = !!q(S.openChat);
              for (const b of qa(S.outgoingMessage)) out.bubbles[idOf(b)] = statusOf(b);
            } else if (q(S.loadingScreen)) {
              out.screen = 'loading';
            } else if (code) {
              out.screen = 'pairing';
              out.code = code.getAttribute(S.pairingCodeAttribute) || norm(code.innerText);
            } else if (q(S.phoneNumberInput)) {
              out.screen = 'phone-entry';
            } else if (qr) {
              out.screen = 'qr';
              out.qr = qr.getAttribute(S.qrCodeAttribute) || '';
              out.qrExpired = !!q(S.qrReloadButton);
            }
            out.mark = window.__waschedMark || null;
            return JSON.stringify(out);
            """);

    /**
     * Waits for a chat to open (compose box, and the title when {@code a.title} is set), the invalid-number popup, or
     * the login screen.
     */
    static final String CHAT_OPENED = fn("""
            const popup = q(S.invalidNumberPopup);
            if (popup) {
              const t = norm(popup.innerText);
              if (t.includes(S.invalidNumberText)) return JSON.stringify({ kind: 'invalid', text: t });
            }
            if (q(S.openChat) && q(S.composeBox) && (!a.title || q(a.title))) return JSON.stringify({ kind: 'chat' });
            if (q(S.qrCode) || q(S.phoneNumberInput) || q(S.pairingCode)) return JSON.stringify({ kind: 'login' });
            return false;
            """);

    /** Waits for the chat list or the login screen. */
    static final String MAIN_OR_LOGIN = fn("""
            if (q(S.chatList) && !q(S.loadingScreen)) return JSON.stringify({ kind: 'main' });
            if (q(S.qrCode) || q(S.phoneNumberInput) || q(S.pairingCode)) return JSON.stringify({ kind: 'login' });
            return false;
            """);

    /** Every outgoing bubble in the open chat, oldest first. */
    static final String OUTGOING = fn("""
            return JSON.stringify(qa(S.outgoingMessage).map(b => ({ id: idOf(b), icon: statusOf(b), text: textOf(b), media: mediaOf(b) })));
            """);

    /**
     * Follows a bubble after the send action. Without {@code a.pendingId}: returns the first new bubble, the first
     * one after the last of {@code a.before} (the bubbles there before the action) that is not one of them, whatever
     * its text (the caller checks the text softly). With it: returns once that bubble's icon is an accepted one.
     * Returns {@code reloaded} when the page lost its mark, {@code vanished} when the followed bubble is gone.
     */
    static final String CONFIRM = fn("""
            if (window.__waschedMark !== a.mark) return JSON.stringify({ reloaded: true });
            const rows = qa(S.outgoingMessage);
            let found = null;
            if (a.pendingId) {
              found = rows.find(b => idOf(b) === a.pendingId) || null;
            } else {
              const last = a.before.length ? a.before[a.before.length - 1] : null;
              let start = 0;
              if (last !== null) {
                const at = rows.findIndex(b => idOf(b) === last);
                start = at < 0 ? 0 : at + 1;
              }
              for (let i = start; i < rows.length; i++) {
                if (!a.before.includes(idOf(rows[i]))) { found = rows[i]; break; }
              }
            }
            if (!found) return a.pendingId ? JSON.stringify({ vanished: true }) : false;
            const icon = statusOf(found);
            const out = { id: idOf(found), icon: icon, text: textOf(found), media: mediaOf(found) };
            if (a.accepted.includes(icon)) { out.accepted = true; return JSON.stringify(out); }
            if (!a.pendingId) { out.accepted = false; return JSON.stringify(out); }
            return false;
            """);

    /** One {@code localStorage} item ({@code a} is its key), or null. */
    static final String LOCAL_STORAGE_ITEM = "(k) => { try { return window.localStorage.getItem(k); } catch (e) { return null; } }";

    /** The text in an editable box ({@code a.sel}), or null when there is no such box. */
    static final String EDITABLE_TEXT = fn("""
            const el = q(a.sel);
            return JSON.stringify(el ? norm(el.innerText) : null);
            """);

    /** Marks the current document, so a reload (which forgets the mark) can be told apart. */
    static final String MARK = "(m) => { window.__waschedMark = m; }";
}
