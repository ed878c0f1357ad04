package dev.wasched.whatsapp.internal;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.PlaywrightException;
import dev.wasched.delivery.DeliveryStatus;
import dev.wasched.spi.transport.TransportEvent;
import dev.wasched.whatsapp.PageCapability;
import dev.wasched.whatsapp.PageLayer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * WhatsApp Web's own modules, called from a script in the page ({@code in-page-layer.js} next to this class, shipped
 * in the jar; nothing is loaded from the network). The page registers its modules over a few seconds after the chat
 * list shows, so the modules are looked for once their number has stopped changing for a while (the configured
 * {@code moduleSettle}, by default the 750 ms wa-js waits for), and again after every reload. A module is taken for a role by what it exports, never by
 * its id, which changes between builds.
 *
 * <p>Per {@link PageCapability}: in-page when the modules it needs were found and the mode allows it; an in-page call
 * that throws turns the capability to the user interface until the page loads again (the caller then does that call
 * through the user interface). Browser thread only.
 */
public final class InPageLayer {
    /** The longest to wait for the count to settle; then the modules registered so far are used. */
    static final Duration MAX_SETTLE = Duration.ofSeconds(15);
    /** The capabilities this layer can do in-page. */
    static final Set<PageCapability> IMPLEMENTED = Collections.unmodifiableSet(EnumSet.of(PageCapability.SEND_TEXT,
            PageCapability.SEND_MEDIA, PageCapability.OPEN_CHAT, PageCapability.ACKS, PageCapability.REGISTRATION_CHECK, PageCapability.CONNECTION_STATE,
            PageCapability.INCOMING_MESSAGES));

    private static final Logger log = LoggerFactory.getLogger(InPageLayer.class);
    private static final String SOURCE = PageExtractors.script("in-page-layer.js");

    private final PageLayer mode;
    private final String account;
    /** How long the module count must stay the same before the modules are looked for. */
    private final Duration settle;
    private final EnumSet<PageCapability> inPage = EnumSet.noneOf(PageCapability.class);
    /** {@link #inPage} for other threads (health, stats), replaced on every change. */
    private volatile Set<PageCapability> published = Set.of();
    private boolean settled;
    private boolean everSettled;
    private long firstLookAt;
    private int lastCount = Integer.MIN_VALUE;
    private long countSince;
    /** The registry grew after the look; looked at again once it is quiet. */
    private boolean regrowing;
    /** Capabilities whose in-page call failed on this page: the user interface does them until it loads again. */
    private final EnumSet<PageCapability> failedHere = EnumSet.noneOf(PageCapability.class);

    /** The capabilities the user interface has a way for (received messages: chats with an unread badge). */
    private final Set<PageCapability> throughInterface;

    /**
     * @param unreadThroughInterface whether the user interface reads received messages (from chats with an unread
     *                               badge) where the page's modules cannot report them
     */
    public InPageLayer(PageLayer mode, String account, Duration settle, boolean unreadThroughInterface) {
        this.mode = mode;
        this.account = account;
        this.settle = settle;
        this.throughInterface = unreadThroughInterface ? EnumSet.allOf(PageCapability.class)
                : EnumSet.complementOf(EnumSet.of(PageCapability.INCOMING_MESSAGES));
    }

    public PageLayer mode() {
        return mode;
    }

    /** Whether {@code c} is done in-page now. */
    public boolean has(PageCapability c) {
        return inPage.contains(c);
    }

    /** The capabilities done in-page now; any thread. */
    public Set<PageCapability> inPage() {
        return published;
    }

    private void changed() {
        published = Collections.unmodifiableSet(EnumSet.copyOf(inPage));
    }

    /** The capabilities the mode requires in-page that the page lacks (only {@link PageLayer#IN_PAGE_ONLY} has any). */
    public Set<PageCapability> missing() {
        if (mode != PageLayer.IN_PAGE_ONLY || !settled) {
            return Set.of();
        }
        EnumSet<PageCapability> m = EnumSet.allOf(PageCapability.class);
        m.removeAll(inPage);
        return m;
    }

