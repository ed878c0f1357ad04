package dev.wasched.testkit.whatsapp.internal;

import dev.wasched.testkit.whatsapp.AckStatus;
import dev.wasched.testkit.whatsapp.ConnectionState;
import dev.wasched.testkit.whatsapp.DomVariant;
import dev.wasched.testkit.whatsapp.InPageModules;
import dev.wasched.testkit.whatsapp.LinkRejectedException;
import dev.wasched.testkit.whatsapp.LinkRejectedException.Reason;
import dev.wasched.testkit.whatsapp.PageGeneration;
import dev.wasched.testkit.whatsapp.ReceivedMessage;
import dev.wasched.testkit.whatsapp.SimulatorException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything the simulated phone and server know, behind this object's monitor. The HTTP layer
 * and the public control API both call in here; timers run on the given scheduler and take the
 * same monitor, so no state is ever touched without it.
 *
 * <p>QR rotation is derived from elapsed time instead of being driven by a timer: a page
 * that is gone then costs nothing, and every reader (poll, {@code scanQr}, tests) agrees on
 * which payload is current.
 */
public final class SimulatorState {

    /**
     * Fixed options chosen at build time.
     *
     * @param qrRotationInterval how long each QR payload is shown
     * @param qrRotationsBeforeExpiry how often the payload is replaced before the QR expires
     * @param deliveredAfter initial delay from accepted to delivered
     * @param readAfter initial delay from delivered to read
     * @param loadingScreen how long the page shows its loading screen after linking
     * @param pollInterval how often the page asks the server for news
     * @param ownDigits the simulated account's own number, digits only
     * @param domVariant the initial DOM variant
     * @param generation which page is served
     * @param visibleMessages how many message rows a {@code WEB_2026} page keeps in the DOM
     * @param readMoreAfter from how many characters on a {@code WEB_2026} bubble is cut with "Read more"
     * @param webVersion what {@code window.Debug.VERSION} says on a {@code WEB_2026} page
     * @param profileName the account's profile name, the sender in {@code data-pre-plain-text} of own messages
     * @param chatHistoryBytes how much chat history a linked {@code WEB_2026} page keeps in IndexedDB
     * @param whatsNewAfterBoot whether every {@code WEB_2026} page load shows the "What's new" dialog
     * @param passkeyAfterLink whether linking a {@code WEB_2026} page asks for a passkey before the chats show
     */
    public record Settings(
            Duration qrRotationInterval,
            int qrRotationsBeforeExpiry,
            Duration deliveredAfter,
            Duration readAfter,
            Duration loadingScreen,
            Duration pollInterval,
            String ownDigits,
            DomVariant domVariant,
            PageGeneration generation,
            int visibleMessages,
            int readMoreAfter,
            String webVersion,
            String profileName,
            long chatHistoryBytes,
            boolean whatsNewAfterBoot,
            boolean passkeyAfterLink) {
    }

    /** A request the page should not have made; carries the HTTP status and a short code for the page. */
    public static final class ApiException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        /** HTTP status to answer with. */
        private final int status;

        ApiException(int status, String code) {
            super(code);
            this.status = status;
        }

        /** @return the HTTP status to answer with */
        public int status() {
            return status;
        }

