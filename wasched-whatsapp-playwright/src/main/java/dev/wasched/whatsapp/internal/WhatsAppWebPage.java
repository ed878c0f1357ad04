package dev.wasched.whatsapp.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.JSHandle;
import com.microsoft.playwright.Keyboard;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.PlaywrightException;
import com.microsoft.playwright.TimeoutError;
import com.microsoft.playwright.options.FilePayload;
import com.microsoft.playwright.options.WaitForSelectorState;
import com.microsoft.playwright.options.LoadState;
import com.microsoft.playwright.options.WaitUntilState;
import dev.wasched.spi.transport.RetryableTransportException;
import dev.wasched.whatsapp.PlaywrightTransportConfig;
import dev.wasched.whatsapp.SelectorProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * WhatsApp Web's page as the transport uses it: every DOM fact comes from the {@link SelectorProfile}. Browser thread
 * only; holds no listeners.
 */
public final class WhatsAppWebPage {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger log = LoggerFactory.getLogger(WhatsAppWebPage.class);
    private static final int POLL_MS = 50;
    /** The longest a chat search may take before the chat is opened by a navigation instead. */
    private static final Duration SEARCH_WAIT = Duration.ofSeconds(5);
    /** How long a search that shows no row of the number may still change its mind. */
    private static final Duration SEARCH_SETTLE = Duration.ofMillis(500);
    /**
     * Most chat titles remembered, the least recently used forgotten first: a forgotten title only costs a search or
     * a link, and the chat list's own rows are checked for namesakes anyway.
     */
    private static final int MAX_TITLES = 10_000;
    /** How long a search result taken by its title alone must stay unchanged. */
    private static final Duration SEARCH_STABLE = Duration.ofMillis(300);

    /** How a chat-opening attempt ended. */
    public enum Opened { CHAT, INVALID_NUMBER, LOGIN }

    /**
     * An outgoing bubble in the open chat: its id, status icon, the text it shows (emoji as their alt text), whether
     * that text is cut short behind "Read more", and the file name of its media, or null.
     */
    public record Bubble(String id, String icon, String text, String media, boolean cut) {
        public Bubble(String id, String icon, String text, String media) {
            this(id, icon, text, media, false);
        }
    }

    /** What to recognise our bubble by: its normalised text (the caption for media) and the file name, or null. */
    public record Match(String text, String media) {
        /** Whether a bubble shows this text (as WhatsApp Web draws it, see {@link MessageText}) and file name. */
        public boolean matches(Bubble b) {
            return MessageText.sameAsShown(text, b.text(), b.cut()) && java.util.Objects.equals(b.media(), media);
        }
    }

    /** Where a followed bubble got to. */
    public enum Progress { ACCEPTED, SEEN, RELOADED, TIMEOUT }

    /**
     * Where a followed bubble got to: its id and icon, and (when it was found) its normalised text and file name, for
     * the soft check that it shows what was entered.
     */
    public record Followed(Progress progress, String id, String icon, String text, String media, boolean cut) {
        Followed(Progress progress, String id) {
            this(progress, id, null, null, null, false);
        }

        /** Whether the bubble shows what was entered; null when it was not read. */
        public Boolean matches(Match m) {
            return text == null ? null : m.matches(new Bubble(id, icon, text, media, cut));
        }
    }