    /** Forgets what was found: the page loaded again. */
    public void reset() {
        inPage.clear();
        failedHere.clear();
        changed();
        settled = false;
        regrowing = false;
        firstLookAt = 0;
        lastCount = Integer.MIN_VALUE;
    }

    /**
     * One look at the page's module registry, from the periodic check: true once the modules have been looked for
     * (found or not). With {@link PageLayer#UI_ONLY} at once, without a look.
     */
    public boolean settle(Page page, long now) {
        if (mode == PageLayer.UI_ONLY) {
            return settled = true;
        }
        if (settled && !inPage.containsAll(wanted())) {
            lookAgainIfGrown(page, now);
        }
        if (settled) {
            return true;
        }
        Integer count = count(page);
        if (count == null) {
            return false; // a navigation was under way: look again at the next check
        }
        if (firstLookAt == 0) {
            firstLookAt = now;
        }
        if (count != lastCount) {
            lastCount = count;
            countSince = now;
        }
        boolean quiet = now - countSince >= settle.toNanos();
        if (!quiet && now - firstLookAt < MAX_SETTLE.toNanos()) {
            return false;
        }
        find(page, count);
        return settled = true;
    }

    /** What the layer would run in-page: what it can, less what failed on this page. */
    private Set<PageCapability> wanted() {
        EnumSet<PageCapability> w = EnumSet.copyOf(IMPLEMENTED);
        w.removeAll(failedHere);
        return w;
    }

    /**
     * After the look, a page whose modules lacked something may still be registering (a slow machine, a build that
     * spreads its registration wider than the quiet period): when the registry grew and is quiet again, look again.
     */
    private void lookAgainIfGrown(Page page, long now) {
        Integer count = count(page);
        if (count == null) {
            return;
        }
        if (count != lastCount) {
            lastCount = count;
            countSince = now;
            regrowing = true;
        } else if (regrowing && now - countSince >= settle.toNanos()) {
            regrowing = false;
            find(page, count);
        }
    }

    private static Integer count(Page page) {
        try {
            return ((Number) page.evaluate(SOURCE, Map.of("op", "count"))).intValue();
        } catch (PlaywrightException | ClassCastException e) {
            return null;
        }
    }

    @SuppressWarnings("unchecked")
    private void find(Page page, int count) {
        inPage.clear();
        List<String> roles = List.of();
        if (count > 0) {
            try {
                Map<String, Object> r = (Map<String, Object>) page.evaluate(SOURCE, Map.of("op", "find"));
                for (Object c : (List<Object>) r.get("found")) {
                    PageCapability cap = PageCapability.valueOf(String.valueOf(c));
                    if (IMPLEMENTED.contains(cap) && !failedHere.contains(cap)) {
                        inPage.add(cap);
                    }
                }
                roles = (List<String>) r.get("roles");
                changed();
            } catch (RuntimeException e) {
                log.warn("account {}: looking for WhatsApp Web's modules failed, using the page's user interface: {}",
                        account, BrowserSession.firstLine(e));
            }
        }
        String line = "account {}: page layer {}: {}{}";
        String detail = count < 0 ? " (the page has no module registry)" : " (" + count + " modules, roles found: "
                + String.join(", ", roles) + ")";
        if (!everSettled) {
            log.info(line, account, mode, describe(), detail);
        } else {
            log.debug(line, account, mode, describe(), detail);
        }
        everSettled = true;
    }

    /** "in-page: send text, acks; UI: send media, open chat", for the log, health and probe output. */
    public String describe() {
        List<String> in = new ArrayList<>();
        List<String> ui = new ArrayList<>();
        List<String> none = new ArrayList<>();
        for (PageCapability c : PageCapability.values()) {
            (inPage.contains(c) ? in : throughInterface.contains(c) ? ui : none).add(c.label());
        }
        List<String> parts = new ArrayList<>();
        if (!in.isEmpty()) {
            parts.add("in-page: " + String.join(", ", in));
        }
        if (!ui.isEmpty()) {
            parts.add("UI: " + String.join(", ", ui));
        }
        if (!none.isEmpty()) {
            parts.add("not available: " + String.join(", ", none));
        }
        return String.join("; ", parts);
    }