        /** @return the short error code the page gets */
        public String code() {
            return getMessage();
        }
    }

    /**
     * A message as the page submitted it.
     *
     * @param chat chat JID ({@code DIGITS@c.us} or {@code ID@g.us})
     * @param id the message id (page-generated, becomes the bubble's permanent {@code data-id})
     * @param text text, for a text message
     * @param caption caption, for a media message
     * @param media the file, for a media message, else {@code null}
     */
    /**
     * @param clientTime when the page sent it (epoch milliseconds), or null: a chat's messages are in the order their
     *                   senders sent them (WhatsApp's message timestamp is the sending client's), not the order the
     *                   server happened to accept a burst of concurrent posts
     */
    public record Submission(String chat, String id, String text, String caption, ReceivedMessage.Media media,
                             Long clientTime) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(SimulatorState.class);

    // A page polls several times a second; one that stayed silent this long is gone (closed
    // without a beacon, crashed, or frozen in a debugger).
    private static final long CLIENT_TTL_NANOS = TimeUnit.SECONDS.toNanos(15);
    // Poll at least this often while awaiting, because QR rotation and expiry follow the clock, not notify().
    private static final long AWAIT_SLICE_MILLIS = 50;
    // WhatsApp's own limit on the length of a text message.
    private static final int MAX_TEXT_LENGTH = 65_536;
    private static final Pattern MESSAGE_ID = Pattern.compile("true_(\\d+@[cg]\\.us)_([0-9A-F]{16,32})(?:_(\\d+)@c\\.us)?");
    // Like WhatsApp's pairing codes: no 0/O or 1/I/U lookalikes.
    private static final String PAIRING_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTVWXYZ";

    private enum Mode { QR, PHONE_ENTRY, PAIRING, LINKED, LOGGED_OUT }

    private enum Stage { PENDING, SENT, DELIVERED, READ }

    /** One QR login attempt of one page: a fixed series of payloads shown one interval each. */
    private static final class QrAttempt {
        final List<String> payloads;
        final long startNanos;
        final Map<String, QrCodes.Matrix> matrices = new HashMap<>();
        boolean abandoned;

        QrAttempt(List<String> payloads, long startNanos) {
            this.payloads = payloads;
            this.startNanos = startNanos;
        }
    }

    /** One open page (one browser tab that loaded the app). */
    private static final class Client {
        final String id;
        final long seq;
        long lastSeenNanos;
        long reloadGeneration;
        // Bumped on every page-visible mode change so the page can drop answers of polls that raced it.
        int version;
        Mode mode;
        QrAttempt attempt;
        String shownPayload;
        String pairingCode;
        String pairingDigits;
        String token;
        // Screens of a WEB_2026 page that belong to this page alone.
        boolean whatsNew;
        /** The page was told to show the dialog (in a poll answer), so it is on its screen. */
        boolean whatsNewSent;
        boolean conflict;

        Client(String id, long seq, long now, long reloadGeneration) {
            this.id = id;
            this.seq = seq;
            this.lastSeenNanos = now;
            this.reloadGeneration = reloadGeneration;
        }
    }

    private record Group(String jid, String name, List<String> memberDigits) {
    }

    /** A linked device: when it linked and the account (phone number) that linked it. */
    private record Session(Instant linkedAt, String digits, int device) {
        /** The device's own JID as WhatsApp Web stores it ({@code last-wid-md}): {@code DIGITS:DEVICE@c.us}. */
        String wid() {
            return digits + ":" + device + "@c.us";
        }
    }

    private static final class Msg {
        final String id;
        final String chatJid;
        final String text;
        final String caption;
        final ReceivedMessage.Media media;
        final Instant postedAt;
        /** When the sending page sent it: what orders a chat's history. */
        final Instant sentAt;
        Instant acceptedAt;
        Stage stage = Stage.PENDING;

        Msg(String id, String chatJid, String text, String caption, ReceivedMessage.Media media, Instant postedAt,
            Instant sentAt) {
            this.sentAt = sentAt;
            this.id = id;
            this.chatJid = chatJid;
            this.text = text;
            this.caption = caption;
            this.media = media;
            this.postedAt = postedAt;
        }
    }

    private final Settings settings;
    private final ScheduledExecutorService timers;
    private final SecureRandom random = new SecureRandom();

    private final Map<String, Client> clients = new LinkedHashMap<>();
    private final Map<String, QrAttempt> attemptByPayload = new HashMap<>();
    private final Map<String, Session> sessions = new LinkedHashMap<>();
    /** Messages people sent to the account, oldest first. */
    private final List<Map<String, Object>> inbound = new ArrayList<>();
    /** Received messages as the chats show them, per phone-number chat, oldest first. */
    private final Map<String, List<Incoming>> incomingByChat = new LinkedHashMap<>();
    /** Unread received messages per phone-number chat; opening the chat on any linked page reads them. */
    private final Map<String, Integer> unread = new HashMap<>();

    /** A received message as its chat shows it. */
    private record Incoming(String id, String text, String quotedText, Instant at, String senderDigits) {
    }
    /** Per linked device (session token): how many of {@link #inbound} it has been handed. */
    private final Map<String, Integer> inboundHanded = new HashMap<>();
    private final Map<String, String> contacts = new LinkedHashMap<>();
    private final Map<String, Group> groups = new LinkedHashMap<>();
    private final Map<String, Msg> messages = new LinkedHashMap<>();
    private final Set<String> dropped = new HashSet<>();
    // WEB_2026 pages show only the message key in data-id; tests look messages up by either form.
    private final Map<String, String> idByKey = new HashMap<>();
    private final Set<String> heldAcks = new LinkedHashSet<>();

    private Duration deliveredAfter;
    private Duration readAfter;
    private boolean acksHeld;
    private Duration sendDelay = Duration.ZERO;
    private int dropsLeft;
    private DomVariant variant;
    private InPageModules inPageModules = InPageModules.standard();
    private long reloadGeneration;
    private long chatsVersion;
    private long clientSeq;
    private int deviceSeq;
    private boolean closed;
    private ConnectionState connection = ConnectionState.ONLINE;
    private boolean restricted;
    private boolean passkeyRequired;

    /**
     * @param settings build-time options
     * @param timers runs ack and slow-send timers; owned by the caller, which shuts it down
     */
    public SimulatorState(Settings settings, ScheduledExecutorService timers) {
        this.settings = settings;
        this.timers = timers;
        this.deliveredAfter = settings.deliveredAfter();
        this.readAfter = settings.readAfter();
        this.variant = settings.domVariant();
    }

    // ------------------------------------------------------------------ page side (HTTP)

    /**
     * A page loaded and introduces itself, with the session token it found in IndexedDB if any.
     *
     * @param token stored session token or {@code null}
     * @return client id, whether the token is still valid, page configuration and the first view
     */
    public synchronized Map<String, Object> registerClient(String token) {
        ensureOpen();
        long now = System.nanoTime();
        sweep(now);
        Client c = new Client(randomId(12), ++clientSeq, now, reloadGeneration);
        if (token != null && sessions.containsKey(token)) {
            c.mode = Mode.LINKED;
            c.token = token;
        } else {
            startAttempt(c, now);
        }
        clients.put(c.id, c);
        notifyAll();
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("pollMs", settings.pollInterval().toMillis());
        config.put("loadingMs", settings.loadingScreen().toMillis());
        config.put("ownDigits", settings.ownDigits());
        config.put("variant", variant);
        config.put("generation", settings.generation().name());
        config.put("visibleMessages", settings.visibleMessages());
        config.put("readMoreAfter", settings.readMoreAfter());
        config.put("profileName", settings.profileName());
        config.put("historyBytes", settings.chatHistoryBytes());
        config.put("readsArrivals", openChatReadsArrivals);
        Map<String, Object> modules = new LinkedHashMap<>();
        modules.put("ids", inPageModules.ids());
        modules.put("lidMapping", inPageModules.lidMapping());
        modules.put("spreadMs", inPageModules.registrationSpread().toMillis());
        config.put("modules", modules);
        c.whatsNew = settings.whatsNewAfterBoot();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("clientId", c.id);
        out.put("linked", c.mode == Mode.LINKED);
        out.put("config", config);
        out.put("view", view(c, null, now));
        out.put("screens", screens(c));
        return out;
    }

    /**
     * The page's periodic question "anything new?".
     *
     * @param clientId the page
     * @param shownQr the QR payload the page displays, so the matrix is only sent when it changes
     * @param watch ids of bubbles whose status the page still expects to change
     * @return view, reload flag, chat list version and statuses of the watched messages
     */
    public synchronized Map<String, Object> poll(String clientId, String shownQr, Collection<String> watch) {
        ensureOpen();
        long now = System.nanoTime();
        Client c = client(clientId);
        c.lastSeenNanos = now;
        boolean reload = c.reloadGeneration < reloadGeneration;
        c.reloadGeneration = reloadGeneration;
        Map<String, String> statuses = new LinkedHashMap<>();
        // Acks travel over the connection: while it is down the page hears nothing.
        if (c.mode == Mode.LINKED && connection == ConnectionState.ONLINE && !c.conflict) {
            for (String id : watch) {
                Msg m = messages.get(id);
                if (m != null) {
                    statuses.put(id, m.stage.name().toLowerCase(Locale.ROOT));
                } else if (dropped.contains(id)) {
                    statuses.put(id, "pending");
                }
            }
        }
        List<Map<String, Object>> arrived = new ArrayList<>();
        // Received messages travel over the connection too; each linked device is handed each one once.
        if (c.mode == Mode.LINKED && connection == ConnectionState.ONLINE && !c.conflict && c.token != null) {
            int from = inboundHanded.computeIfAbsent(c.token, t -> inbound.size());
            arrived.addAll(inbound.subList(from, inbound.size()));
            inboundHanded.put(c.token, inbound.size());
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("view", view(c, shownQr, now));
        out.put("reload", reload);
        out.put("inbound", arrived);
        out.put("chatsVersion", chatsVersion);
        out.put("statuses", statuses);
        out.put("screens", screens(c));
        return out;
    }

    /**
     * The page closed the "What's new" dialog.
     *
     * @param clientId the page
     * @return the screens now
     */
    public synchronized Map<String, Object> dismissWhatsNew(String clientId) {
        ensureOpen();
        Client c = client(clientId);
        c.whatsNew = false;
        notifyAll();
        return Map.of("screens", screens(c));
    }

    /**
     * The page's user clicked "Use here" on the "open in another window" screen.
     *
     * @param clientId the page
     * @return the screens now
     */
    public synchronized Map<String, Object> useHere(String clientId) {
        ensureOpen();
        Client c = linkedClient(clientId);
        c.conflict = false;
        notifyAll();
        return Map.of("screens", screens(c));
    }

    /**
     * The page verified the account's passkey ({@code navigator.credentials.get} resolved).
     *
     * @param clientId the page
     * @return the screens now
     */
    public synchronized Map<String, Object> passkeyVerified(String clientId) {
        ensureOpen();
        Client c = linkedClient(clientId);
        passkeyRequired = false;
        notifyAll();
        return Map.of("screens", screens(c));
    }

    private Map<String, Object> screens(Client c) {
        c.whatsNewSent = c.whatsNew;
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("whatsNew", c.whatsNew);
        out.put("conflict", c.conflict);
        out.put("passkey", passkeyRequired);
        out.put("restricted", restricted);
        out.put("connection", connection.name());
        return out;
    }

    /**
     * The page wants a fresh QR attempt (the reload button, or "Link with QR code instead").
     *
     * @param clientId the page
     * @return the new view
     */
    public synchronized Map<String, Object> startQr(String clientId) {
        ensureOpen();
        long now = System.nanoTime();
        Client c = unlinkedClient(clientId);
        startAttempt(c, now);
        notifyAll();
        return Map.of("view", view(c, null, now));
    }

    /**
     * The page switched to "Link with phone number" and asks for the number; its QR is gone.
     *
     * @param clientId the page
     * @return the new view
     */
    public synchronized Map<String, Object> startPhoneEntry(String clientId) {
        ensureOpen();
        Client c = unlinkedClient(clientId);
        abandonAttempt(c);
        c.mode = Mode.PHONE_ENTRY;
        c.version++;
        notifyAll();
        return Map.of("view", view(c, null, System.nanoTime()));
    }

    /**
     * The page submitted a phone number and wants a pairing code.
     *
     * @param clientId the page
     * @param phone what the user typed
     * @return the new view, or {@code error: invalid-phone}
     */
    public synchronized Map<String, Object> requestPairingCode(String clientId, String phone) {
        ensureOpen();
        Client c = unlinkedClient(clientId);
        String digits = PhoneNumbers.digitsOrNull(phone);
        if (digits == null) {
            return Map.of("error", "invalid-phone");
        }
        abandonAttempt(c);
        c.mode = Mode.PAIRING;
        c.pairingDigits = digits;
        StringBuilder code = new StringBuilder(8);
        for (int i = 0; i < 8; i++) {
            code.append(PAIRING_ALPHABET.charAt(random.nextInt(PAIRING_ALPHABET.length())));
        }
        c.pairingCode = code.toString();
        c.version++;
        notifyAll();
        return Map.of("view", view(c, null, System.nanoTime()));
    }

    /**
     * The page is going away (sent as a beacon on {@code pagehide}).
     *
     * @param clientId the page
     */
    public synchronized void closeClient(String clientId) {
        Client c = clients.remove(clientId);
        if (c != null) {
            abandonAttempt(c);
            notifyAll();
        }
    }

    /**
     * @param clientId a linked page
     * @return the chat list: groups, direct chats with history, and registered contacts
     *     (flagged {@code contactOnly}, only shown when searching)
     */
    public synchronized Map<String, Object> chats(String clientId) {
        ensureOpen();
        linkedClient(clientId);
        Map<String, Msg> lastByChat = new LinkedHashMap<>();
        for (Msg m : messages.values()) {
            lastByChat.put(m.chatJid, m);
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Group g : groups.values()) {
            rows.add(chatRow(g.jid(), g.name(), true, null, lastByChat.get(g.jid()), false));
        }
        java.util.Set<String> direct = new java.util.LinkedHashSet<>();
        lastByChat.keySet().stream().filter(j -> j.endsWith("@c.us")).forEach(direct::add);
        direct.addAll(incomingByChat.keySet());
        for (String jid : direct) {
            String digits = jid.substring(0, jid.indexOf('@'));
            Map<String, Object> row = chatRow(jid, displayName(digits), false, digits, lastByChat.get(jid), false);
            List<Incoming> in = incomingByChat.get(jid);
            Incoming lastIn = in == null ? null : in.get(in.size() - 1);
            Long lastAt = (Long) row.get("lastAt");
            if (lastIn != null && (lastAt == null || lastIn.at().toEpochMilli() > lastAt)) {
                row.put("lastText", lastIn.text());
                row.put("lastAt", lastIn.at().toEpochMilli());
                row.put("lastStatus", null);
            }
            row.put("unread", unread.getOrDefault(jid, 0));
            rows.add(row);
        }
        for (String digits : contacts.keySet()) {
            if (!direct.contains(digits + "@c.us")) {
                rows.add(chatRow(digits + "@c.us", displayName(digits), false, digits, null, true));
            }
        }
        // Most recent activity first, like WhatsApp; chats without messages keep creation order after them.
        rows.sort(Comparator.comparing((Map<String, Object> r) -> (Long) r.get("lastAt"),
                Comparator.nullsLast(Comparator.reverseOrder())));
        return Map.of("version", chatsVersion, "chats", rows);
    }

    /**
     * Whether a number is on WhatsApp, as the page's in-page query asks the server (no chat is opened).
     *
     * @param clientId a linked page
     * @param phone the number, with or without {@code +}
     * @return {@code registered}, and for a registered number its {@code jid} and, when the build has the LID
     *     mapping, its {@code lid}
     */
    public synchronized Map<String, Object> exists(String clientId, String phone) {
        ensureOpen();
        linkedClient(clientId);
        if (connection != ConnectionState.ONLINE) {
            throw new ApiException(503, "offline");
        }
        String digits = PhoneNumbers.digitsOrNull(phone);
        if (digits == null || !contacts.containsKey(digits)) {
            return Map.of("registered", false);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("registered", true);
        out.put("jid", digits + "@c.us");
        if (inPageModules.lidMapping()) {
            out.put("lid", lidOf(digits));
        }
        return out;
    }

    /**
     * A message from {@code fromDigits} to the account, handed to each linked page at its next poll. With the LID
     * mapping (the 2025-26 builds) the message names its sender and chat by the sender's LID and carries the phone
     * number beside it, as the page learns the mapping from the server; without it, by the phone-number id.
     *
     * @param fromDigits the sender's number, digits only; must be on WhatsApp
     * @param text the text
     * @param quotedKey the key of the account's message it quotes, or null
     * @return the message's id ({@code false_<chat>_<key>})
     */
    public synchronized String receive(String fromDigits, String text, String quotedKey) {
        ensureOpen();
        if (!contacts.containsKey(fromDigits)) {
            throw new IllegalArgumentException("+" + fromDigits + " is not on WhatsApp (registerNumber first)");
        }
        String pn = fromDigits + "@c.us";
        String chat = inPageModules.lidMapping() ? lidOf(fromDigits) : pn;
        String key = java.util.HexFormat.of().withUpperCase().formatHex(randomBytes(16));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", "false_" + chat + "_" + key);
        m.put("key", key);
        m.put("chat", chat);
        m.put("pn", pn);
        m.put("text", text == null ? "" : text);
        m.put("quoted", quotedKey);
        m.put("quotedText", quotedText(quotedKey));
        m.put("sender", displayName(fromDigits));
        Instant at = Instant.now();
        m.put("t", at.getEpochSecond());
        inbound.add(m);
        incomingByChat.computeIfAbsent(pn, k -> new ArrayList<>())
                .add(new Incoming((String) m.get("id"), (String) m.get("text"), quotedText(quotedKey), at, fromDigits));
        unread.merge(pn, 1, Integer::sum);
        chatsVersion++;
        notifyAll();
        return (String) m.get("id");
    }

    /** The text of the account's message with this key, as a quote shows it, or null. */
    private String quotedText(String quotedKey) {
        if (quotedKey == null) {
            return null;
        }
        for (Msg m : messages.values()) {
            if (m.id.endsWith("_" + quotedKey) || m.id.contains("_" + quotedKey + "_")) {
                return m.media != null ? (m.caption.isEmpty() ? m.media.fileName() : m.caption) : m.text;
            }
        }
        return null;
    }

    /** Whether a page with the sender's chat open reads an arriving message at once (no unread badge). */
    private boolean openChatReadsArrivals = true;

    /** @param value whether pages read messages arriving in the chat they have open at once (from their next load) */
    public synchronized void setOpenChatReadsArrivals(boolean value) {
        openChatReadsArrivals = value;
    }

    /**
     * A page that shows a chat read what arrived there: its unread messages are read on every linked device.
     *
     * @param clientId a linked page
     * @param chatJid the chat it shows
     * @return {@code ok}
     */
    public synchronized Map<String, Object> markRead(String clientId, String chatJid) {
        ensureOpen();
        linkedClient(clientId);
        if (chatJid != null && unread.remove(chatJid) != null) {
            chatsVersion++;
        }
        return Map.of("ok", true);
    }

    /**
     * @param digits a number that wrote to the account
     * @return how many of its messages no linked page has shown yet (opening its chat reads them)
     */
    public synchronized int unreadFrom(String digits) {
        return unread.getOrDefault(digits + "@c.us", 0);
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        java.util.concurrent.ThreadLocalRandom.current().nextBytes(b);
        return b;
    }

    /** A stable 15-digit LID per number, as WhatsApp's own LIDs are numbers unrelated to the phone number. */
    static String lidOf(String digits) {
        long h = digits.hashCode() & 0xffffffffL;
        return String.format("%015d@lid", 100_000_000_000_000L + h * 7919 % 900_000_000_000_000L);
    }

    /**
     * @param modules the in-page module registry pages expose from their next load on
     */
    public synchronized void setInPageModules(InPageModules modules) {
        this.inPageModules = java.util.Objects.requireNonNull(modules, "modules");
    }

    /** @return the in-page module registry pages currently load with */
    public synchronized InPageModules inPageModules() {
        return inPageModules;
    }

    /**
     * Opens a chat, by phone number (the {@code /send} link) or by JID (a click in the chat list).
     *
     * @param clientId a linked page
     * @param phone number from the URL, or {@code null}
     * @param jid chat JID, or {@code null}
     * @return {@code ok: false} for a number that is not on WhatsApp, else the chat and its history
     */
    public synchronized Map<String, Object> openChat(String clientId, String phone, String jid) {
        ensureOpen();
        linkedClient(clientId);
        String chatJid;
        if (phone != null && connection != ConnectionState.ONLINE && isWeb2026()) {
            // Whether a number is on WhatsApp is the server's answer; without a connection there is none.
            throw new ApiException(503, "offline");
        }
        if (phone != null) {
            String digits = PhoneNumbers.digitsOrNull(phone);
            if (digits == null || !contacts.containsKey(digits)) {
                return Map.of("ok", false);
            }
            chatJid = digits + "@c.us";
        } else if (jid != null && chatExists(jid)) {
            chatJid = jid;
        } else {
            return Map.of("ok", false);
        }
        Map<String, Object> chat = new LinkedHashMap<>();
        chat.put("jid", chatJid);
        Group g = groups.get(chatJid);
        if (g != null) {
            chat.put("name", g.name());
            chat.put("group", true);
            List<String> members = new ArrayList<>();
            members.add("You");
            g.memberDigits().forEach(d -> members.add(displayName(d)));
            chat.put("subtitle", String.join(", ", members));
        } else {
            String digits = chatJid.substring(0, chatJid.indexOf('@'));
            chat.put("name", displayName(digits));
            chat.put("group", false);
            chat.put("subtitle", "+" + digits);
        }
        List<Map<String, Object>> history = new ArrayList<>();
        for (Msg m : messages.values()) {
            if (m.chatJid.equals(chatJid)) {
                history.add(messageView(m));
            }
        }
        for (Incoming in : incomingByChat.getOrDefault(chatJid, List.of())) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("id", in.id());
            v.put("in", true);
            v.put("text", in.text());
            v.put("caption", "");
            v.put("sender", displayName(in.senderDigits()));
            if (in.quotedText() != null) {
                v.put("quoted", in.quotedText());
            }
            v.put("time", in.at().toEpochMilli());
            v.put("status", "read");
            history.add(v);
        }
        history.sort(Comparator.comparing(v -> (Long) v.get("time")));
        // Opening a chat reads what it holds (and tells the senders: blue ticks), on every linked device.
        if (unread.remove(chatJid) != null) {
            chatsVersion++;
        }
        return Map.of("ok", true, "chat", chat, "messages", history);
    }

    /**
     * The page sends a message. Idempotent per message id, so a page may safely retry a POST
     * whose answer it never saw.
     *
     * @param clientId a linked page
     * @param s what to send
     * @return {@code status}: {@code pending} (not accepted, possibly never) or {@code sent} and later
     */
    public synchronized Map<String, Object> submit(String clientId, Submission s) {
        ensureOpen();
        Client sender = linkedClient(clientId);
        Matcher m = MESSAGE_ID.matcher(s.id() == null ? "" : s.id());
        if (!m.matches() || !m.group(1).equals(s.chat())) {
            throw new ApiException(400, "bad-message-id");
        }
        boolean group = s.chat().endsWith("@g.us");
        String senderDigits = sessions.get(sender.token).digits();
        if (group != (m.group(3) != null) || (group && !m.group(3).equals(senderDigits))) {
            throw new ApiException(400, "bad-message-id");
        }
        if (!chatExists(s.chat())) {
            throw new ApiException(404, "unknown-chat");
        }
        String text = s.text() == null ? "" : s.text().strip();
        String caption = s.caption() == null ? "" : s.caption().strip();
        if (s.media() == null && text.isEmpty()) {
            throw new ApiException(400, "empty-message");
        }
        if (text.length() > MAX_TEXT_LENGTH || caption.length() > MAX_TEXT_LENGTH) {
            throw new ApiException(400, "message-too-long");
        }
        Msg existing = messages.get(s.id());
        if (existing != null) {
            return Map.of("status", existing.stage.name().toLowerCase(Locale.ROOT));
        }
        if (isWeb2026()) {
            if (restricted) {
                throw new ApiException(403, "restricted");
            }
            if (passkeyRequired) {
                throw new ApiException(403, "passkey-required");
            }
            if (connection != ConnectionState.ONLINE || sender.conflict) {
                // Nothing leaves without the connection; the page keeps the message and tries again.
                throw new ApiException(503, "offline");
            }
        }
        if (dropped.contains(s.id())) {
            return Map.of("status", "pending");
        }
        if (dropsLeft > 0) {
            // Lost on the way: the server never hears of it, so a retry of the same id stays lost too.
            dropsLeft--;
            dropped.add(s.id());
            LOG.debug("dropping message {}", s.id());
            return Map.of("status", "pending");
        }
        Instant now = Instant.now();
        // A page's own clock orders its messages; one far off (or none) is replaced by the server's.
        Instant sentAt = s.clientTime() != null
                && Math.abs(s.clientTime() - now.toEpochMilli()) < Duration.ofHours(1).toMillis()
                ? Instant.ofEpochMilli(s.clientTime()) : now;
        Msg msg = new Msg(s.id(), s.chat(), s.media() == null ? text : "", s.media() == null ? "" : caption,
                s.media(), now, sentAt);
        messages.put(msg.id, msg);
        idByKey.put(m.group(2), msg.id);
        chatsVersion++;
        if (sendDelay.isZero()) {
            accept(msg);
        } else {
            later(sendDelay, () -> accept(msg));
        }
        notifyAll();
        return Map.of("status", msg.stage.name().toLowerCase(Locale.ROOT));
    }

    // ------------------------------------------------------------------ phone side (control API)

    /**
     * @param payload a QR payload
     * @throws LinkRejectedException if no open page shows it
     */
    public synchronized void scanQr(String payload) {
        scanQr(payload, settings.ownDigits());
    }

    /**
     * @param payload a QR payload
     * @param phoneDigits the number of the phone that scans it (another account than the simulated one, for tests
     *     of a transport that must refuse a wrong account)
     * @throws LinkRejectedException if no open page shows it
     */
    public synchronized void scanQr(String payload, String phoneDigits) {
        ensureOpen();
        long now = System.nanoTime();
        sweep(now);
        for (Client c : newestFirst()) {
            // What the page displays may lag the server by one poll; both count as "shown".
            if (c.mode == Mode.QR && (payload.equals(currentPayload(c, now)) || payload.equals(c.shownPayload))) {
                link(c, phoneDigits);
                return;
            }
        }
        QrAttempt attempt = attemptByPayload.get(payload);
        if (attempt == null) {
            throw new LinkRejectedException(Reason.UNKNOWN_QR_CODE, "no page ever showed QR payload " + payload);
        }
        if (attempt.abandoned || index(attempt, now) >= attempt.payloads.size()) {
            throw new LinkRejectedException(Reason.QR_CODE_EXPIRED, "QR payload belongs to an expired attempt: " + payload);
        }
        throw new LinkRejectedException(Reason.QR_CODE_ROTATED, "QR payload was rotated away: " + payload);
    }

    /**
     * @param code pairing code, with or without the dash, any case
     * @throws LinkRejectedException if no open page shows it, or it was requested for another number
     */
    public synchronized void enterPairingCode(String code) {
        ensureOpen();
        sweep(System.nanoTime());
        String normalized = code.replaceAll("[\\s-]", "").toUpperCase(Locale.ROOT);
        for (Client c : newestFirst()) {
            if (c.mode == Mode.PAIRING && c.pairingCode.equals(normalized)) {
                if (!c.pairingDigits.equals(settings.ownDigits())) {
                    throw new LinkRejectedException(Reason.PAIRING_NUMBER_MISMATCH, "the page asked for a code for +"
                            + c.pairingDigits + ", but this phone is +" + settings.ownDigits());
                }
                link(c, settings.ownDigits());
                return;
            }
        }
        throw new LinkRejectedException(Reason.UNKNOWN_PAIRING_CODE, "no open page shows pairing code " + code);
    }

    /** @return the payload of the newest page showing a live QR code */
    public synchronized Optional<String> currentQrPayload() {
        long now = System.nanoTime();
        for (Client c : newestFirst()) {
            if (c.mode == Mode.QR && isAlive(c, now)) {
                String p = currentPayload(c, now);
                if (p != null) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }

    /** @return the pairing code (as {@code ABCD-EFGH}) of the newest page showing one */
    public synchronized Optional<String> currentPairingCode() {
        long now = System.nanoTime();
        for (Client c : newestFirst()) {
            if (c.mode == Mode.PAIRING && isAlive(c, now)) {
                return Optional.of(formatPairingCode(c.pairingCode));
            }
        }
        return Optional.empty();
    }

    /** @return whether at least one device is linked */
    public synchronized boolean isLinked() {
        return !sessions.isEmpty();
    }

    /** @return the numbers of the accounts that linked a device, oldest link first (one per linked device) */
    public synchronized List<String> linkedNumbers() {
        return sessions.values().stream().map(Session::digits).toList();
    }

    /** @return how many devices are linked (valid session tokens) */
    public synchronized int linkedClients() {
        return sessions.size();
    }

    /** Unlinks every device; their pages notice on their next poll. */
    public synchronized void logoutFromPhone() {
        sessions.clear();
        notifyAll();
    }

    /**
     * @param digits number
     * @param displayName name the phone has for it, or {@code null}
     */
    public synchronized void registerNumber(String digits, String displayName) {
        contacts.put(digits, displayName == null ? "" : displayName);
        chatsVersion++;
    }

    /**
     * @param digits number
     * @return whether it was registered
     */
    public synchronized boolean unregisterNumber(String digits) {
        chatsVersion++;
        return contacts.remove(digits) != null;
    }

    /**
     * @param digits number
     * @return whether it is registered
     */
    public synchronized boolean isRegistered(String digits) {
        return contacts.containsKey(digits);
    }

    /**
     * @param name unique group name
     * @param memberDigits members' numbers
     * @return the group's JID
     */
    public synchronized String createGroup(String name, List<String> memberDigits) {
        for (Group g : groups.values()) {
            if (g.name().equals(name)) {
                throw new IllegalArgumentException("a group named '" + name + "' already exists");
            }
        }
        String jid;
        do {
            jid = "120363" + String.format(Locale.ROOT, "%012d", Math.floorMod(random.nextLong(), 1_000_000_000_000L))
                    + "@g.us";
        } while (groups.containsKey(jid));
        groups.put(jid, new Group(jid, name, List.copyOf(memberDigits)));
        chatsVersion++;
        notifyAll();
        return jid;
    }

    /**
     * @param digits number
     * @return accepted messages in the direct chat with that number, oldest first
     */
    public synchronized List<ReceivedMessage> received(String digits) {
        return receivedIn(digits + "@c.us");
    }

    /**
     * @param name group name
     * @return accepted messages in that group, oldest first
     */
    public synchronized List<ReceivedMessage> receivedInGroup(String name) {
        return receivedIn(groupByName(name).jid());
    }

    /** @return every accepted message, oldest first */
    public synchronized List<ReceivedMessage> allReceived() {
        List<ReceivedMessage> out = new ArrayList<>();
        for (Msg m : messages.values()) {
            if (m.stage != Stage.PENDING) {
                out.add(snapshot(m));
            }
        }
        return List.copyOf(out);
    }

    /**
     * @param id message id
     * @return the accepted message with that id
     */
    public synchronized Optional<ReceivedMessage> receivedMessage(String id) {
        Msg m = messages.get(resolveId(id));
        return m == null || m.stage == Stage.PENDING ? Optional.empty() : Optional.of(snapshot(m));
    }

    /**
     * @param name group name
     * @return whether such a group exists
     */
    public synchronized boolean hasGroup(String name) {
        return groups.values().stream().anyMatch(g -> g.name().equals(name));
    }

    /**
     * @param delivered new delay from accepted to delivered
     * @param read new delay from delivered to read
     */
    public synchronized void setAckDelays(Duration delivered, Duration read) {
        this.deliveredAfter = delivered;
        this.readAfter = read;
    }

    /** Stops automatic delivered/read acks until {@link #releaseAcks()}. */
    public synchronized void holdAcks() {
        acksHeld = true;
    }

    /** Resumes automatic acks; messages whose ack was held get it after the current delay from now. */
    public synchronized void releaseAcks() {
        acksHeld = false;
        for (String id : heldAcks) {
            Msg m = messages.get(id);
            if (m.stage == Stage.SENT) {
                later(deliveredAfter, () -> autoAdvance(id, Stage.SENT, Stage.DELIVERED));
            } else if (m.stage == Stage.DELIVERED) {
                later(readAfter, () -> autoAdvance(id, Stage.DELIVERED, Stage.READ));
            }
        }
        heldAcks.clear();
    }

    /**
     * @param id an accepted message
     */
    public synchronized void deliver(String id) {
        Msg m = acceptedMessage(id);
        if (m.stage == Stage.SENT) {
            m.stage = Stage.DELIVERED;
            if (acksHeld) {
                heldAcks.add(m.id);
            } else {
                heldAcks.remove(m.id);
                later(readAfter, () -> autoAdvance(m.id, Stage.DELIVERED, Stage.READ));
            }
            notifyAll();
        }
    }

    /**
     * @param id an accepted message
     */
    public synchronized void read(String id) {
        Msg m = acceptedMessage(id);
        if (m.stage != Stage.READ) {
            m.stage = Stage.READ;
            heldAcks.remove(m.id);
            notifyAll();
        }
    }

    /**
     * @param state the connection state open {@code WEB_2026} pages show and live with
     */
    public synchronized void setConnection(ConnectionState state) {
        requireWeb2026("connection states");
        connection = state;
        notifyAll();
    }

    /** @return the connection state */
    public synchronized ConnectionState connection() {
        return connection;
    }

    /**
     * @param value whether the account is restricted (compose box replaced, sends refused)
     */
    public synchronized void setRestricted(boolean value) {
        requireWeb2026("account restrictions");
        restricted = value;
        notifyAll();
    }

    /** Every linked page shows "WhatsApp is open in another window" until its user clicks "Use here". */
    public synchronized void openElsewhere() {
        requireWeb2026("the open-elsewhere screen");
        for (Client c : clients.values()) {
            if (c.mode == Mode.LINKED) {
                c.conflict = true;
            }
        }
        notifyAll();
    }

    /** @return how many open pages show "WhatsApp is open in another window" */
    public synchronized int pagesOpenElsewhere() {
        return (int) clients.values().stream().filter(c -> c.conflict).count();
    }

    /** Every open page shows the "What's new" dialog until dismissed. */
    public synchronized void showWhatsNew() {
        requireWeb2026("the What's new dialog");
        clients.values().forEach(c -> {
            c.whatsNew = true;
            c.whatsNewSent = false;
        });
        notifyAll();
    }

    /** Whether a page was told to show the "What's new" dialog and has not closed it. */
    public synchronized boolean whatsNewOnScreen() {
        return clients.values().stream().anyMatch(c -> c.whatsNew && c.whatsNewSent);
    }

    /**
     * @param value whether the account asks linked pages for its passkey before they show the chats
     */
    public synchronized void setPasskeyRequired(boolean value) {
        requireWeb2026("the passkey screen");
        passkeyRequired = value;
        notifyAll();
    }

    /** @return whether the passkey screen is up */
    public synchronized boolean passkeyRequired() {
        return passkeyRequired;
    }

    /** Makes every open page reload itself on its next poll. */
    public synchronized void reloadPages() {
        reloadGeneration++;
    }

    /**
     * @param delay how long the server takes to accept each new message ({@link Duration#ZERO}: at once)
     */
    public synchronized void slowSends(Duration delay) {
        this.sendDelay = delay;
    }

    /**
     * @param n how many of the next new messages are lost
     */
    public synchronized void dropSends(int n) {
        this.dropsLeft = n;
    }

    /** Ends slow and dropped sends. */
    public synchronized void clearFaults() {
        sendDelay = Duration.ZERO;
        dropsLeft = 0;
    }

    /**
     * @param newVariant the DOM names pages use from their next load on; open pages reload
     */
    public synchronized void setDomVariant(DomVariant newVariant) {
        this.variant = newVariant;
        reloadGeneration++;
    }

    /**
     * @param change derives the new variant from the current one, atomically
     */
    public synchronized void updateDomVariant(UnaryOperator<DomVariant> change) {
        setDomVariant(change.apply(variant));
    }

    /** @return the DOM variant pages currently load with */
    public synchronized DomVariant domVariant() {
        return variant;
    }

    /**
     * Waits until {@code probe} yields a value.
     *
     * @param <T> value type
     * @param probe evaluated under the monitor whenever state may have changed
     * @param timeout how long to wait at most
     * @param failure describes what was expected and what is there, for the timeout error
     * @return the first value the probe yields
     * @throws AssertionError on timeout, since this is an assertion helper for tests
     */
    public synchronized <T> T await(Supplier<Optional<T>> probe, Duration timeout, Supplier<String> failure) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            ensureOpen();
            Optional<T> value = probe.get();
            if (value.isPresent()) {
                return value.get();
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("timed out after " + timeout + ": " + failure.get());
            }
            try {
                wait(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), AWAIT_SLICE_MILLIS)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SimulatorException("interrupted while waiting", e);
            }
        }
    }

    /** @return whether {@link #close()} was called */
    public synchronized boolean isClosed() {
        return closed;
    }

    /** Fails every later call and wakes waiters; timers are stopped by the scheduler's owner. */
    public synchronized void close() {
        closed = true;
        notifyAll();
    }

    // ------------------------------------------------------------------ internals

    private boolean isWeb2026() {
        return settings.generation() == PageGeneration.WEB_2026;
    }

    private void requireWeb2026(String what) {
        if (!isWeb2026()) {
            throw new IllegalStateException(what + " exist on the " + PageGeneration.WEB_2026
                    + " page only; this simulator serves " + settings.generation());
        }
    }

    // A bubble's data-id on a WEB_2026 page is the bare message key; accept it wherever a full id is.
    private String resolveId(String id) {
        return messages.containsKey(id) ? id : idByKey.getOrDefault(id, id);
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the simulator is closed");
        }
    }

    private Client client(String clientId) {
        Client c = clientId == null ? null : clients.get(clientId);
        if (c == null) {
            throw new ApiException(404, "unknown-client");
        }
        return c;
    }

    private Client unlinkedClient(String clientId) {
        Client c = client(clientId);
        if (c.mode == Mode.LINKED || c.mode == Mode.LOGGED_OUT) {
            throw new ApiException(409, "not-linking");
        }
        return c;
    }

    private Client linkedClient(String clientId) {
        Client c = client(clientId);
        if (c.mode != Mode.LINKED || !sessions.containsKey(c.token)) {
            throw new ApiException(401, "logged-out");
        }
        return c;
    }

    private void startAttempt(Client c, long now) {
        abandonAttempt(c);
        List<String> payloads = new ArrayList<>();
        for (int i = 0; i <= settings.qrRotationsBeforeExpiry(); i++) {
            payloads.add(newQrPayload());
        }
        c.attempt = new QrAttempt(List.copyOf(payloads), now);
        payloads.forEach(p -> attemptByPayload.put(p, c.attempt));
        c.mode = Mode.QR;
        c.shownPayload = null;
        c.version++;
    }

    private void abandonAttempt(Client c) {
        if (c.attempt != null) {
            c.attempt.abandoned = true;
            c.attempt = null;
        }
        c.shownPayload = null;
    }

    // Shaped like WhatsApp's: "2@" + ref, then three base64 keys; only its uniqueness matters.
    private String newQrPayload() {
        return "2@" + base64(48) + "," + base64(32) + "," + base64(32) + "," + base64(32);
    }

    private String base64(int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return Base64.getEncoder().encodeToString(b);
    }

    private String randomId(int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private int index(QrAttempt a, long now) {
        long elapsed = Math.max(0, now - a.startNanos);
        return (int) Math.min(Integer.MAX_VALUE, elapsed / settings.qrRotationInterval().toNanos());
    }

    private String currentPayload(Client c, long now) {
        if (c.attempt == null) {
            return null;
        }
        int i = index(c.attempt, now);
        return i < c.attempt.payloads.size() ? c.attempt.payloads.get(i) : null;
    }

    private Map<String, Object> view(Client c, String shownQr, long now) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("version", c.version);
        switch (c.mode) {
            case QR -> {
                String payload = currentPayload(c, now);
                c.shownPayload = payload;
                if (payload == null) {
                    v.put("state", "qr-expired");
                } else {
                    Map<String, Object> qr = new LinkedHashMap<>();
                    qr.put("payload", payload);
                    if (!payload.equals(shownQr)) {
                        QrCodes.Matrix matrix = c.attempt.matrices.computeIfAbsent(payload, QrCodes::encode);
                        qr.put("size", matrix.size());
                        qr.put("bits", matrix.bits());
                    }
                    v.put("state", "qr");
                    v.put("qr", qr);
                }
            }
            case PHONE_ENTRY -> v.put("state", "phone-entry");
            case PAIRING -> {
                v.put("state", "pairing");
                v.put("pairingCode", formatPairingCode(c.pairingCode));
            }
            case LINKED -> {
                Session session = sessions.get(c.token);
                if (session != null) {
                    v.put("state", "linked");
                    v.put("token", c.token);
                    v.put("wid", session.wid());
                } else {
                    c.mode = Mode.LOGGED_OUT;
                    c.version++;
                    v.put("version", c.version);
                    v.put("state", "logged-out");
                }
            }
            case LOGGED_OUT -> v.put("state", "logged-out");
            default -> throw new IllegalStateException(c.mode.name());
        }
        return v;
    }

    private void link(Client c, String digits) {
        abandonAttempt(c);
        String token = randomId(32);
        sessions.put(token, new Session(Instant.now(), digits, ++deviceSeq));
        // The account's own number is a chat like any other ("Message yourself"), found by search and click-to-chat.
        if (contacts.putIfAbsent(digits, settings.profileName() + " (You)") == null) {
            chatsVersion++;
        }
        c.mode = Mode.LINKED;
        c.token = token;
        c.version++;
        if (settings.passkeyAfterLink() && isWeb2026()) {
            passkeyRequired = true;
        }
        LOG.debug("linked page {}", c.id);
        notifyAll();
    }

    private static String formatPairingCode(String code) {
        return code.substring(0, 4) + "-" + code.substring(4);
    }

    private boolean isAlive(Client c, long now) {
        return now - c.lastSeenNanos < CLIENT_TTL_NANOS;
    }

    private void sweep(long now) {
        clients.values().removeIf(c -> {
            if (isAlive(c, now)) {
                return false;
            }
            abandonAttempt(c);
            return true;
        });
    }

    private List<Client> newestFirst() {
        List<Client> list = new ArrayList<>(clients.values());
        list.sort(Comparator.comparingLong((Client c) -> c.seq).reversed());
        return list;
    }

    private boolean chatExists(String jid) {
        if (groups.containsKey(jid)) {
            return true;
        }
        if (!jid.endsWith("@c.us")) {
            return false;
        }
        String digits = jid.substring(0, jid.indexOf('@'));
        return contacts.containsKey(digits) || messages.values().stream().anyMatch(m -> m.chatJid.equals(jid));
    }

    private String displayName(String digits) {
        String name = contacts.get(digits);
        return name == null || name.isEmpty() ? "+" + digits : name;
    }

    private Group groupByName(String name) {
        for (Group g : groups.values()) {
            if (g.name().equals(name)) {
                return g;
            }
        }
        throw new IllegalArgumentException("no group named '" + name + "'");
    }

    private Map<String, Object> chatRow(String jid, String name, boolean group, String digits, Msg last,
            boolean contactOnly) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("jid", jid);
        row.put("name", name);
        row.put("group", group);
        row.put("number", digits);
        row.put("contactOnly", contactOnly);
        row.put("lastText", last == null ? "" : last.media != null
                ? (last.caption.isEmpty() ? last.media.fileName() : last.caption) : last.text);
        row.put("lastAt", last == null ? null : last.postedAt.toEpochMilli());
        row.put("lastStatus", last == null ? null : last.stage.name().toLowerCase(Locale.ROOT));
        return row;
    }

    private Map<String, Object> messageView(Msg m) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", m.id);
        v.put("text", m.text);
        v.put("caption", m.caption);
        if (m.media != null) {
            v.put("media", Map.of("name", m.media.fileName(), "mime", m.media.mimeType(), "size", m.media.size()));
        }
        v.put("time", m.sentAt.toEpochMilli());
        v.put("status", m.stage.name().toLowerCase(Locale.ROOT));
        return v;
    }

    private List<ReceivedMessage> receivedIn(String chatJid) {
        List<ReceivedMessage> out = new ArrayList<>();
        for (Msg m : messages.values()) {
            if (m.chatJid.equals(chatJid) && m.stage != Stage.PENDING) {
                out.add(snapshot(m));
            }
        }
        return List.copyOf(out);
    }

    private ReceivedMessage snapshot(Msg m) {
        Group g = groups.get(m.chatJid);
        String chat = g != null ? g.name() : "+" + m.chatJid.substring(0, m.chatJid.indexOf('@'));
        return new ReceivedMessage(m.id, chat, g != null, m.text, m.caption, Optional.ofNullable(m.media),
                m.acceptedAt, AckStatus.valueOf(m.stage.name()));
    }

    private Msg acceptedMessage(String id) {
        Msg m = messages.get(resolveId(id));
        if (m == null) {
            throw new IllegalArgumentException(dropped.contains(id)
                    ? "message " + id + " was dropped and never reached the server"
                    : "no message with id " + id);
        }
        if (m.stage == Stage.PENDING) {
            throw new IllegalStateException("message " + id + " has not been accepted by the server yet");
        }
        return m;
    }

    private void accept(Msg m) {
        if (m.stage != Stage.PENDING) {
            return;
        }
        m.stage = Stage.SENT;
        m.acceptedAt = Instant.now();
        chatsVersion++;
        notifyAll();
        later(deliveredAfter, () -> autoAdvance(m.id, Stage.SENT, Stage.DELIVERED));
    }

    private void autoAdvance(String id, Stage from, Stage to) {
        Msg m = messages.get(id);
        if (m == null || m.stage != from) {
            return;
        }
        if (acksHeld) {
            heldAcks.add(id);
            return;
        }
        m.stage = to;
        notifyAll();
        if (to == Stage.DELIVERED) {
            later(readAfter, () -> autoAdvance(id, Stage.DELIVERED, Stage.READ));
        }
    }

    private void later(Duration delay, Runnable action) {
        if (closed) {
            return;
        }
        try {
            timers.schedule(() -> {
                synchronized (this) {
                    if (closed) {
                        return;
                    }
                    try {
                        action.run();
                    } catch (RuntimeException e) {
                        LOG.error("simulator timer task failed", e);
                    }
                }
            }, delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // Closing concurrently: the task would not matter any more.
        }
    }
}
