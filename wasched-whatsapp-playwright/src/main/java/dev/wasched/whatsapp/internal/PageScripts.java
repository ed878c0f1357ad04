package dev.wasched.whatsapp.internal;

/**
 * The JavaScript the transport runs in WhatsApp Web's page. Each is one self-contained function of one argument
 * {@code a} (with the selector profile in {@code a.S}, key to candidate list) that returns a JSON string, or
 * {@code false} to keep a {@code waitForFunction} waiting. Each starts with the readers of {@link PageExtractors}
 * ({@code X}): {@code first(key)} / {@code all(key)} try a key's candidates in order, and acks, message ids, pairing
 * codes and popup texts are read by typed extractors rather than compared as strings here. Two things outlive a
 * call: {@code window.__waschedMark}, which tells a page that reloaded from one that did not, and, where received
 * messages are read through the interface, the watch {@link #ARRIVALS} keeps of the chat on screen (a message the
 * page reads at once while the transport switches chats would otherwise be lost).
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
            // The element that carries a row's id: the row itself, or (where the id sits on a wrapper) its nearest
            // ancestor with the id attribute.
            const idEl = (b) => {
              for (const name of X.list('messageIdAttribute')) {
                try { const e = b.closest('[' + name + ']'); if (e) return e; } catch (e) { /* bad name */ }
              }
              return null;
            };
            const idOf = (b) => X.messageId(b);
            // Text as the page shows it: emoji drawn as images count as their alt text, line breaks as newlines,
            // a "Read more" control as nothing (cut tells that the text is cut short).
            const isReadMore = (n) => X.list('readMoreButton').some(sel => { try { return n.matches(sel); } catch (e) { return false; } });
            const visible = (el) => {
              let out = '';
              const walk = (n) => {
                if (n.nodeType === 3) { out += n.data; return; }
                if (n.nodeType !== 1) return;
                if (isReadMore(n)) return;
                if (n.tagName === 'IMG') { out += n.getAttribute('alt') || ''; return; }
                if (n.tagName === 'BR') { out += '\\n'; return; }
                if ((n.tagName === 'DIV' || n.tagName === 'P') && out && !out.endsWith('\\n')) out += '\\n';
                for (const c of n.childNodes) walk(c);
              };
              walk(el);
              return norm(out);
            };
            const textOf = (b) => { const t = first('messageText', idEl(b) || b); return t ? visible(t) : ''; };
            const cutOf = (b) => !!first('readMoreButton', idEl(b) || b);
            const mediaOf = (b) => { const m = first('messageMediaName', idEl(b) || b); return m ? X.attr(m, 'messageMediaNameAttribute') : null; };
            const statusIn = (b) => statusOf(idEl(b) || b);
            // The open chat's outgoing rows, oldest first, one per id; rows without an id are not messages yet.
            const outgoing = () => {
              const seen = new Set();
              const out = [];
              for (const b of all('outgoingMessage')) {
                const id = idOf(b);
                if (!id || seen.has(id)) continue;
                seen.add(id);
                out.push(b);
              }
              return out;
            };
            const row = (b) => ({ id: idOf(b), icon: statusIn(b), text: textOf(b), cut: cutOf(b), media: mediaOf(b) });
            // A chat titled with a phone number (a number not saved as a contact) names its JID by that title.
            const titleJid = (root) => {
              const t = root ? first('chatTitleElement', root) : null;
              const v = t ? (t.getAttribute('title') || t.textContent || '') : '';
              return /^[+]?[0-9][0-9 ().\\u00a0-]{5,}$/.test(v.trim()) ? v.replace(/[^0-9]/g, '') + '@c.us' : null;
            };
            // The JID of the open chat: from the chat id attribute on (or in) the chat panel, else from a message id
            // there ("true_<jid>_<key>", "false_<jid>_<key>..."), else from a phone number as its title; null when
            // none says.
            const chatJid = (main) => {
              if (!main) return null;
              for (const name of X.list('chatIdAttribute')) {
                const holder = main.hasAttribute(name) ? main : q('[' + name + ']', main);
                const v = holder ? holder.getAttribute(name) : null;
                if (v) return v;
              }
              for (const name of X.list('messageIdAttribute')) {
                for (const e of Array.from(main.querySelectorAll('[' + name + ']'))) {
                  const m = /^(?:true|false)_([^_@]+@[^_]+)_/.exec(e.getAttribute(name) || '');
                  if (m) return m[1];
                }
              }
              return titleJid(q('header', main));
            };
            // The title the open chat's header shows, or null.
            const headerTitle = (main) => {
              const t = main ? first('chatTitleElement', q('header', main) || main) : null;
              return t ? (t.getAttribute('title') || t.textContent || null) : null;
            };
            // How many chat list rows are titled exactly so.
            const rowsTitled = (title) => {
              const list = first('chatList');
              if (!list || !title) return 0;
              return all('chatListItem', list).filter(r => {
                const t = first('chatTitleElement', r);
                return t && (t.getAttribute('title') || t.textContent) === title;
              }).length;
            };
            const isPhoneJid = (jid, digits) => !!jid && !jid.endsWith('@g.us') && jid.split('@')[0] === digits;
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
              for (const b of outgoing()) out.bubbles[idOf(b)] = statusIn(b);
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
            return JSON.stringify(outgoing().map(row));
            """);

    /**
     * Follows a bubble after the send action. Without {@code a.pendingId}: returns the first new bubble, whatever its
     * text (the caller checks the text softly): the first row whose id is not among {@code a.before} (the ids there
     * before the action) and that comes after every row of {@code a.before} still shown. Older rows may have left
     * the DOM (the list is virtualised); when none of {@code a.before} is shown any more, nothing is taken as new.
     * With {@code a.pendingId}: returns once that bubble's icon is an accepted one. Returns {@code reloaded} when the
     * page lost its mark, {@code vanished} when the followed bubble is gone.
     */
    static final String CONFIRM = fn("""
            if (window.__waschedMark !== a.mark) return JSON.stringify({ reloaded: true });
            const rows = outgoing();
            let found = null;
            if (a.pendingId) {
              found = rows.find(b => idOf(b) === a.pendingId) || null;
            } else {
              const before = new Set(a.before);
              let start = 0;
              for (let i = 0; i < rows.length; i++) if (before.has(idOf(rows[i]))) start = i + 1;
              if (before.size > 0 && start === 0) return false;
              for (let i = start; i < rows.length; i++) {
                if (!before.has(idOf(rows[i]))) { found = rows[i]; break; }
              }
            }
            if (!found) return a.pendingId ? JSON.stringify({ vanished: true }) : false;
            const out = row(found);
            if (a.accepted.includes(out.icon)) { out.accepted = true; return JSON.stringify(out); }
            if (!a.pendingId) { out.accepted = false; return JSON.stringify(out); }
            return false;
            """);

    /**
     * The open chat: whether one is open, its JID when the page tells it, whether its compose box is there, whether
     * a media preview covers it, (with {@code a.title}) whether that title shows, the title its header shows and how
     * many chat list rows carry that title.
     */
    static final String OPEN_CHAT = fn("""
            const main = first('openChat');
            if (!main) return JSON.stringify({ open: false });
            const header = headerTitle(main);
            return JSON.stringify({ open: true, jid: chatJid(main), compose: !!first('composeBox'),
                preview: !!first('mediaPreview'), title: a.title ? !!q(a.title) : false, header,
                rowsTitled: rowsTitled(header) });
            """);

    /**
     * The chat list row to click for the number {@code a.digits} after a search. {@code verified}: the row whose chat
     * id (or phone number title) is that number's. Otherwise, on a page that heads its search results with sections
     * ({@code chatSearchSectionText}: "Chats", "Contacts"), the only titled row in those sections when no row there
     * tells its chat, with its {@code title}: to be checked by the header once opened. Rows under any other header
     * (a "Messages" section: messages that mention the number) are never taken. {@code none} when every row there
     * tells its chat id and none is the number's; false while it cannot tell. {@code index} counts the titled rows of
     * the list.
     */
    static final String SEARCH_RESULT = fn("""
            const list = first('chatList');
            if (!list) return false;
            const chatSections = X.list('chatSearchSectionText').map(X.normText);
            // Section headers ("Chats", "Contacts", "Messages") are rows too, without a title: they are not chats.
            let section = null;
            let titled = 0;
            const rows = [];
            for (const r of all('chatListItem', list)) {
              const t = first('chatTitleElement', r);
              if (!t) { section = X.normText(r.textContent); continue; }
              const index = titled++;
              if (section !== null && !chatSections.includes(section)) continue;
              rows.push({ r, index, headed: section !== null, title: t.getAttribute('title') || t.textContent || '' });
            }
            let withIds = 0;
            for (const c of rows) {
              let jid = null;
              for (const name of X.list('chatIdAttribute')) {
                const holder = c.r.hasAttribute(name) ? c.r : q('[' + name + ']', c.r);
                if (holder && holder.getAttribute(name)) { jid = holder.getAttribute(name); break; }
              }
              jid = jid || titleJid(c.r);
              if (jid) withIds++;
              if (isPhoneJid(jid, a.digits)) return JSON.stringify({ index: c.index, verified: true });
            }
            if (withIds === rows.length) return JSON.stringify({ none: true });
            if (rows.length === 1 && withIds === 0 && rows[0].headed && rows[0].title) {
              return JSON.stringify({ index: rows[0].index, verified: false, title: rows[0].title });
            }
            return false;
            """);

    /**
     * Waits for the chat of the number {@code a.digits} to be open (compose box shown, no media preview), the
     * invalid-number popup, or the login screen. The chat is the number's when the page names its JID as that
     * number's; when the page names no JID, when its header shows {@code a.title} (if set).
     */
    static final String PHONE_CHAT_OPENED = fn("""
            const popup = first('invalidNumberPopup');
            if (popup && X.popupMeaning(norm(popup.innerText)) === 'invalidNumber') return JSON.stringify({ kind: 'invalid' });
            const main = first('openChat');
            if (main && first('composeBox') && !first('mediaPreview')) {
              const jid = chatJid(main);
              if (isPhoneJid(jid, a.digits) || (!jid && a.title && headerTitle(main) === a.title)) {
                return JSON.stringify({ kind: 'chat' });
              }
            }
            if (first('qrCode') || first('phoneNumberInput') || first('pairingCode')) return JSON.stringify({ kind: 'login' });
            return false;
            """);

    /**
     * Marks the open chat's panel, if any, before a chat is opened from inside the page: a panel without the mark is
     * one the page drew since ({@link #FRESH_CHAT_OPENED}).
     */
    static final String MARK_OPEN_CHAT = fn("""
            const main = first('openChat');
            if (main) main.setAttribute('data-wasched-before', '1');
            return JSON.stringify(true);
            """);

    /**
     * A chat panel drawn since {@link #MARK_OPEN_CHAT}, ready for a message (compose box, no media preview), or the
     * login screen; false while neither shows.
     */
    static final String FRESH_CHAT_OPENED = fn("""
            const main = first('openChat');
            if (main && !main.hasAttribute('data-wasched-before') && first('composeBox') && !first('mediaPreview')) {
              return JSON.stringify({ kind: 'chat' });
            }
            if (first('qrCode') || first('phoneNumberInput') || first('pairingCode')) return JSON.stringify({ kind: 'login' });
            return false;
            """);

    /**
     * The chat list rows that show an unread badge, top first: {@code index} among the titled rows, {@code title},
     * {@code count} (the badge's number; 0 for a chat marked unread by hand, whose badge has none).
     */
    static final String UNREAD_CHATS = fn("""
            const list = first('chatList');
            const out = [];
            if (!list) return JSON.stringify(out);
            let index = 0;
            for (const r of all('chatListItem', list)) {
              const t = first('chatTitleElement', r);
              if (!t) continue;
              const i = index++;
              const badge = first('unreadBadge', r);
              if (!badge) continue;
              const digits = norm(badge.textContent).replace(/[^0-9]/g, '');
              out.push({ index: i, title: t.getAttribute('title') || t.textContent, count: digits ? parseInt(digits, 10) : 0 });
            }
            return JSON.stringify(out);
            """);

    /**
     * {@code incoming(main)}: the received rows of a chat panel, oldest first, one per id (see {@link
     * #INCOMING_ROWS}); {@code incomingEls(main)} the same as {@code {id, b}} pairs, read into a row by
     * {@code incomingRow(id, b)} only where needed.
     */
    private static final String INCOMING = """
            const incomingEls = (main) => {
              const seen = new Set();
              const out = [];
              for (const b of all('incomingMessage', main)) {
                const id = idOf(b);
                if (!id || seen.has(id)) continue;
                seen.add(id);
                out.push({ id, b });
              }
              return out;
            };
            const incomingRow = (id, b) => {
              const holder = idEl(b) || b;
              let sender = null;
              for (const name of X.list('senderAndTimeAttribute')) {
                const e = holder.hasAttribute(name) ? holder : q('[' + name + ']', holder);
                const m = e ? /^\\s*\\[[^\\]]*\\]\\s*(.*?):\\s*$/.exec(e.getAttribute(name) || '') : null;
                if (m) { sender = m[1]; break; }
              }
              const t = first('incomingText', holder);
              const quoted = first('quotedText', holder);
              return { id, sender, text: t ? visible(t) : '', quoted: quoted ? visible(quoted) : null, media: mediaOf(b) };
            };
            const incoming = (main) => incomingEls(main).map(e => incomingRow(e.id, e.b));
            """;

    /**
     * The open chat's incoming rows, oldest first, one per id: {@code id}, {@code sender} (as the row's sender and
     * time attribute names it: a contact's name or a formatted number), {@code text}, {@code quoted} (the quoted
     * text; a quote carries no id), {@code media}; and the chat's {@code header} title. Null when no chat is open.
     */
    static final String INCOMING_ROWS = fn(INCOMING + """
            const main = first('openChat');
            if (!main) return JSON.stringify(null);
            return JSON.stringify({ header: headerTitle(main), rows: incoming(main) });
            """);

    /**
     * The received messages that arrived in the chat on screen since the last call, oldest first, each with the
     * {@code chat} title it arrived in: {@code id}, {@code sender}, {@code text}, {@code quoted}, {@code media} as in
     * {@link #INCOMING_ROWS}. The first call starts a watch of the page (a {@code MutationObserver}, kept in
     * {@code window.__waschedArrivals}) that notes every received row added below the rows a chat showed when it came
     * on screen, at the moment it is drawn: a page in front reads such a message at once, without a badge, so one
     * that arrives while the transport switches to another chat would otherwise be seen by nobody. What a chat
     * shows when it comes on screen (its history, its unread rows) is not an arrival, nor is a row drawn above the
     * newest known one (older history loaded on scrolling).
     */
    static final String ARRIVALS = fn(INCOMING + """
            let w = window.__waschedArrivals;
            if (!w) {
              w = window.__waschedArrivals = { queue: [], main: null, chat: null, known: new Set() };
              const look = () => {
                const main = first('openChat');
                const chat = main ? headerTitle(main) : null;
                const els = main ? incomingEls(main) : [];
                if (main !== w.main || chat !== w.chat || !chat) {
                  // Another chat panel, or none: what it shows as it comes is not news.
                  w.main = main; w.chat = chat; w.known = new Set(els.map(e => e.id));
                  return;
                }
                let last = -1;
                els.forEach((e, i) => { if (w.known.has(e.id)) last = i; });
                els.forEach((e, i) => {
                  if (i > last && !w.known.has(e.id)) w.queue.push(Object.assign({ chat }, incomingRow(e.id, e.b)));
                  w.known.add(e.id);
                });
                if (w.queue.length > 500) w.queue.splice(0, w.queue.length - 500);
              };
              w.look = look;
              // Only changes inside the chat panel (or a panel replaced) can bring an arrival: the rest of the page
              // (chat list, presence, menus) changes often and is not looked through.
              new MutationObserver((records) => {
                const main = first('openChat');
                if (main !== w.main || records.some(r => main && main.contains(r.target))) look();
              }).observe(document.documentElement, { childList: true, subtree: true });
            }
            w.look();
            const out = w.queue;
            w.queue = [];
            return JSON.stringify(out);
            """);

    /** One {@code localStorage} item ({@code a} is its key), or null. */
    static final String LOCAL_STORAGE_ITEM = "(k) => { try { return window.localStorage.getItem(k); } catch (e) { return null; } }";

    /** The text in an editable box ({@code a.sel}), or null when there is no such box. */
    static final String EDITABLE_TEXT = fn("""
            const el = q(a.sel);
            if (!el) return JSON.stringify(null);
            // innerText keeps the lines as typed; emoji drawn as images are only in their alt text.
            return JSON.stringify(q('img', el) ? visible(el) : norm(el.innerText));
            """);

    /** Marks the current document, so a reload (which forgets the mark) can be told apart. */
    static final String MARK = "(m) => { window.__waschedMark = m; }";
}