    /** Turns {@code c} to the user interface until the page loads again, after an in-page call of it failed. */
    public void failed(PageCapability c, Throwable e) {
        failedHere.add(c);
        if (inPage.remove(c)) {
            changed();
            log.warn("account {}: in-page {} failed, using the page's user interface for it from now on: {}", account,
                    c.label(), BrowserSession.firstLine(e));
        }
    }

    /** Whether {@code digits} is on WhatsApp, asked in-page. */
    public boolean registered(Page page, String digits) {
        @SuppressWarnings("unchecked")
        Map<String, Object> r = (Map<String, Object>) page.evaluate(SOURCE, Map.of("op", "exists", "digits", digits));
        return Boolean.TRUE.equals(r.get("registered"));
    }

    /** What an in-page opening of a chat did. */
    public enum Opening {
        /** The page says the number's chat is the active one now. */
        OPENED,
        /** The registration query says the number is not on WhatsApp. */
        NOT_ON_WHATSAPP,
        /** Not opened in-page (offline, no LID for the number, another chat active): the user interface opens it. */
        NOT_OPENED
    }

    /** Opens the number's chat as a click on its row would, through WhatsApp Web's command module. */
    public Opening open(Page page, String digits) {
        @SuppressWarnings("unchecked")
        Map<String, Object> r = (Map<String, Object>) page.evaluate(SOURCE, Map.of("op", "open", "digits", digits));
        if (Boolean.TRUE.equals(r.get("invalid"))) {
            return Opening.NOT_ON_WHATSAPP;
        }
        return Boolean.TRUE.equals(r.get("opened")) ? Opening.OPENED : Opening.NOT_OPENED;
    }

    /** What an in-page send found before anything left: go ahead with an id, or why not. */
    public sealed interface Prepared {
        /** Everything is in place; the message will have this id (the key part, as the page's rows show it). */
        record Ready(String id) implements Prepared {
        }

        /** The number is not on WhatsApp. */
        record NotOnWhatsApp() implements Prepared {
        }

        /** The page is not connected; WhatsApp Web's own connection state. */
        record Offline(String state) implements Prepared {
        }

        /** The in-page path cannot send this one; the user interface can. */
        record UseInterface(String reason) implements Prepared {
        }
    }

    /**
     * The chat, the LID the send path needs (looked up when the page does not know it yet) and the new message's
     * id. Nothing is sent.
     */
    public Prepared prepare(Page page, String digits) {
        @SuppressWarnings("unchecked")
        Map<String, Object> r = (Map<String, Object>) page.evaluate(SOURCE, Map.of("op", "prepare", "digits", digits));
        if (r.get("offline") != null) {
            return new Prepared.Offline(String.valueOf(r.get("offline")));
        }
        if (Boolean.TRUE.equals(r.get("invalid"))) {
            return new Prepared.NotOnWhatsApp();
        }
        if (Boolean.TRUE.equals(r.get("noLid"))) {
            return new Prepared.UseInterface("the page has no LID for the number");
        }
        if (Boolean.TRUE.equals(r.get("noChat"))) {
            return new Prepared.UseInterface("the page found no chat for the number");
        }
        return new Prepared.Ready(String.valueOf(r.get("id")));
    }

    /** The send action: the message with id {@code id} is added to the chat and handed to WhatsApp. */
    public Sent send(Page page, String digits, String id, String text) {
        return sent(page.evaluate(SOURCE, Map.of("op", "send", "digits", digits, "id", id, "text", text)));
    }

    /**
     * The send action for a file: prepared in the page, then the message with id {@code id} is added to the chat and
     * handed to WhatsApp; {@code wait} bounds the wait for it to be added.
     */
    public Sent sendMedia(Page page, String digits, String id, String caption, String fileName, String mimeType,
                          byte[] bytes, Duration wait) {
        Map<String, Object> arg = new java.util.HashMap<>();
        arg.put("op", "sendMedia");
        arg.put("digits", digits);
        arg.put("id", id);
        arg.put("caption", caption == null ? "" : caption);
        arg.put("name", fileName);
        arg.put("mime", mimeType);
        arg.put("data", java.util.Base64.getEncoder().encodeToString(bytes));
        arg.put("timeoutMs", (int) Math.min(Integer.MAX_VALUE, wait.toMillis()));
        return sent(page.evaluate(SOURCE, arg));
    }

