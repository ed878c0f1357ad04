package dev.wasched;

import dev.wasched.event.WaschedListener;
import dev.wasched.internal.engine.EngineContext;
import dev.wasched.internal.engine.Engine;
import dev.wasched.internal.engine.EventBus;
import dev.wasched.internal.engine.FanOut;
import dev.wasched.internal.engine.MessageRenderer;
import dev.wasched.internal.service.ContactServiceImpl;
import dev.wasched.internal.service.DeliveryCancellation;
import dev.wasched.internal.service.DeliveryServiceImpl;
import dev.wasched.internal.service.MediaServiceImpl;
import dev.wasched.internal.service.ScheduleServiceImpl;
import dev.wasched.internal.service.SessionServiceImpl;
import dev.wasched.internal.service.TemplateServiceImpl;
import dev.wasched.internal.session.SessionVault;
import dev.wasched.internal.time.Ids;
import dev.wasched.policy.PacingPolicy;
import dev.wasched.policy.RetryPolicy;
import dev.wasched.spi.store.WaschedStore;
import dev.wasched.spi.transport.MessageTransport;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/** Wires a {@link Wasched}: the store, one transport per account, the clock, policies and listeners. */
public final class WaschedBuilder {
    private WaschedStore store;
    private final Map<String, Supplier<MessageTransport>> transports = new LinkedHashMap<>();
    private final Map<String, dev.wasched.spi.transport.TransportFactory> factories = new LinkedHashMap<>();
    private int instanceWeight = 1;
    private final List<WaschedListener> listeners = new ArrayList<>();
    private Clock clock = Clock.systemUTC();
    private RandomGenerator random;
    private String instanceId;
    /** The engine's settings; their defaults live in {@link WaschedConfig.Builder}. */
    private final WaschedConfig.Builder settings = WaschedConfig.builder();
    private dev.wasched.metrics.MetricsRecorder metrics = dev.wasched.metrics.MetricsRecorder.NONE;
    private dev.wasched.webhook.WebhookOptions webhooks = dev.wasched.webhook.WebhookOptions.DEFAULT;

    WaschedBuilder() {
    }

    /** Required: where everything is kept. */
    public WaschedBuilder store(WaschedStore store) {
        this.store = store;
        return this;
    }

    /**
     * A transport for its account. The engine starts it when this instance takes the account's session lease; an
     * instance given here cannot be restarted after it was closed, a {@link #transport(String, Supplier) factory}
     * can.
     */
    public WaschedBuilder transport(MessageTransport transport) {
        AtomicBoolean used = new AtomicBoolean();
        return transport(transport.account(), () -> {
            if (used.getAndSet(true)) {
                throw new IllegalStateException("the transport of account '" + transport.account()
                        + "' was already started once; register a factory to allow restarts");
            }
            return transport;
        });
    }

    /** A factory of transports for {@code account}, called each time this instance takes the account over. */
    public WaschedBuilder transport(String account, Supplier<MessageTransport> factory) {
        if (account == null || account.isBlank()) {
            throw new ValidationException("account", "is required");
        }
        if (transports.putIfAbsent(account, factory) != null) {
            throw new ValidationException("account", "'" + account + "' has a transport already");
        }
        return this;
    }

    /**
     * Runs the registered accounts of {@code kind} ({@code wasched.accounts().add(...)}): this instance may start any
     * of them, each time it takes one over, with the settings the account has then. Accounts are spread evenly over
     * the live instances that share the store (see {@link #instanceWeight(int)}).
     */
    public WaschedBuilder transportFactory(String kind, dev.wasched.spi.transport.TransportFactory factory) {
        if (kind == null || kind.isBlank()) {
            throw new ValidationException("kind", "is required");
        }
        if (dev.wasched.account.Account.DECLARED_IN_CODE.equals(kind)) {
            throw new ValidationException("kind", "'" + kind + "' is kept for transports given in code");
        }
        if (factories.putIfAbsent(kind, java.util.Objects.requireNonNull(factory, "factory")) != null) {
            throw new ValidationException("kind", "'" + kind + "' has a transport factory already");
        }
        return this;
    }

    /**
     * This instance's share of the accounts relative to the other live instances' (default 1): an instance of weight
     * 2 runs about twice as many as one of weight 1; 0 makes a standby that runs accounts only when no other instance
     * does.
     */
    public WaschedBuilder instanceWeight(int weight) {
        if (weight < 0 || weight > 1000) {
            throw new ValidationException("instanceWeight", "must be 0 to 1000, was " + weight);
        }
        this.instanceWeight = weight;
        return this;
    }