    private final Page page;
    private final SelectorProfile selectors;
    private final Map<String, List<String>> selectorArg;
    private final PlaywrightTransportConfig config;
    private final PageCounters counters;
    /**
     * Titles of the chats this page opened as a number's, by the number's digits: learned from a click-to-chat link
     * (which opens that number's chat by construction) or from a search proof. Only used to keep the open chat.
     */
    private final Map<String, String> titles = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > MAX_TITLES;
        }
    };
    /** The digits of the direct chat this document last opened and proved, or null (another chat, a load, a group). */
    private String lastOpened;
    /** Opens chats through WhatsApp Web's own modules, when the in-page layer can; null: never. */
    private ChatOpener inPageOpener;

    /** A way to open a number's chat from inside the page (the in-page layer's). */
    public interface ChatOpener {
        /** Whether it can be used now. */
        boolean available();

        InPageLayer.Opening open(String digits);
    }

    /** Chats are opened with {@code opener} first, when it is available. */
    public void openChatsWith(ChatOpener opener) {
        this.inPageOpener = opener;
    }

    /** Told when a chat is about to replace the one on screen, and when it did. */
    public interface ChatWatcher {
        void beforeOpening();

        void opened();
    }

    private ChatWatcher watcher;

    public void watchChatsWith(ChatWatcher w) {
        this.watcher = w;
    }

    public WhatsAppWebPage(Page page, PlaywrightTransportConfig config, PageCounters counters) {
        this.page = page;
        this.config = config;
        this.counters = counters;
        this.selectors = config.selectors();
        this.selectorArg = Map.copyOf(selectors.asCandidateMap());
    }

    public Page page() {
        return page;
    }

    /**
     * A key for Playwright: a selector key's first candidate that matches now (all of them while none does), any
     * other key's first candidate. Page scripts try the candidates in order themselves.
     */
    public String sel(String key) {
        return ProfileSelectors.forLocator(page, selectors, key);
    }

    /** Normalises text the way WhatsApp Web sends it and the page scripts read it. */
    public static String normalize(String text) {
        return text == null ? "" : text.replace('\u00a0', ' ').replace("\r\n", "\n").replace('\r', '\n').strip();
    }

    // ---- reading the page -----------------------------------------------------------------------------------

    public PageSnapshot snapshot() {
        JsonNode n = evaluate(PageScripts.SNAPSHOT, Map.of());
        PageSnapshot.Screen screen = switch (n.path("screen").asText()) {
            case "main" -> PageSnapshot.Screen.MAIN;
            case "loading" -> PageSnapshot.Screen.LOADING;
            case "pairing" -> PageSnapshot.Screen.PAIRING;
            case "phone-entry" -> PageSnapshot.Screen.PHONE_ENTRY;
            case "qr" -> PageSnapshot.Screen.QR;
            default -> PageSnapshot.Screen.UNKNOWN;
        };
        Map<String, String> bubbles = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : n.path("bubbles").properties()) {
            bubbles.put(e.getKey(), e.getValue().isNull() ? null : e.getValue().asText());
        }
        return new PageSnapshot(screen, text(n, "qr"), n.path("qrExpired").asBoolean(), text(n, "code"),
                text(n, "popup"), n.path("chatOpen").asBoolean(), bubbles);
    }

    public List<Bubble> outgoing() {
        JsonNode n = evaluate(PageScripts.OUTGOING, Map.of());
        List<Bubble> out = new ArrayList<>();
        for (JsonNode b : n) {
            out.add(new Bubble(b.path("id").asText(), text(b, "icon"), b.path("text").asText(""), text(b, "media"),
                    b.path("cut").asBoolean()));
        }
        return out;
    }

    /** The normalised text of an editable box, or null when it is not on the page. */
    public String editableText(String key) {
        JsonNode n = evaluate(PageScripts.EDITABLE_TEXT, Map.of("sel", sel(key)));
        return n.isNull() ? null : n.asText();
    }

    /** Marks the current document and returns the mark. */
    public String mark() {
        String m = UUID.randomUUID().toString();
        page.evaluate(PageScripts.MARK, m);
        return m;
    }

    /**
     * The digits of the account this page is linked to, as WhatsApp Web records it in {@code localStorage} under the
     * profile key {@code linkedNumberStorageKey} (a JSON string {@code "DIGITS:DEVICE@c.us"}); null when it is not
     * there or not of that shape.
     */
    public String linkedNumberDigits() {
        Object raw = page.evaluate(PageScripts.LOCAL_STORAGE_ITEM, sel("linkedNumberStorageKey"));
        return raw == null ? null : digitsOfWid(String.valueOf(raw));
    }

    /** {@code "4915112345678:3@c.us"} (JSON-quoted or not) to {@code 4915112345678}; null for anything else. */
    static String digitsOfWid(String raw) {
        String v = raw.strip();
        if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
            v = v.substring(1, v.length() - 1);
        }
        int end = v.indexOf('@');
        if (end < 0) {
            return null;
        }
        int colon = v.indexOf(':');
        String user = v.substring(0, colon >= 0 && colon < end ? colon : end);
        return user.matches("[0-9]{7,15}") ? user : null;
    }

    public boolean isAcceptedIcon(String icon) {
        return icon != null && (icon.equals(sel("iconSent")) || icon.equals(sel("iconDelivered"))
                || icon.equals(sel("iconRead")));
    }

    // ---- navigating -----------------------------------------------------------------------------------------

    public void navigate(String pathAndQuery, Duration timeout) {
        lastOpened = null;
        Page.NavigateOptions options = new Page.NavigateOptions().setWaitUntil(WaitUntilState.DOMCONTENTLOADED)
                .setTimeout(millis(timeout));
        try {
            page.navigate(config.webUrl() + pathAndQuery, options);
        } catch (PlaywrightException e) {
            // WhatsApp Web reloading itself (after an update) aborts a navigation under way. Going there again is
            // harmless: nothing has been typed or sent at this point.
            if (e instanceof TimeoutError || e.getMessage() == null || !e.getMessage().contains("ERR_ABORTED")) {
                throw e;
            }
            page.waitForLoadState(LoadState.DOMCONTENTLOADED, new Page.WaitForLoadStateOptions().setTimeout(millis(timeout)));
            page.navigate(config.webUrl() + pathAndQuery, options);
        }
    }

    /** Waits for the chat list (true) or a login screen (false). */
    public boolean awaitMainOrLogin(Duration timeout) {
        JsonNode r = waitFor(PageScripts.MAIN_OR_LOGIN, Map.of(), timeout);
        return "main".equals(r.path("kind").asText());
    }

    /** Shows the chat list, loading WhatsApp Web afresh when it is not on screen; false when a login is shown. */
    public boolean ensureMain(Duration timeout) {
        PageSnapshot s = snapshotOrUnknown();
        if (s.screen() == PageSnapshot.Screen.MAIN && s.popup() == null) {
            return true;
        }
        counted("loading WhatsApp Web afresh: the chat list is not on screen");
        navigate("/", timeout);
        return awaitMainOrLogin(timeout);
    }

    private PageSnapshot snapshotOrUnknown() {
        try {
            return snapshot();
        } catch (PlaywrightException e) {
            return PageSnapshot.unknown();
        }
    }

    /**
     * Opens a chat inside the loaded page when it can, else by loading it (see
     * {@link #openChat(ChatTarget, Duration, boolean)}).
     */
    public Opened openChat(ChatTarget target, Duration timeout) throws dev.wasched.spi.transport.TransportException {
        return openChat(target, timeout, false);
    }

    /**
     * Opens a chat. Loading WhatsApp Web costs seconds and a reconnect, so with the chat list on screen the chat is
     * opened inside the page: kept when it is open already, else found with the search box. A direct chat is only
     * taken once the page shows that it is that number's (its chat id, or the ids of its messages); when the page
     * cannot show that (no such chat yet, a number unknown to WhatsApp, a page that does not say) the chat is opened
     * with the click-to-chat link (the number only: message text never goes into a URL, where browser history,
     * proxies and error messages would keep it). A group is found by its title through the search box.
     *
     * @param reload load the chat afresh even when it could be opened inside the page: what the page shows after a
     *               load is what WhatsApp has, not what the page held before
     * @throws dev.wasched.spi.transport.PermanentTransportException for a group that is not in the chat list
     * @throws TimeoutError when nothing recognisable appears in time
     */
    public Opened openChat(ChatTarget target, Duration timeout, boolean reload)
            throws dev.wasched.spi.transport.TransportException {
        if (watcher != null) {
            watcher.beforeOpening();
        }
        Opened o = openChatWatched(target, timeout, reload);
        if (watcher != null && o == Opened.CHAT) {
            watcher.opened();
        }
        return o;
    }

    private Opened openChatWatched(ChatTarget target, Duration timeout, boolean reload)
            throws dev.wasched.spi.transport.TransportException {
        if (target.group()) {
            return openGroup(target, timeout);
        }
        if (!reload && onMain()) {
            try {
                if (phoneChatOpen(target)) {
                    counters.alreadyOpen.incrementAndGet();
                    return Opened.CHAT;
                }
                lastOpened = null;
                Opened o = openInPage(target);
                if (o == null) {
                    o = searchPhone(target);
                }
                if (o != null) {
                    return o;
                }
            } catch (PlaywrightException e) {
                if (page.isClosed() || !isNavigation(e)) {
                    throw e;
                }
                // WhatsApp Web reloaded itself meanwhile; nothing was typed into the chat yet.
                log.debug("WhatsApp Web reloaded while a chat was opened inside the page; loading the chat instead");
            }
        }
        counted(reload ? "loading the chat afresh to read what WhatsApp has"
                : "the chat could not be opened inside the page; opening it with the click-to-chat link");
        navigate(sel("clickToChatPath").replace("{phone}", target.key()), timeout);
        Opened o = opened(waitFor(PageScripts.CHAT_OPENED, Map.of("title", ""), timeout));
        if (o == Opened.CHAT) {
            // The link opens the number's chat and nothing else: what its header shows is that number's title.
            learn(target.key(), text(evaluate(PageScripts.OPEN_CHAT, Map.of("title", "")), "header"));
        }
        return o;
    }

    /** Records that the open chat is the number's, shown with this title (null: the page shows none). */
    private void learn(String digits, String title) {
        if (title != null && !title.isBlank()) {
            titles.put(digits, title);
        } else {
            titles.remove(digits);
        }
        lastOpened = digits;
    }

    /** Whether a number other than {@code digits} is known by this title. */
    private boolean titleOfAnother(String digits, String title) {
        return titles.entrySet().stream().anyMatch(e -> !e.getKey().equals(digits) && e.getValue().equals(title));
    }

    private void counted(String why) {
        long n = counters.fallbackNavigations.incrementAndGet();
        log.debug("{} (navigation {} of this transport)", why, n);
    }

    /** The chat list is on screen without a popup (an earlier invalid-number popup is closed first). */
    private boolean onMain() {
        PageSnapshot s = snapshotOrUnknown();
        if (s.screen() != PageSnapshot.Screen.MAIN) {
            return false;
        }
        if (s.popup() != null) {
            dismissPopup();
            return snapshotOrUnknown().popup() == null;
        }
        return true;
    }

    /** Whether the open chat is the number's, ready for a message (compose box shown, no media preview). */
    private boolean phoneChatOpen(ChatTarget target) {
        JsonNode o = evaluate(PageScripts.OPEN_CHAT, Map.of("title", ""));
        if (!o.path("open").asBoolean() || !o.path("compose").asBoolean() || o.path("preview").asBoolean()) {
            return false;
        }
        String jid = text(o, "jid");
        if (jid != null) {
            return !jid.endsWith("@g.us") && jid.substring(0, Math.max(0, jid.indexOf('@'))).equals(target.key());
        }
        // The page names no chat id (2025-26): the chat this document last opened as the number's is kept while its
        // header still shows the title it had then, no other number is known by that title, and no other chat list
        // row carries it (the open chat's own row may). Anything else (a renamed contact, a namesake, a group titled
        // alike, a chat switched by someone else) is opened afresh.
        String title = titles.get(target.key());
        String header = text(o, "header");
        return target.key().equals(lastOpened) && title != null && title.equals(header)
                && !titleOfAnother(target.key(), title) && o.path("rowsTitled").asInt() <= 1;
    }

    /** How long opening a chat inside the page may take before another way is tried. */
    private Duration searchWait() {
        return config.elementTimeout().compareTo(SEARCH_WAIT) < 0 ? config.elementTimeout() : SEARCH_WAIT;
    }

    /**
     * Opens the number's chat through WhatsApp Web's own command module when the in-page layer has it. Taken only
     * when the page says that chat is the active one and then draws a new chat panel (the one open before was marked):
     * a panel the page reused, or one that never came, proves nothing, and the chat is opened another way. Null when
     * not opened here.
     */
    private Opened openInPage(ChatTarget target) {
        if (inPageOpener == null || !inPageOpener.available()) {
            return null;
        }
        evaluate(PageScripts.MARK_OPEN_CHAT, Map.of());
        InPageLayer.Opening how = inPageOpener.open(target.key());
        if (how == InPageLayer.Opening.NOT_ON_WHATSAPP) {
            return Opened.INVALID_NUMBER;
        }
        if (how != InPageLayer.Opening.OPENED) {
            return null;
        }
        Duration wait = searchWait();
        Opened o;
        try {
            o = opened(waitFor(PageScripts.FRESH_CHAT_OPENED, Map.of(), wait));
        } catch (TimeoutError e) {
            log.debug("the chat of {} opened in-page was not drawn as a new chat panel", target);
            return null;
        }
        if (o == Opened.CHAT) {
            // Opened by the number's own chat model: what its header shows is that number's title.
            learn(target.key(), text(evaluate(PageScripts.OPEN_CHAT, Map.of("title", "")), "header"));
            counters.openedByModule.incrementAndGet();
        }
        return o;
    }

    /**
     * Looks the number up with the chat search box and opens the row that is (or may be) its chat, then waits for
     * the page to show that number's chat. Null when that did not work: the caller loads the chat instead. The
     * search is cleared afterwards either way.
     */
    private Opened searchPhone(ChatTarget target) {
        Duration wait = searchWait();
        Locator box = page.locator(sel("searchBox")).first();
        try {
            if (box.count() == 0) {
                Locator button = page.locator(sel("searchButton")).first();
                if (button.count() == 0) {
                    log.debug("no chat search box on the page (selector profile key searchBox)");
                    return null;
                }
                button.click(new Locator.ClickOptions().setTimeout(millis(wait)));
                if (box.count() == 0) {
                    return null;
                }
            }
            JsonNode before = evaluate(PageScripts.OPEN_CHAT, Map.of("title", ""));
            String openBefore = before.path("open").asBoolean() ? text(before, "header") : null;
            clearSearch(box);
            box.fill(target.key(), new Locator.FillOptions().setTimeout(millis(wait)));
            JsonNode row = awaitSearchResult(target.key(), wait);
            if (row == null) {
                log.debug("the chat search shows no chat of {}", target);
                return null;
            }
            Locator rows = page.locator(sel("chatList")).locator(sel("chatListItem"));
            String title = null;
            if (row.path("verified").asBoolean()) {
                rows.filter(new Locator.FilterOptions().setHas(page.locator(sel("chatTitleElement"))))
                        .nth(row.path("index").asInt())
                        .click(new Locator.ClickOptions().setTimeout(millis(wait)));
            } else {
                // Proof by title: the only chat or contact the number's search shows, opened, must show the same
                // title in its header. It proves nothing when the chat open now has that title already, when the
                // list shows that title on more than one row, or when another number is known by it.
                title = text(row, "title");
                if (title == null || title.equals(openBefore) || titleOfAnother(target.key(), title)) {
                    log.debug("the chat search's row for {} cannot be told from another chat by its title", target);
                    return null;
                }
                Locator item = rows.filter(new Locator.FilterOptions().setHas(
                        page.locator(template("chatTitle", title))));
                if (item.count() != 1) {
                    return null;
                }
                item.click(new Locator.ClickOptions().setTimeout(millis(wait)));
            }
            JsonNode r;
            try {
                Map<String, Object> arg = new HashMap<>();
                arg.put("digits", target.key());
                arg.put("title", title == null ? "" : title);
                r = waitFor(PageScripts.PHONE_CHAT_OPENED, arg, wait);
            } catch (TimeoutError e) {
                log.debug("the chat opened from the search is not shown as {}'s", target);
                return null;
            }
            Opened o = opened(r);
            if (o == Opened.INVALID_NUMBER) {
                dismissPopup();
                return null;
            }
            if (o == Opened.CHAT) {
                learn(target.key(), text(evaluate(PageScripts.OPEN_CHAT, Map.of("title", "")), "header"));
                counters.openedInPage.incrementAndGet();
            }
            return o;
        } catch (TimeoutError e) {
            log.debug("opening {} through the chat search failed: {}", target, BrowserSession.firstLine(e));
            return null;
        } finally {
            clearSearch(box);
        }
    }

    /** The search result row for the digits, or null when the search shows none within {@code wait}. */
    private JsonNode awaitSearchResult(String digits, Duration wait) {
        long start = System.nanoTime();
        long deadline = start + wait.toNanos();
        JsonNode unverified = null;
        long unverifiedSince = 0;
        while (true) {
            JsonNode r = evaluate(PageScripts.SEARCH_RESULT, Map.of("digits", digits));
            long now = System.nanoTime();
            if (r.path("verified").asBoolean()) {
                return r;
            }
            if (r.has("index")) {
                // A row taken by its title alone must stay the answer a moment: results still arriving (or those of
                // an earlier search) must not be taken for the number's.
                if (!r.equals(unverified)) {
                    unverified = r;
                    unverifiedSince = now;
                } else if (now - unverifiedSince >= SEARCH_STABLE.toNanos()) {
                    return r;
                }
            } else {
                unverified = null;
            }
            // Every row names its chat and none is the number's: give the results a moment to settle, no more.
            if (r.path("none").asBoolean() && now - start > SEARCH_SETTLE.toNanos() || now - deadline > 0) {
                return null;
            }
            page.waitForTimeout(POLL_MS);
        }
    }

    private void clearSearch(Locator box) {
        try {
            if (box.count() > 0 && !String.valueOf(box.evaluate("e => e.value !== undefined ? e.value : e.innerText"))
                    .isBlank()) {
                box.fill("", new Locator.FillOptions().setTimeout(millis(config.elementTimeout())));
            }
        } catch (PlaywrightException e) {
            log.debug("the chat search could not be cleared: {}", BrowserSession.firstLine(e));
        }
    }

    private Opened openGroup(ChatTarget target, Duration timeout) throws dev.wasched.spi.transport.TransportException {
        lastOpened = null;
        String openTitle = template("openChatTitle", target.key());
        if (onMain()) {
            JsonNode o = evaluate(PageScripts.OPEN_CHAT, Map.of("title", openTitle));
            if (o.path("title").asBoolean() && o.path("compose").asBoolean() && !o.path("preview").asBoolean()) {
                counters.alreadyOpen.incrementAndGet();
                return Opened.CHAT;
            }
        } else if (!ensureMain(timeout)) {
            return Opened.LOGIN;
        }
        page.keyboard().press("Escape");
        Locator box = page.locator(sel("searchBox")).first();
        if (box.count() == 0) {
            // The 2024 page shows its search box after a click on the search icon; the 2025-26 page always shows it.
            click("searchButton");
        }
        clearSearch(box);
        box.fill(target.key(), new Locator.FillOptions().setTimeout(millis(config.elementTimeout())));
        String title = template("chatTitle", target.key());
        Locator item = page.locator(sel("chatList")).locator(sel("chatListItem"))
                .filter(new Locator.FilterOptions().setHas(page.locator(title))).first();
        try {
            item.click(new Locator.ClickOptions().setTimeout(millis(config.elementTimeout())));
        } catch (TimeoutError e) {
            clearSearch(box);
            throw new dev.wasched.spi.transport.PermanentTransportException("no group titled as the delivery's group is "
                    + "in the chat list (selector profile keys chatList/chatListItem/chatTitle)");
        }
        lastOpened = null;
        Opened o = opened(waitFor(PageScripts.CHAT_OPENED, Map.of("title", openTitle), timeout));
        clearSearch(box);
        if (o == Opened.CHAT) {
            counters.openedInPage.incrementAndGet();
        }
        return o;
    }

    private static Opened opened(JsonNode r) {
        return switch (r.path("kind").asText()) {
            case "invalid" -> Opened.INVALID_NUMBER;
            case "login" -> Opened.LOGIN;
            default -> Opened.CHAT;
        };
    }

    /** A chat list row showing an unread badge: its place among the titled rows, its title, the badge's number. */
    public record UnreadChat(int index, String title, int count) {
    }

    /** A received message as the open chat shows it; {@code sender} as its row names it (a name or a number). */
    public record IncomingRow(String id, String sender, String text, String quoted, String media) {
    }

    /** The chat list rows with an unread badge, top first; a badge without a number counts 0. */
    public List<UnreadChat> unreadChats() {
        List<UnreadChat> out = new ArrayList<>();
        for (JsonNode r : evaluate(PageScripts.UNREAD_CHATS, Map.of())) {
            out.add(new UnreadChat(r.path("index").asInt(), text(r, "title"), r.path("count").asInt()));
        }
        return out;
    }

    /**
     * Opens an unread chat by clicking its row, as a person would (which marks its messages read), and reads its
     * received messages, oldest first, with the chat's title first. Null when the row is gone or renamed, or no new
     * chat panel came.
     */
    public Map.Entry<String, List<IncomingRow>> openAndReadUnread(UnreadChat chat, Duration wait) {
        Locator rows = page.locator(sel("chatList")).locator(sel("chatListItem"))
                .filter(new Locator.FilterOptions().setHas(page.locator(sel("chatTitleElement"))));
        Locator row = rows.nth(chat.index());
        if (row.count() == 0 || !chat.title().equals(row.locator(sel("chatTitleElement")).first().getAttribute("title"))) {
            return null;
        }
        evaluate(PageScripts.MARK_OPEN_CHAT, Map.of());
        row.click(new Locator.ClickOptions().setTimeout(millis(wait)));
        try {
            if (opened(waitFor(PageScripts.FRESH_CHAT_OPENED, Map.of(), wait)) != Opened.CHAT) {
                return null;
            }
        } catch (TimeoutError e) {
            return null;
        }
        lastOpened = null; // opened by its title: which number's chat it is, the page did not say
        var read = incomingOfOpenChat();
        return read == null ? null : Map.entry(read.getKey().isEmpty() ? chat.title() : read.getKey(), read.getValue());
    }

    /** The open chat's title ("" when it shows none) and its received messages, oldest first; null when none is open. */
    public Map.Entry<String, List<IncomingRow>> incomingOfOpenChat() {
        JsonNode r = evaluate(PageScripts.INCOMING_ROWS, Map.of());
        if (r.isNull()) {
            return null;
        }
        List<IncomingRow> in = new ArrayList<>();
        for (JsonNode m : r.path("rows")) {
            in.add(incomingRow(m));
        }
        String header = text(r, "header");
        return Map.entry(header == null ? "" : header, in);
    }

    /** A received message that arrived in the chat titled {@code chat} while it was on screen. */
    public record Arrival(String chat, IncomingRow row) {
    }

    /**
     * The received messages drawn in the chat on screen since the last call, oldest first, whichever chat is on
     * screen now (see {@link PageScripts#ARRIVALS}); the first call starts the page's watch and returns none.
     */
    public List<Arrival> arrivals() {
        List<Arrival> out = new ArrayList<>();
        for (JsonNode m : evaluate(PageScripts.ARRIVALS, Map.of())) {
            out.add(new Arrival(text(m, "chat"), incomingRow(m)));
        }
        return out;
    }

    private static IncomingRow incomingRow(JsonNode m) {
        return new IncomingRow(text(m, "id"), text(m, "sender"), text(m, "text"), text(m, "quoted"), text(m, "media"));
    }

    /** The number this transport knows to be shown with {@code title}, when exactly one is; else null. */
    public String numberTitled(String title) {
        String found = null;
        for (Map.Entry<String, String> e : titles.entrySet()) {
            if (e.getValue().equals(title)) {
                if (found != null) {
                    return null;
                }
                found = e.getKey();
            }
        }
        return found;
    }

    /** Closes the invalid-number popup, if one is open. */
    public void dismissPopup() {
        Locator ok = page.locator(sel("popupOkButton")).first();
        try {
            if (ok.count() > 0) {
                ok.click(new Locator.ClickOptions().setTimeout(millis(config.elementTimeout())));
            }
        } catch (PlaywrightException e) {
            // the popup went away by itself, or the page moved on: nothing left to close
        }
    }

    // ---- writing --------------------------------------------------------------------------------------------

    /**
     * Puts {@code text} into an editable box (compose or caption), typed like a person or inserted at once, and
     * checks that the box holds exactly it.
     */
    public void enterText(String key, String text, boolean typing) throws RetryableTransportException {
        String want = normalize(text);
        Locator box = page.locator(sel(key)).first();
        if (typing) {
            box.click(new Locator.ClickOptions().setTimeout(millis(config.elementTimeout())));
            selectAll();
            page.keyboard().press("Delete");
            typeLikeAPerson(text);
        } else {
            box.fill(text, new Locator.FillOptions().setTimeout(millis(config.elementTimeout())));
        }
        if (!want.equals(editableText(key))) {
            box.fill(text, new Locator.FillOptions().setTimeout(millis(config.elementTimeout())));
            if (!want.equals(editableText(key))) {
                throw new RetryableTransportException("the text could not be entered into '" + key + "'");
            }
        }
    }

    private void selectAll() {
        page.keyboard().press("Control+A");
    }

    /** Types with the configured delay, Shift+Enter for line breaks; beyond the time cap the rest is inserted. */
    private void typeLikeAPerson(String text) {
        long delay = config.typingDelay().toMillis();
        long budget = config.maxTypingTime().toMillis();
        int typed = delay == 0 ? text.length() : (int) Math.min(text.length(), budget / delay);
        String[] lines = text.substring(0, typed).split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (i > 0) {
                page.keyboard().press("Shift+Enter");
            }
            if (!lines[i].isEmpty()) {
                page.keyboard().type(lines[i], new Keyboard.TypeOptions().setDelay(delay));
            }
        }
        if (typed < text.length()) {
            page.keyboard().insertText(text.substring(typed));
        }
    }

    /** Attaches a file through the clip menu and waits for the preview. */
    public void attach(String fileName, String mimeType, byte[] bytes) throws RetryableTransportException {
        click("attachButton");
        page.locator(sel("attachMenu")).first().waitFor(new Locator.WaitForOptions()
                .setState(WaitForSelectorState.ATTACHED).setTimeout(millis(config.elementTimeout())));
        String input = isGallery(mimeType) ? "attachMediaInput" : "attachDocumentInput";
        try {
            page.locator(sel(input)).first().setInputFiles(new FilePayload(fileName, mimeType, bytes),
                    new Locator.SetInputFilesOptions().setTimeout(millis(config.elementTimeout())));
        } catch (TimeoutError e) {
            throw missing(input);
        }
        try {
            page.locator(sel("mediaPreview")).first().waitFor(new Locator.WaitForOptions()
                    .setTimeout(millis(config.elementTimeout())));
        } catch (TimeoutError e) {
            throw missing("mediaPreview");
        }
    }

    private static boolean isGallery(String mime) {
        String m = mime.toLowerCase(Locale.ROOT);
        return m.startsWith("image/") || m.equals("video/mp4") || m.equals("video/3gpp") || m.equals("video/quicktime");
    }

    /**
     * The send action: the send control, or Enter in the box the text is in when the page shows no send control.
     *
     * @throws RetryableTransportException when neither is there (so nothing was sent)
     */
    public void submit(boolean media) throws RetryableTransportException {
        String button = media ? "mediaSendButton" : "sendButton";
        if (page.locator(sel(button)).count() > 0) {
            click(button);
            return;
        }
        Locator box = page.locator(sel(media ? "captionBox" : "composeBox")).first();
        if (box.count() == 0) {
            throw missing(button);
        }
        log.debug("no send control on the page (selector profile key {}); sending with Enter", button);
        box.press("Enter", new Locator.PressOptions().setTimeout(millis(config.elementTimeout())));
    }

    /** Clicks the element of a profile key, or explains which key matched nothing. */
    public void click(String key) throws RetryableTransportException {
        try {
            page.locator(sel(key)).first().click(new Locator.ClickOptions().setTimeout(millis(config.elementTimeout())));
        } catch (TimeoutError e) {
            throw missing(key);
        }
    }

    private RetryableTransportException missing(String key) {
        return new RetryableTransportException("WhatsApp Web shows nothing for selector profile key '" + key + "' ("
                + sel(key) + ") within " + config.elementTimeout().toSeconds() + " s; if WhatsApp Web changed, "
                + "override this key in the selector profile");
    }

    /**
     * Follows our bubble after the send action (see {@link PageScripts#CONFIRM}).
     *
     * @param before    the ids of the outgoing bubbles before the send action, oldest first
     * @param pendingId null to wait for the first new bubble (after the last of {@code before}) to appear, else the
     *                  bubble to wait on until accepted
     */
    public Followed follow(String mark, List<String> before, String pendingId, Duration timeout) {
        Map<String, Object> arg = new HashMap<>();
        arg.put("mark", mark);
        arg.put("before", before);
        arg.put("pendingId", pendingId == null ? "" : pendingId);
        arg.put("accepted", List.of(sel("iconSent"), sel("iconDelivered"), sel("iconRead")));
        JsonNode r;
        try {
            r = waitFor(PageScripts.CONFIRM, arg, timeout);
        } catch (TimeoutError e) {
            return new Followed(Progress.TIMEOUT, pendingId);
        } catch (PlaywrightException e) {
            if (!page.isClosed() && isNavigation(e)) {
                return new Followed(Progress.RELOADED, pendingId);
            }
            throw e;
        }
        if (r.path("reloaded").asBoolean() || r.path("vanished").asBoolean()) {
            return new Followed(Progress.RELOADED, pendingId);
        }
        String id = r.path("id").asText();
        return new Followed(r.path("accepted").asBoolean() ? Progress.ACCEPTED : Progress.SEEN, id, text(r, "icon"),
                r.path("text").asText(""), text(r, "media"), r.path("cut").asBoolean());
    }

    private static boolean isNavigation(PlaywrightException e) {
        String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        return m.contains("context was destroyed") || m.contains("navigat") || m.contains("frame was detached");
    }

    // ---- login ----------------------------------------------------------------------------------------------

    /** Clicks "Click to reload QR code". */
    public void reloadQr() {
        Locator b = page.locator(sel("qrReloadButton")).first();
        if (b.count() > 0) {
            b.click(new Locator.ClickOptions().setTimeout(millis(config.elementTimeout())));
        }
    }

    /**
     * Asks for a pairing code for the phone and returns it.
     *
     * @throws dev.wasched.spi.transport.PermanentTransportException when WhatsApp Web rejects the number
     */
    public String requestPairingCode(String e164) throws RetryableTransportException,
            dev.wasched.spi.transport.PermanentTransportException {
        Locator input = page.locator(sel("phoneNumberInput")).first();
        if (input.count() == 0) {
            Locator link = page.locator(sel("linkWithPhoneButton"))
                    .filter(new Locator.FilterOptions().setHasText(ProfileSelectors.anyText(selectors,
                            "linkWithPhoneText"))).first();
            if (link.count() == 0) {
                // Another login screen (an earlier pairing code, an expired QR): start over from the QR screen.
                navigate("/", config.pageTimeout());
            }
            try {
                link.click(new Locator.ClickOptions().setTimeout(millis(config.elementTimeout())));
            } catch (TimeoutError e) {
                throw missing("linkWithPhoneButton");
            }
        }
        input.fill(e164, new Locator.FillOptions().setTimeout(millis(config.elementTimeout())));
        String shown = currentPairingCode();
        input.press("Enter", new Locator.PressOptions().setTimeout(millis(config.elementTimeout())));
        long deadline = System.nanoTime() + config.elementTimeout().toNanos();
        while (System.nanoTime() < deadline) {
            String code = currentPairingCode();
            if (code != null && !code.equals(shown)) {
                return code;
            }
            // Read without waiting: the alert goes away when the code screen replaces the form.
            String error = String.join(" ", page.locator(sel("phoneNumberError")).allInnerTexts()).strip();
            if (!error.isEmpty()) {
                throw new dev.wasched.spi.transport.PermanentTransportException(
                        "WhatsApp Web rejected the phone number for a pairing code: " + error);
            }
            page.waitForTimeout(POLL_MS);
        }
        throw missing("pairingCode");
    }

    /** The code on the page, or null; read in one step, since the screen may change while it is read. */
    private String currentPairingCode() {
        Object raw = page.locator(sel("pairingCode")).evaluateAll("""
                (els, attributes) => {
                  const el = els[0];
                  if (!el) return null;
                  for (const a of attributes) {
                    const v = el.getAttribute(a);
                    if (v && v.trim()) return v;
                  }
                  return el.innerText;
                }""", selectors.candidates("pairingCodeAttribute"));
        if (!(raw instanceof String text)) {
            return null;
        }
        String canonical = PageExtractors.canonicalPairingCode(text);
        return canonical != null ? canonical : text.replaceAll("\\s", "");
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    /** A template key with {name} replaced by a CSS-string-escaped value. */
    public String template(String key, String name) {
        return sel(key).replace("{name}", cssString(name));
    }

    static String cssString(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c == '\n' || c == '\r' || c == '\f') {
                b.append("\\a ");
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private JsonNode evaluate(String script, Map<String, Object> extra) {
        Map<String, Object> arg = new HashMap<>(extra);
        arg.put("S", selectorArg);
        Object result = page.evaluate(script, arg);
        return parse(result);
    }

    private JsonNode waitFor(String script, Map<String, Object> extra, Duration timeout) {
        Map<String, Object> arg = new HashMap<>(extra);
        arg.put("S", selectorArg);
        JSHandle h = page.waitForFunction(script, arg, new Page.WaitForFunctionOptions()
                .setTimeout(Math.max(1, millis(timeout))).setPollingInterval(POLL_MS));
        try {
            return parse(h.jsonValue());
        } finally {
            h.dispose();
        }
    }

    private static JsonNode parse(Object result) {
        try {
            return JSON.readTree(String.valueOf(result));
        } catch (IOException e) {
            throw new UncheckedIOException("unexpected answer from the page script", e);
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    static double millis(Duration d) {
        return Math.max(1, d.toMillis());
    }
}