    @SuppressWarnings("unchecked")
    private static Sent sent(Object answer) {
        Map<String, Object> r = (Map<String, Object>) answer;
        Object error = r.get("error");
        Object added = r.get("added");
        return new Sent(Boolean.TRUE.equals(added), added == null, error == null ? null : String.valueOf(error));
    }

    /**
     * What the send action did: whether the message was added to the chat (from then on it may leave), whether that
     * is unknown (the page neither added nor refused it in time, or the call failed with the message in the page's
     * message collection), and the error of a call that failed before adding it.
     */
    public record Sent(boolean added, boolean unknown, String error) {
    }

    /**
     * WhatsApp Web's verdict on the send of {@code id}: {@code OK} once the server has the message, {@code ERROR_…}
     * when it was refused; null when none came within {@code wait}.
     *
     * @throws IllegalStateException when the page loaded again since the send action, so no verdict will come
     */
    public String confirm(Page page, String id, Duration wait) {
        @SuppressWarnings("unchecked")
        Map<String, Object> r = (Map<String, Object>) page.evaluate(SOURCE, Map.of("op", "confirm", "id", id,
                "timeoutMs", (int) Math.min(Integer.MAX_VALUE, wait.toMillis())));
        if (Boolean.TRUE.equals(r.get("lost"))) {
            throw new IllegalStateException("WhatsApp Web loaded again after the send action");
        }
        Object result = r.get("result");
        return result == null ? null : String.valueOf(result);
    }

    /** What the page heard since the last drain. */
    public record Drained(boolean installed, List<Ack> acks, List<TransportEvent.MessageReceived> incoming,
                          String connection) {
    }

    /** An ack level heard for one of the account's own messages (WhatsApp Web's numbers: 2 delivered, 3 read). */
    public record Ack(String id, int level) {
        /** DELIVERED, READ, or null for levels that say neither (pending, sent, errors). */
        public DeliveryStatus status() {
            return level >= 3 ? DeliveryStatus.READ : level == 2 ? DeliveryStatus.DELIVERED : null;
        }
    }

    /** The ack levels the page holds for those of {@code ids} it has in its message collection. */
    @SuppressWarnings("unchecked")
    public List<Ack> acksOf(Page page, List<String> ids) {
        List<Map<String, Object>> r = (List<Map<String, Object>>) page.evaluate(SOURCE, Map.of("op", "acks", "ids", ids));
        return r.stream().map(InPageLayer::ack).collect(Collectors.toList());
    }

    private static Ack ack(Map<String, Object> a) {
        return new Ack(String.valueOf(a.get("id")), ((Number) a.get("ack")).intValue());
    }

    /** The acks heard since the last call, and the connection state; not installed after the page loaded again. */
    @SuppressWarnings("unchecked")
    public Drained drain(Page page) {
        Map<String, Object> r = (Map<String, Object>) page.evaluate(SOURCE, Map.of("op", "drain"));
        if (!Boolean.TRUE.equals(r.get("installed"))) {
            return new Drained(false, List.of(), List.of(), null);
        }
        List<Ack> acks = ((List<Map<String, Object>>) r.get("acks")).stream().map(InPageLayer::ack)
                .collect(Collectors.toList());
        List<TransportEvent.MessageReceived> incoming = new ArrayList<>();
        for (Map<String, Object> m : (List<Map<String, Object>>) r.get("incoming")) {
            try {
                incoming.add(new TransportEvent.MessageReceived(text(m, "id"), text(m, "sender"), text(m, "chat"),
                        text(m, "text"), text(m, "media"), text(m, "quoted"),
                        Instant.ofEpochSecond(((Number) m.get("t")).longValue())));
            } catch (RuntimeException e) {
                log.warn("account {}: a received message could not be read: {}", account, e.getMessage());
            }
        }
        Object socket = r.get("socket");
        return new Drained(true, acks, incoming, socket == null ? null : String.valueOf(socket));
    }


    private static String text(Map<String, Object> m, String key) {
        Object v = m.get(key);
        return v == null ? null : String.valueOf(v);
    }
}