    public WaschedBuilder listener(WaschedListener listener) {
        listeners.add(listener);
        return this;
    }

    public WaschedBuilder clock(Clock clock) {
        this.clock = clock;
        return this;
    }

    /** Randomness for jitter; a seeded generator makes runs repeatable. */
    public WaschedBuilder random(RandomGenerator random) {
        this.random = random;
        return this;
    }

    public WaschedBuilder instanceId(String instanceId) {
        this.instanceId = instanceId;
        return this;
    }

    public WaschedBuilder defaultRegion(String region) {
        settings.defaultRegion(region);
        return this;
    }

    public WaschedBuilder defaultZone(ZoneId zone) {
        settings.defaultZone(zone);
        return this;
    }

    public WaschedBuilder leaseDuration(Duration d) {
        settings.leaseDuration(d);
        return this;
    }

    public WaschedBuilder heartbeatInterval(Duration d) {
        settings.heartbeatInterval(d);
        return this;
    }

    public WaschedBuilder fallbackPoll(Duration d) {
        settings.fallbackPoll(d);
        return this;
    }

    public WaschedBuilder misfireThreshold(Duration d) {
        settings.misfireThreshold(d);
        return this;
    }

    /**
     * Occurrences due within this much of now become PENDING deliveries ahead of time, due at their occurrence, so
     * writing a campaign's deliveries does not delay its first message (default 60 s, at most 1 h). A delivery made
     * ahead expires when its schedule's misfire policy would no longer have fired the occurrence, so an outage over
     * that time cancels it instead of sending it late. {@link Duration#ZERO} makes deliveries only once due.
     */
    public WaschedBuilder fanOutLookAhead(Duration d) {
        settings.fanOutLookAhead(d);
        return this;
    }

    public WaschedBuilder claimBatchSize(int n) {
        settings.claimBatchSize(n);
        return this;
    }

    /**
     * The most deliveries of one account without a pacing gap claimed into SENDING at once (default 16, 1 to 1000):
     * should the instance die, at most this many become UNCERTAIN. Accounts with a gap claim one at a time.
     */
    public WaschedBuilder sendWindow(int n) {
        settings.sendWindow(n);
        return this;
    }

    /**
     * Whole-message replies that opt a contact out (everything pending for it cancelled) or back in, each optionally
     * confirmed by a text sent back once; default {@link dev.wasched.inbound.ReplyKeywords#DEFAULT} (no confirmation),
     * {@link dev.wasched.inbound.ReplyKeywords#NONE} for none.
     */
    public WaschedBuilder replyKeywords(dev.wasched.inbound.ReplyKeywords keywords) {
        settings.replyKeywords(keywords);
        return this;
    }

    public WaschedBuilder shutdownTimeout(Duration d) {
        settings.shutdownTimeout(d);
        return this;
    }

    public WaschedBuilder retention(Duration d) {
        settings.retention(d);
        return this;
    }

    public WaschedBuilder retry(RetryPolicy policy) {
        settings.retry(policy);
        return this;
    }

    /** Pacing for every account without its own. */
    public WaschedBuilder pacing(PacingPolicy policy) {
        settings.pacing(policy);
        return this;
    }

    public WaschedBuilder pacing(String account, PacingPolicy policy) {
        settings.pacing(account, policy);
        return this;
    }

    public WaschedBuilder maxMediaBytes(long bytes) {
        settings.maxMediaBytes(bytes);
        return this;
    }

    /**
     * Encrypts stored sessions with AES-GCM; base64 of 32 random bytes ({@code openssl rand -base64 32}). Without a
     * key, a stored session is a full login to the WhatsApp account in the clear: {@code start()} warns about it.
     * With a key, an unencrypted stored session is refused.
     */
    public WaschedBuilder sessionKey(Secret key) {
        settings.sessionKey(key);
        return this;
    }

    /**
     * Rotation: the key sessions were encrypted with until now. Snapshots under it still load, and the next save
     * stores them under {@link #sessionKey(Secret)}. Each key is known by an id derived from it (never the key).
     */
    public WaschedBuilder previousSessionKey(Secret key) {
        settings.previousSessionKey(key);
        return this;
    }

    /**
     * {@code false} makes an instance that runs its accounts' WhatsApp sessions but claims and sends nothing: a tool
     * that links an account or checks its page runs beside the instances that send without taking their work.
     * Default true.
     */
    public WaschedBuilder sendingEnabled(boolean enabled) {
        settings.sendingEnabled(enabled);
        return this;
    }

