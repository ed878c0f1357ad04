package dev.wasched.whatsapp.internal;

/**
 * The JavaScript the transport runs in WhatsApp Web's page. Each is one self-contained function of one argument
 * {@code a} (with the selector profile in {@code a.S}, key to candidate list) that returns a JSON string, or
 * {@code false} to keep a {@code waitForFunction} waiting. Each starts with the readers of {@link PageExtractors}
 * ({@code X}): {@code first(key)} / {@code all(key)} try a key's candidates in order, and acks, message ids, pairing
 * codes and popup texts are read by typed extractors rather than compared as strings here. Nothing is installed in
 * the page, so nothing outlives a call; the only trace is {@code window.__waschedMark}, which tells a page that
 * reloaded from one that did not.
 */
final class PageScripts {
    private PageScripts() {
    }

    private static final String PRELUDE = """
            const S = a.S;
            const q = (sel, root) => { try { return (root || document).querySelector(sel); } catch (e) { return null; } };
            const first = X.first, all = X.all;
            const norm = (t) => (t || '').replace(/\\u00a0/g, ' ').replace(/\\r\\n?/g, '\\n').trim();
            const statusOf = (b) => X.ackToken(X.ackState(b));
            const textOf = (b) => { const t = first('messageText', b); return t ? norm(t.textContent) : ''; };
            const mediaOf = (b) => { const m = first('messageMediaName', b); return m ? X.attr(m, 'messageMediaNameAttribute') : null; };
            const idOf = (b) => X.messageId(b);
            """;

    private static String fn(String body) {
        return PageExtractors.function(PRELUDE + body);
    }

    /** What the page shows: screen, QR payload, pairing code, popup text, and the status icon of every bubble. */
    static final String SNAPSHOT = fn("""
            const out = { screen: 'unknown', popup: null, chatOpen: false, bubbles: {} };
            const popup = first('invalidNumberPopup');
            if (popup) out.popup = norm(popup.innerText);
            const code = first('pairingCode');
            const qr = first('qrCode');
            if (first('chatList')) {
              out.screen = 'main';
              out.chatOpen = !!first('openChat');
              for (const b of all('outgoingMessage')) out.bubbles[idOf(b)] = statusOf(b);
            } else if (first('loadingScreen')) {
              out.screen = 'loading';
            } else if (code) {
              out.screen = 'pairing';
              out.code = X.pairingCode(code) || X.attr(code, 'pairingCodeAttribute') || norm(code.innerText);
            } else if (first('phoneNumberInput')) {
              out.screen = 'phone-entry';
            } else if (qr) {
              out.screen = 'qr';
              out.qr = X.attr(qr, 'qrCodeAttribute') || '';
              out.qrExpired = !!first('qrReloadButton');
            }
            out.mark = window.__waschedMark || null;
            return JSON.stringify(out);
            """);

    /**
     * Waits for a chat to open (compose box, and the title when {@code a.title} is set), the invalid-number popup, or
     * the login screen.
     */
    static final String CHAT_OPENED = fn("""
            const popup = first('invalidNumberPopup');
            if (popup) {
              const t = norm(popup.innerText);
              if (X.popupMeaning(t) === 'invalidNumber') return JSON.stringify({ kind: 'invalid', text: t });
            }
            if (first('openChat') && first('composeBox') && (!a.title || q(a.title))) return JSON.stringify({ kind: 'chat' });
            if (first('qrCode') || first('phoneNumberInput') || first('pairingCode')) return JSON.stringify({ kind: 'login' });
            return false;
            """);

    /** Waits for the chat list or the login screen. */
    static final String MAIN_OR_LOGIN = fn("""
            if (first('chatList') && !first('loadingScreen')) return JSON.stringify({ kind: 'main' });
            if (first('qrCode') || first('phoneNumberInput') || first('pairingCode')) return JSON.stringify({ kind: 'login' });
            return false;
            """);

    /** Every outgoing bubble in the open chat, oldest first. */
    static final String OUTGOING = fn("""
            return JSON.stringify(all('outgoingMessage').map(b => ({ id: idOf(b), icon: statusOf(b), text: textOf(b), media: mediaOf(b) })));
            """);

    /**
     * Follows a bubble after the send action. Without {@code a.pendingId}: returns the first new bubble, the first
     * one after the last of {@code a.before} (the bubbles there before the action) that is not one of them, whatever
     * its text (the caller checks the text softly). With it: returns once that bubble's icon is an accepted one.
     * Returns {@code reloaded} when the page lost its mark, {@code vanished} when the followed bubble is gone.
     */
    static final String CONFIRM = fn("""
            if (window.__waschedMark !== a.mark) return JSON.stringify({ reloaded: true });
            const rows = all('outgoingMessage');
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
