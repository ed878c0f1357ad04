package dev.wasched.whatsapp.cloud;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wasched.contact.PhoneNumber;
import dev.wasched.delivery.DeliveryStatus;
import dev.wasched.delivery.Recipient;
import dev.wasched.message.MessageContent;
import dev.wasched.policy.PacingPolicy;
import dev.wasched.session.AccountState;
import dev.wasched.spi.transport.LookupResult;
import dev.wasched.spi.transport.MessageTransport;
import dev.wasched.spi.transport.OutcomeUnknownException;
import dev.wasched.spi.transport.OutgoingMessage;
import dev.wasched.spi.transport.PermanentTransportException;
import dev.wasched.spi.transport.RetryableTransportException;
import dev.wasched.spi.transport.SendReceipt;
import dev.wasched.spi.transport.SessionLostException;
import dev.wasched.spi.transport.TransportContext;
import dev.wasched.spi.transport.TransportEvent;
import dev.wasched.spi.transport.TransportException;
import dev.wasched.whatsapp.cloud.internal.ErrorKind;
import dev.wasched.whatsapp.cloud.internal.GraphClient;
import dev.wasched.whatsapp.cloud.internal.GraphError;
import dev.wasched.whatsapp.cloud.internal.WebhookPayload;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends through one business phone number of the WhatsApp Business Platform (Cloud API): plain HTTPS to the Graph
 * API, no browser. Acks and customer messages arrive through the {@link CloudWebhook} given in the config.
 *
 * <ul>
 *   <li>Start checks the access token by reading the phone number ({@code GET /{version}/{id}}); READY when it
 *       answers, LOGGED_OUT with the Graph error when the token is expired or invalid (code 190), DISCONNECTED (and
 *       asking again) while the API cannot be reached.</li>
 *   <li>Text goes as a {@code text} message; media is uploaded first ({@code /media}) and sent by its id as image,
 *       video, audio or document with the text as caption.</li>
 *   <li>Outside the 24-hour customer-service window, a text matching a configured {@link CloudTemplate} goes as that
 *       template; any other free-form message is refused before sending ({@link ServiceWindowPolicy}).</li>
 *   <li>Each send carries its marker as {@code biz_opaque_callback_data}, which Meta returns in the message's status
 *       webhooks: a send whose answer never came is settled by {@link #lookup} once a status names the marker, and
 *       is never sent twice.</li>
 *   <li>Rate limits (130429 throughput, 131056 pair rate, …) are retryable and hold back further sends for the time
 *       Meta asks; undeliverable recipients (131026 and other request errors) are permanent; an expired or invalid
 *       token (190) loses the session with state LOGGED_OUT.</li>
 * </ul>
 */
public final class CloudApiTransport implements MessageTransport {
    /**
     * Pacing for a Cloud API number: no gaps, no caps, no typing. The browser's ban-avoidance gaps do not apply to
     * the official API; its throughput (80 messages per second per number by default) is kept by the transport
     * itself ({@link CloudApiConfig#messagesPerSecond}, with {@link CloudApiConfig#maxConcurrentSends} requests in
     * flight) and by holding back after a throughput error.
     */
    public static final PacingPolicy PACING = new PacingPolicy(Duration.ZERO, Duration.ZERO, 0, 0, 0, null, false,
            ZoneOffset.UTC);

    private static final Logger log = LoggerFactory.getLogger(CloudApiTransport.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int REMEMBERED = 50_000;
    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    private static final Duration LAST_RETRY = Duration.ofMinutes(1);

    private final CloudApiConfig config;
    private final GraphClient graph;
    private final CloudWebhook.Receiver receiver = new Receiver();
    /** Status updates by message id and by marker, for lookups. */
    private final Map<String, WebhookPayload.Status> statusById = bounded();
    private final Map<String, WebhookPayload.Status> statusByMarker = bounded();
    /** What sends and webhooks showed about numbers (wa_id digits): on WhatsApp or not. */
    private final Map<String, Boolean> registered = bounded();
    private final Map<String, Instant> pairHeldUntil = new ConcurrentHashMap<>();
    private volatile Instant heldUntil = Instant.EPOCH;
    /** When the next message may start ({@code System.nanoTime}), for the number's throughput. */
    private long nextStartNanos = System.nanoTime();
    private final Object throughputLock = new Object();
    private volatile AccountState state = AccountState.STOPPED;
    private volatile TransportContext ctx;
    private volatile boolean closed;
    private Thread starter;

    public CloudApiTransport(CloudApiConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.graph = new GraphClient(config.baseUrl(), config.apiVersion(), config.phoneNumberId(),
                () -> config.accessToken().reveal(), config.connectTimeout(), config.requestTimeout());
    }

    private static <V> Map<String, V> bounded() {
        return Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > REMEMBERED;
            }
        });
    }

    @Override
    public String account() {
        return config.account();
    }

    public CloudApiConfig config() {
        return config;
    }

    @Override
    public synchronized void start(TransportContext context) {
        if (closed) {
            throw new IllegalStateException("transport of account " + account() + " was closed; create a new one");
        }
        if (ctx != null) {
            throw new IllegalStateException("transport of account " + account() + " is already started");
        }
        ctx = Objects.requireNonNull(context, "context");
        context.sessionStorage().load().ifPresent(this::checkSnapshot);
        if (config.webhook() != null) {
            config.webhook().attach(config.phoneNumberId(), receiver);
        }
        setState(AccountState.STARTING, "checking the access token of phone number id " + config.phoneNumberId());
        starter = new Thread(this::connect, "wasched-cloud-start-" + account());
        starter.setDaemon(true);
        starter.start();
    }

    private void checkSnapshot(byte[] snapshot) {
        try {
            JsonNode n = MAPPER.readTree(snapshot);
            String id = n.path("phoneNumberId").asText("");
            if (!id.equals(config.phoneNumberId())) {
                ctx.sessionStorage().quarantine("the stored session is of phone number id '" + id
                        + "', this account is configured for " + config.phoneNumberId());
            }
        } catch (IOException e) {
            ctx.sessionStorage().quarantine("the stored session is not a Cloud API session: " + e.getMessage());
        }
    }

    /** Reads the phone number until the API answers: the token works (READY) or is refused (LOGGED_OUT). */
    private void connect() {
        Duration wait = FIRST_RETRY;
        while (!closed) {
            try {
                GraphClient.Answer a = graph.phoneNumber();
                if (a.ok()) {
                    saveSnapshot(a.body());
                    setState(AccountState.READY, "phone number " + a.body().path("display_phone_number").asText("?")
                            + " (id " + config.phoneNumberId() + ")");
                    return;
                }
                GraphError e = a.error();
                if (ErrorKind.of(e) == ErrorKind.SESSION_LOST) {
                    tokenRefused(e);
                    return;
                }
                if (ErrorKind.of(e) == ErrorKind.PERMANENT) {
                    setState(AccountState.FAILED, "the phone number id is not usable: " + e.describe());
                    return;
                }
                setState(AccountState.DISCONNECTED, e.describe() + "; asking again in " + wait.toSeconds() + " s");
            } catch (GraphClient.NoAnswerException e) {
                setState(AccountState.DISCONNECTED, e.getMessage() + "; asking again in " + wait.toSeconds() + " s");
            }
            try {
                Thread.sleep(wait.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            wait = wait.multipliedBy(2).compareTo(LAST_RETRY) > 0 ? LAST_RETRY : wait.multipliedBy(2);
        }
    }

    private void saveSnapshot(JsonNode phone) {
        ObjectNode s = MAPPER.createObjectNode();
        s.put("phoneNumberId", config.phoneNumberId());
        s.put("displayPhoneNumber", phone.path("display_phone_number").asText(""));
        s.put("checkedAt", ctx.clock().instant().toString());
        try {
            ctx.sessionStorage().save(MAPPER.writeValueAsBytes(s));
        } catch (IOException | RuntimeException e) {
            log.warn("account {}: session snapshot not saved: {}", account(), e.toString());
        }
    }

    private void tokenRefused(GraphError e) {
        setState(AccountState.LOGGED_OUT, "the access token was refused (expired or invalid): " + e.describe()
                + "; give the account a new token");
    }

    private synchronized void setState(AccountState next, String detail) {
        if (closed && next != AccountState.STOPPED) {
            return;
        }
        state = next;
        TransportContext c = ctx;
        if (c != null) {
            c.emit(new TransportEvent.StateChanged(next, detail));
        }
    }

    @Override
    public AccountState state() {
        return state;
    }

    @Override
    public int maxConcurrentSends() {
        return config.maxConcurrentSends();
    }

    @Override
    public SendReceipt send(OutgoingMessage message) throws TransportException {
        TransportContext c = ctx;
        if (closed || c == null || state != AccountState.READY) {
            throw new SessionLostException("account " + account() + " is " + state + ": nothing sent");
        }
        String to = recipientOf(message.recipient());
        Instant now = c.clock().instant();
        Instant held = later(heldUntil, pairHeldUntil.get(to));
        if (now.isBefore(held)) {
            throw new RetryableTransportException("held back after a Cloud API rate limit until " + held + ": nothing sent");
        }
        ObjectNode payload = payload(message, to, now);
        awaitThroughput();
        String marker = "wasched:" + message.deliveryId() + ":" + UUID.randomUUID();
        try {
            c.sendMarker(message, marker);
        } catch (RuntimeException e) {
            throw new RetryableTransportException("the send marker could not be stored: nothing sent", e);
        }
        payload.put("biz_opaque_callback_data", marker);
        GraphClient.Answer a;
        try {
            a = graph.sendMessage(payload);
        } catch (GraphClient.NoAnswerException e) {
            if (!e.maybeReceived()) {
                throw new RetryableTransportException(e.getMessage() + ": nothing sent", e);
            }
            throw new OutcomeUnknownException(e.getMessage() + "; the message may have been accepted, its status"
                    + " webhook settles it", e);
        }
        if (!a.ok()) {
            throw failure(a.error(), to, now);
        }
        String id = a.body().path("messages").path(0).path("id").asText(null);
        if (id == null || id.isBlank()) {
            throw new OutcomeUnknownException("the Cloud API accepted the request without a message id");
        }
        c.messageIdSeen(message, id);
        registered.put(a.body().path("contacts").path(0).path("wa_id").asText(to), Boolean.TRUE);
        return new SendReceipt(id, now);
    }

    /**
     * Spreads message starts to at most {@code messagesPerSecond}: each send takes the next slot and waits for it
     * (at most a few slots with {@code maxConcurrentSends} callers), so Meta's throughput limit is not hit by bursts.
     */
    private void awaitThroughput() throws SessionLostException {
        int rate = config.messagesPerSecond();
        if (rate == 0) {
            return;
        }
        long slot;
        synchronized (throughputLock) {
            long now = System.nanoTime();
            slot = Math.max(now, nextStartNanos);
            nextStartNanos = slot + 1_000_000_000L / rate;
        }
        long wait = slot - System.nanoTime();
        if (wait > 0) {
            try {
                java.util.concurrent.TimeUnit.NANOSECONDS.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SessionLostException("interrupted while waiting for the number's throughput: nothing sent");
            }
        }
    }

    private static Instant later(Instant a, Instant b) {
        return b == null || a.isAfter(b) ? a : b;
    }

    private String recipientOf(Recipient r) throws PermanentTransportException {
        if (!r.isPhone()) {
            throw new PermanentTransportException("the Cloud API sends to phone numbers only, not to group '"
                    + r.address() + "'");
        }
        return r.address().replaceAll("[^0-9]", "");
    }

    /** The message as the API takes it: free form inside the window (or when left to the API), else a template. */
    private ObjectNode payload(OutgoingMessage message, String to, Instant now) throws TransportException {
        ObjectNode p = MAPPER.createObjectNode();
        p.put("messaging_product", "whatsapp");
        p.put("recipient_type", "individual");
        p.put("to", to);
        MessageContent content = message.content();
        boolean open = config.webhook() != null
                && config.webhook().windows().open(config.phoneNumberId(), to, now);
        if (!open && !content.hasMedia()) {
            for (CloudTemplate t : config.templates()) {
                Optional<List<String>> params = t.parametersOf(content.text());
                if (params.isPresent()) {
                    return template(p, t, params.get());
                }
            }
        }
        if (!open && config.serviceWindow() == ServiceWindowPolicy.ENFORCE) {
            throw new PermanentTransportException("outside the 24-hour customer-service window: the recipient has not"
                    + " written to phone number id " + config.phoneNumberId() + " in the last 24 hours (as its webhook"
                    + " saw), and no configured template matches this " + (content.hasMedia() ? "media message" : "text")
                    + "; free-form messages need an open window, so send an approved template instead");
        }
        if (content.hasMedia()) {
            return media(p, message);
        }
        p.put("type", "text");
        p.putObject("text").put("preview_url", false).put("body", content.text());
        return p;
    }

    private static ObjectNode template(ObjectNode p, CloudTemplate t, List<String> params) {
        p.put("type", "template");
        ObjectNode tpl = p.putObject("template");
        tpl.put("name", t.name());
        tpl.putObject("language").put("code", t.language());
        if (!params.isEmpty()) {
            ObjectNode body = tpl.putArray("components").addObject();
            body.put("type", "body");
            ArrayNode parameters = body.putArray("parameters");
            for (String v : params) {
                parameters.addObject().put("type", "text").put("text", v);
            }
        }
        return p;
    }

    private ObjectNode media(ObjectNode p, OutgoingMessage message) throws TransportException {
        var media = message.content().media();
        String mime = media.mimeType();
        String type = mime.startsWith("image/") ? "image" : mime.startsWith("video/") ? "video"
                : mime.startsWith("audio/") ? "audio" : "document";
        String caption = message.content().text();
        if ("audio".equals(type) && !caption.isBlank()) {
            throw new PermanentTransportException("the Cloud API sends audio without a caption: send the text of "
                    + media.fileName() + " as a message of its own");
        }
        String mediaId = upload(message.media(), mime, media.fileName());
        p.put("type", type);
        ObjectNode m = p.putObject(type);
        m.put("id", mediaId);
        if (!caption.isBlank()) {
            m.put("caption", caption);
        }
        if ("document".equals(type)) {
            m.put("filename", media.fileName());
        }
        return p;
    }

    /** Uploads the file; every failure here is known not to have sent a message. */
    private String upload(byte[] bytes, String mime, String fileName) throws TransportException {
        GraphClient.Answer a;
        try {
            a = graph.uploadMedia(bytes, mime, fileName);
        } catch (GraphClient.NoAnswerException e) {
            throw new RetryableTransportException("media upload got no answer (" + e.getMessage() + "): nothing sent", e);
        }
        if (!a.ok()) {
            GraphError e = a.error();
            TransportException f = failure(e, null, ctx.clock().instant());
            if (f instanceof OutcomeUnknownException) {
                throw new RetryableTransportException("media upload failed: " + e.describe() + "; nothing sent");
            }
            throw f;
        }
        String id = a.body().path("id").asText(null);
        if (id == null || id.isBlank()) {
            throw new RetryableTransportException("media upload answered without a media id: nothing sent");
        }
        return id;
    }

    private TransportException failure(GraphError e, String to, Instant now) {
        ErrorKind kind = ErrorKind.of(e);
        switch (kind) {
            case RETRYABLE -> {
                Duration hold = ErrorKind.coolDown(e);
                if (e.code() == ErrorKind.PAIR_RATE && to != null) {
                    pairHeldUntil.put(to, now.plus(hold));
                } else if (!hold.isZero()) {
                    heldUntil = later(heldUntil, now.plus(hold));
                }
                return new RetryableTransportException(e.describe() + ": nothing sent; retry after "
                        + hold.toMillis() + " ms or more");
            }
            case SESSION_LOST -> {
                tokenRefused(e);
                return new SessionLostException("the access token was refused: " + e.describe());
            }
            case OUTCOME_UNKNOWN -> {
                return new OutcomeUnknownException(e.describe() + "; the message may have been accepted");
            }
            default -> {
                if (e.code() == 131026 && to != null) {
                    registered.put(to, Boolean.FALSE);
                }
                String hint = e.code() == ErrorKind.REENGAGEMENT
                        ? " (outside the 24-hour customer-service window: send an approved template)" : "";
                return new PermanentTransportException(e.describe() + hint);
            }
        }
    }

    @Override
    public boolean isRegistered(PhoneNumber number) throws TransportException {
        Boolean known = registered.get(number.digits());
        if (known == null && config.webhook() != null
                && config.webhook().windows().wroteEver(config.phoneNumberId(), number.digits())) {
            known = Boolean.TRUE;
        }
        if (known == null) {
            throw new PermanentTransportException("the Cloud API has no check for a number: " + number.e164()
                    + " is known to be on WhatsApp only after a message to it was accepted or it wrote to the business");
        }
        return known;
    }

    /**
     * Proof that an earlier attempt went out: a status webhook for its message id or for its marker (Meta echoes the
     * marker), or the message id itself, which only Meta's acceptance of the request gives. A failed status means Meta
     * took the message but could not deliver it: not in the chat.
     */
    @Override
    public LookupResult lookup(OutgoingMessage message) {
        WebhookPayload.Status s = message.knownMessageId() == null ? null : statusById.get(message.knownMessageId());
        if (s == null && message.sendMarker() != null) {
            s = statusByMarker.get(message.sendMarker());
        }
        if (s == null && message.knownMessageId() != null && ctx != null) {
            return new LookupResult.Found(new SendReceipt(message.knownMessageId(), ctx.clock().instant()));
        }
        if (s == null) {
            return new LookupResult.Unknown("no status webhook for this attempt has arrived in this process");
        }
        if ("failed".equals(s.status())) {
            return new LookupResult.NotFound();
        }
        return new LookupResult.Found(new SendReceipt(s.messageId(), s.at()));
    }

    @Override
    public void logout() {
        TransportContext c = ctx;
        if (c != null) {
            c.sessionStorage().clear();
        }
        setState(AccountState.LOGGED_OUT, "logged out: a Cloud API number has no device to remove; the stored"
                + " session is cleared");
    }

    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            if (closed) {
                return;
            }
            t = starter;
        }
        if (t != null) {
            t.interrupt();
        }
        setState(AccountState.STOPPED, "closed");
        closed = true;
        if (config.webhook() != null) {
            config.webhook().detach(config.phoneNumberId(), receiver);
        }
        graph.close();
    }

    /** Webhook events of this business number. */
    private final class Receiver implements CloudWebhook.Receiver {
        @Override
        public void status(WebhookPayload.Status s) {
            statusById.merge(s.messageId(), s, CloudApiTransport::furthest);
            if (s.callbackData() != null) {
                statusByMarker.merge(s.callbackData(), s, CloudApiTransport::furthest);
            }
            TransportContext c = ctx;
            switch (s.status()) {
                case "delivered" -> emit(c, new TransportEvent.Ack(s.messageId(), DeliveryStatus.DELIVERED));
                case "read" -> emit(c, new TransportEvent.Ack(s.messageId(), DeliveryStatus.READ));
                case "failed" -> {
                    if (s.errorCode() != null && s.errorCode() == 131026 && s.recipient() != null) {
                        registered.put(s.recipient(), Boolean.FALSE);
                    }
                    emit(c, new TransportEvent.Undelivered(s.messageId(), "WhatsApp error " + s.errorCode()
                            + (s.errorTitle() == null ? "" : ": " + s.errorTitle())));
                }
                default -> { } // sent: the send's answer said so already; kept above for lookups
            }
        }

        @Override
        public void incoming(WebhookPayload.Incoming m) {
            registered.put(m.from(), Boolean.TRUE);
            String sender = "+" + m.from();
            String kind = "text".equals(m.type()) || "button".equals(m.type()) ? null : m.type();
            emit(ctx, new TransportEvent.MessageReceived(m.messageId(), sender, sender, m.text(), kind,
                    m.quotedMessageId(), m.at()));
        }

        private void emit(TransportContext c, TransportEvent e) {
            if (c != null && !closed) {
                c.emit(e);
            }
        }
    }

    /** Of two statuses of one message, the one furthest along (failed counts as final). */
    private static WebhookPayload.Status furthest(WebhookPayload.Status a, WebhookPayload.Status b) {
        return rank(b) >= rank(a) ? b : a;
    }

    private static int rank(WebhookPayload.Status s) {
        return switch (s.status()) {
            case "sent" -> 1;
            case "delivered" -> 2;
            case "read" -> 3;
            case "failed" -> 4;
            default -> 0;
        };
    }

    @Override
    public String toString() {
        return "CloudApiTransport[" + config + ", " + state + "]";
    }
}