    /**
     * Upgrading to encryption: with a {@link #sessionKey(Secret)}, a session stored unencrypted (before the key was
     * set) is loaded once and saved encrypted at once, so the account needs no new link. Off by default: then such a
     * snapshot is quarantined, because an unencrypted login in an encrypted store may have been put there by someone
     * else. Turn it on for the first start after adding a key, then off again.
     */
    public WaschedBuilder adoptUnencryptedSessions(boolean adopt) {
        settings.adoptUnencryptedSessions(adopt);
        return this;
    }

    /** How long quarantined session snapshots are kept for inspection before they are deleted (default 7 days). */
    public WaschedBuilder quarantineRetention(Duration d) {
        settings.quarantineRetention(d);
        return this;
    }

    /**
     * A repeating schedule's new occurrence is skipped (and recorded as skipped) while more than this many earlier
     * occurrences still have PENDING deliveries (default 1).
     */
    public WaschedBuilder maxBacklogOccurrences(int n) {
        settings.maxBacklogOccurrences(n);
        return this;
    }

    /** After {@code failures} retryable send failures in a row an account pauses for {@code openFor}. */
    public WaschedBuilder circuitBreaker(int failures, Duration openFor) {
        settings.circuitFailureThreshold(failures).circuitOpenFor(openFor);
        return this;
    }

    /** Records timings and outcomes, for example into Micrometer with {@link dev.wasched.metrics.WaschedMetrics}. */
    public WaschedBuilder metrics(dev.wasched.metrics.MetricsRecorder recorder) {
        this.metrics = recorder == null ? dev.wasched.metrics.MetricsRecorder.NONE : recorder;
        return this;
    }

    /** How webhooks are delivered: poll interval, back-off, request timeout, when to give up, retention. */
    public WaschedBuilder webhooks(dev.wasched.webhook.WebhookOptions options) {
        this.webhooks = java.util.Objects.requireNonNull(options, "options");
        return this;
    }

    public Wasched build() {
        if (store == null) {
            throw new ValidationException("store", "is required");
        }
        if (clock == null) {
            throw new ValidationException("clock", "is required");
        }
        WaschedConfig config = settings.instanceId(instanceId != null ? instanceId : defaultInstanceId()).build();
        if (config.sessionKey() != null) {
            SessionVault.aesKey(config.sessionKey());
        }
        if (config.previousSessionKey() != null) {
            SessionVault.aesKey(config.previousSessionKey());
        }
        EventBus events = new EventBus();
        listeners.forEach(events::add);
        EngineContext ctx = new EngineContext(store, clock, config, new Ids(clock), events,
                random != null ? random : (RandomGenerator) () -> java.util.concurrent.ThreadLocalRandom.current().nextLong(),
                metrics);
        MessageRenderer renderer = new MessageRenderer(store.templates());
        FanOut fanOut = new FanOut(ctx, renderer);
        Engine engine = new Engine(ctx, fanOut, transports, factories, instanceWeight);
        DeliveryCancellation cancellation = new DeliveryCancellation(ctx);
        ContactServiceImpl contacts = new ContactServiceImpl(ctx, cancellation, engine);
        ScheduleServiceImpl schedules = new ScheduleServiceImpl(ctx, renderer, cancellation, engine, fanOut,
                engine::accountRegistered);
        engine.replyActions().use(contacts::optOut, contacts::optIn, schedules::create);
        Wasched wasched = new Wasched(config, engine, contacts, new TemplateServiceImpl(ctx), schedules,
                new DeliveryServiceImpl(ctx, engine), new SessionServiceImpl(engine), new MediaServiceImpl(ctx),
                new dev.wasched.internal.service.InboundServiceImpl(ctx),
                new dev.wasched.internal.service.AccountServiceImpl(ctx, engine, cancellation))
                .withWebhooks(new dev.wasched.internal.webhook.Webhooks(ctx, webhooks, engine::webhooksEpoch,
                        engine::webhooksChanged));
        metrics.bind(wasched);
        return wasched;
    }

    private static String defaultInstanceId() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "host";
        }
        byte[] b = new byte[3];
        new java.security.SecureRandom().nextBytes(b);
        String h = host.length() > 64 ? host.substring(0, 64) : host;
        return h + "-" + HexFormat.of().formatHex(b);
    }
}
