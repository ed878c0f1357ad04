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

/**
 * WhatsApp Web's page as the transport uses it: every DOM fact comes from the {@link SelectorProfile}. Browser thread
 * only; holds no listeners.
 */
public final class WhatsAppWebPage {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int POLL_MS = 50;

    /** How a chat-opening attempt ended. */
    public enum Opened { CHAT, INVALID_NUMBER, LOGIN }

    /** An outgoing bubble in the open chat. */
    public record Bubble(String id, String icon, String text, String media) {
    }

    /** What to recognise our bubble by: its normalised text (the caption for media) and the file name, or null. */
    public record Match(String text, String media) {
        /** Whether a bubble shows exactly this text and file name. */
        public boolean matches(Bubble b) {
            return b.text().equals(text) && java.util.Objects.equals(b.media(), media);
        }
    }

    /** Where a followed bubble got to. */
    public enum Progress { ACCEPTED, SEEN, RELOADED, TIMEOUT }

    /**
     * Where a followed bubble got to: its id and icon, and (when it was found) its normalised text and file name, for
     * the soft check that it shows what was entered.
     */
    public record Followed(Progress progress, String id, String icon, String text, String media) {
        Followed(Progress progress, String id) {
            this(progress, id, null, null, null);
        }

        /** Whether the bubble shows what was entered; null when it was not read. */
        public Boolean matches(Match m) {
            return text == null ? null : text.equals(m.text()) && java.util.Objects.equals(media, m.media());
        }
    }

    private final Page page;
    private final SelectorProfile selectors;
    private final Map<String, List<String>> selectorArg;
    private final PlaywrightTransportConfig config;

    public WhatsAppWebPage(Page page, PlaywrightTransportConfig config) {
        this.page = page;
        this.config = config;
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
            out.add(new Bubble(b.path("id").asText(), text(b, "icon"), b.path("text").asText(""), text(b, "media")));
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
     * Opens a chat: a direct chat through the click-to-chat link (with the number only: message text never goes into
     * a URL, where browser history, proxies and error messages would keep it), a group through the search box.
     *
     * @throws dev.wasched.spi.transport.PermanentTransportException for a group that is not in the chat list
     * @throws TimeoutError when nothing recognisable appears in time
     */
    public Opened openChat(ChatTarget target, Duration timeout) throws dev.wasched.spi.transport.TransportException {
        if (!target.group()) {
            navigate(sel("clickToChatPath").replace("{phone}", target.key()), timeout);
            return opened(waitFor(PageScripts.CHAT_OPENED, Map.of("title", ""), timeout));
        }
        if (!ensureMain(timeout)) {
            return Opened.LOGIN;
        }
        page.keyboard().press("Escape");
        click("searchButton");
        Locator box = page.locator(sel("searchBox")).first();
        box.fill(target.key(), new Locator.FillOptions().setTimeout(millis(config.elementTimeout())));
        String title = template("chatTitle", target.key());
        Locator item = page.locator(sel("chatList")).locator(sel("chatListItem"))
                .filter(new Locator.FilterOptions().setHas(page.locator(title))).first();
        try {
            item.click(new Locator.ClickOptions().setTimeout(millis(config.elementTimeout())));
        } catch (TimeoutError e) {
            throw new dev.wasched.spi.transport.PermanentTransportException("no group titled as the delivery's group is "
                    + "in the chat list (selector profile keys chatList/chatListItem/chatTitle)");
        }
        return opened(waitFor(PageScripts.CHAT_OPENED, Map.of("title", template("openChatTitle", target.key())), timeout));
    }

    private static Opened opened(JsonNode r) {
        return switch (r.path("kind").asText()) {
            case "invalid" -> Opened.INVALID_NUMBER;
            case "login" -> Opened.LOGIN;
            default -> Opened.CHAT;
        };
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
                r.path("text").asText(""), text(r, "media"));
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
        String shown = page.locator(sel("pairingCode")).count() > 0 ? currentPairingCode() : null;
        input.press("Enter");
        long deadline = System.nanoTime() + config.elementTimeout().toNanos();
        while (System.nanoTime() < deadline) {
            String code = currentPairingCode();
            if (code != null && !code.equals(shown)) {
                return code;
            }
            Locator error = page.locator(sel("phoneNumberError")).first();
            if (error.count() > 0 && !error.innerText().isBlank()) {
                throw new dev.wasched.spi.transport.PermanentTransportException(
                        "WhatsApp Web rejected the phone number for a pairing code: " + error.innerText().strip());
            }
            page.waitForTimeout(POLL_MS);
        }
        throw missing("pairingCode");
    }

    private String currentPairingCode() {
        Locator code = page.locator(sel("pairingCode")).first();
        if (code.count() == 0) {
            return null;
        }
        String raw = null;
        for (String attribute : selectors.candidates("pairingCodeAttribute")) {
            String v = code.getAttribute(attribute);
            if (v != null && !v.isBlank()) {
                raw = v;
                break;
            }
        }
        raw = raw == null ? code.innerText() : raw;
        String canonical = PageExtractors.canonicalPairingCode(raw);
        return canonical != null ? canonical : raw.replaceAll("\\s", "");
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
