package dev.wasched.whatsapp.cloud;

import dev.wasched.Secret;
import dev.wasched.ValidationException;
import dev.wasched.whatsapp.cloud.internal.RecentKeys;
import dev.wasched.whatsapp.cloud.internal.ServiceWindows;
import dev.wasched.whatsapp.cloud.internal.Signatures;
import dev.wasched.whatsapp.cloud.internal.WebhookPayload;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives the Cloud API's webhooks for one Meta app, whatever serves HTTP: {@link CloudWebhookServer} (the JDK's
 * server) or {@link CloudWebhookServlet} (a servlet container), or a host's own endpoint calling {@link #verify} and
 * {@link #receive}.
 *
 * <ul>
 *   <li>Verification handshake: Meta's {@code GET ?hub.mode=subscribe&hub.verify_token=…&hub.challenge=…} is answered
 *       with the challenge when the token is the configured verify token.</li>
 *   <li>Notifications: a {@code POST} whose {@code X-Hub-Signature-256} is not the HMAC-SHA256 of its raw body with the
 *       app secret is refused (401) and nothing in it is applied.</li>
 *   <li>Status updates become acks of the {@link CloudApiTransport} of their business number (delivered, read; sent
 *       and failed settle its uncertain sends); customer messages become the same inbound events the WhatsApp Web
 *       transport reports, and open the 24-hour window.</li>
 *   <li>A redelivered event (Meta retries until it gets a 200) is applied once.</li>
 * </ul>
 *
 * <p>A notification for a business number whose transport is not started in this process is answered 503, so Meta
 * delivers it again later; what it held for started numbers is applied at once and skipped on redelivery.
 */
public final class CloudWebhook {
    private static final Logger log = LoggerFactory.getLogger(CloudWebhook.class);

    /** What a notification came to: the HTTP status to answer, why, and how many events it applied or skipped. */
    public record Result(int httpStatus, String message, int applied, int duplicates) {
    }

    /** Where the events of one business number go: its transport. */
    interface Receiver {
        void status(WebhookPayload.Status status);

        void incoming(WebhookPayload.Incoming message);
    }

    private final Secret appSecret;
    private final Secret verifyToken;
    private final RecentKeys seen;
    private final ServiceWindows windows = new ServiceWindows();
    private final Map<String, Receiver> receivers = new ConcurrentHashMap<>();
    private final AtomicLong applied = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();

    private CloudWebhook(Builder b) {
        this.appSecret = Objects.requireNonNull(b.appSecret, "appSecret");
        this.verifyToken = Objects.requireNonNull(b.verifyToken, "verifyToken");
        this.seen = new RecentKeys(b.rememberedEvents);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The handshake: the challenge to answer (with 200) when {@code mode} is {@code subscribe} and {@code token} the
     * verify token; empty (answer 403) otherwise.
     */
    public Optional<String> verify(String mode, String token, String challenge) {
        if (!"subscribe".equals(mode) || token == null || token.isEmpty() || challenge == null
                || !Secret.of(token).equals(verifyToken)) {
            log.warn("webhook verification refused: mode '{}', token {}", mode, token == null ? "missing" : "wrong");
            return Optional.empty();
        }
        return Optional.of(challenge);
    }

    /** Checks, parses and applies one notification: its raw body and its {@code X-Hub-Signature-256} header. */
    public Result receive(byte[] body, String signature) {
        if (body == null || !Signatures.valid(body, signature, appSecret)) {
            refused.incrementAndGet();
            log.warn("webhook notification refused: {} X-Hub-Signature-256", signature == null ? "no" : "a wrong");
            return new Result(401, "invalid or missing X-Hub-Signature-256", 0, 0);
        }
        WebhookPayload payload;
        try {
            payload = WebhookPayload.parse(body);
        } catch (IllegalArgumentException e) {
            log.warn("webhook notification not understood: {}", e.getMessage());
            return new Result(400, e.getMessage(), 0, 0);
        }
        int done = 0;
        int again = 0;
        String missing = null;
        for (WebhookPayload.Change change : payload.changes()) {
            for (WebhookPayload.Incoming m : change.messages()) {
                windows.customerWrote(change.phoneNumberId(), m.from(), m.at());
            }
            Receiver receiver = receivers.get(change.phoneNumberId());
            if (receiver == null) {
                missing = change.phoneNumberId();
                continue;
            }
            for (WebhookPayload.Status s : change.statuses()) {
                if (seen.firstTime("s/" + s.messageId() + "/" + s.status())) {
                    receiver.status(s);
                    done++;
                } else {
                    again++;
                }
            }
            for (WebhookPayload.Incoming m : change.messages()) {
                if (seen.firstTime("m/" + m.messageId())) {
                    receiver.incoming(m);
                    done++;
                } else {
                    again++;
                }
            }
        }
        applied.addAndGet(done);
        duplicates.addAndGet(again);
        if (missing != null) {
            log.info("webhook notification for phone number id {}, whose transport is not started here: 503", missing);
            return new Result(503, "no transport for phone number id " + missing + " in this process", done, again);
        }
        return new Result(200, "ok", done, again);
    }

    /** Events applied since start (statuses and messages, each once). */
    public long appliedEvents() {
        return applied.get();
    }

    /** Redelivered events skipped since start. */
    public long duplicateEvents() {
        return duplicates.get();
    }

    /** Notifications refused for their signature since start. */
    public long refusedNotifications() {
        return refused.get();
    }

    ServiceWindows windows() {
        return windows;
    }

    void attach(String phoneNumberId, Receiver receiver) {
        Receiver before = receivers.putIfAbsent(phoneNumberId, receiver);
        if (before != null && before != receiver) {
            throw new IllegalStateException("phone number id " + phoneNumberId + " already has a started transport");
        }
    }

    void detach(String phoneNumberId, Receiver receiver) {
        receivers.remove(phoneNumberId, receiver);
    }

    public static final class Builder {
        private Secret appSecret;
        private Secret verifyToken;
        private int rememberedEvents = 100_000;

        /** The Meta app's secret, which signs every notification. */
        public Builder appSecret(Secret secret) {
            this.appSecret = secret;
            return this;
        }

        /** The token entered in the app's webhook settings, which Meta echoes in the handshake. */
        public Builder verifyToken(Secret token) {
            this.verifyToken = token;
            return this;
        }

        /** How many recent events are remembered to skip redeliveries (default 100 000). */
        public Builder rememberedEvents(int count) {
            if (count < 100) {
                throw new ValidationException("rememberedEvents", "must be at least 100, was " + count);
            }
            this.rememberedEvents = count;
            return this;
        }

        public CloudWebhook build() {
            if (appSecret == null) {
                throw new ValidationException("appSecret", "the Meta app secret is required to check signatures");
            }
            if (verifyToken == null) {
                throw new ValidationException("verifyToken", "the webhook verify token is required");
            }
            return new CloudWebhook(this);
        }
    }
}
