package dev.wasched;

import dev.wasched.contact.ContactService;
import dev.wasched.delivery.DeliveryService;
import dev.wasched.event.WaschedListener;
import dev.wasched.internal.engine.Engine;
import dev.wasched.message.MediaService;
import dev.wasched.message.TemplateService;
import dev.wasched.schedule.ScheduleService;
import dev.wasched.session.SessionService;

/**
 * The entry point: a scheduler and sender of WhatsApp messages over one store and one transport per account.
 *
 * <pre>{@code
 * try (Wasched wasched = Wasched.builder()
 *         .store(store)
 *         .transport(transport)
 *         .build()) {
 *     wasched.start();
 *     Contact ann = wasched.contacts().create(ContactSpec.builder().name("Ann").phone("+4915112345678").build());
 *     wasched.schedules().create(ScheduleSpec.builder()
 *         .account(transport.account())
 *         .to(Target.contacts(ann.id()))
 *         .text("Good morning, {{name}}!")
 *         .trigger(Trigger.cron("0 8 * * *", ZoneId.of("Europe/Berlin")))
 *         .build());
 * }
 * }</pre>
 *
 * <p>Either {@link #start()} it (background threads until {@link #close()}), or call {@link #runDue()} to do the due
 * work on the calling thread (tests with a settable clock, tools).
 */
public final class Wasched implements AutoCloseable {
    private final WaschedConfig config;
    private final Engine engine;
    private final ContactService contacts;
    private final TemplateService templates;
    private final ScheduleService schedules;
    private final DeliveryService deliveries;
    private final SessionService sessions;
    private final MediaService media;
    private final dev.wasched.inbound.InboundService inbound;
    /** Set once by the builder, right after construction. */
    private dev.wasched.internal.webhook.Webhooks webhooks;

    private final dev.wasched.account.AccountService accounts;

    Wasched(WaschedConfig config, Engine engine, ContactService contacts, TemplateService templates,
            ScheduleService schedules, DeliveryService deliveries, SessionService sessions, MediaService media,
            dev.wasched.inbound.InboundService inbound, dev.wasched.account.AccountService accounts) {
        this.accounts = accounts;
        this.config = config;
        this.engine = engine;
        this.contacts = contacts;
        this.templates = templates;
        this.schedules = schedules;
        this.deliveries = deliveries;
        this.sessions = sessions;
        this.media = media;
        this.inbound = inbound;
    }

    /** The account registry: numbers added, paused, resumed and removed while wasched runs. */
    public dev.wasched.account.AccountService accounts() {
        return accounts;
    }

    public static WaschedBuilder builder() {
        return new WaschedBuilder();
    }

    /** Starts the background threads: fan-out, one dispatcher per account, maintenance. Idempotent. */
    public void start() {
        engine.start();
        webhooks.start();
    }

    Wasched withWebhooks(dev.wasched.internal.webhook.Webhooks webhooks) {
        this.webhooks = webhooks;
        return this;
    }

    /**
     * Does everything due at the clock's current instant on the calling thread and returns how many messages were
     * sent. Only for an instance that was not {@link #start()}ed.
     */
    public int runDue() {
        return engine.runDue();
    }

    public boolean isRunning() {
        return engine.isRunning();
    }

    public ContactService contacts() {
        return contacts;
    }

    public TemplateService templates() {
        return templates;
    }

    public ScheduleService schedules() {
        return schedules;
    }

    public DeliveryService deliveries() {
        return deliveries;
    }

    public SessionService sessions() {
        return sessions;
    }

    public MediaService media() {
        return media;
    }

    /**
     * Webhook endpoints: URLs the engine's events are POSTed to, signed, from a durable outbox in the store (while
     * the instance is {@link #start() started}).
     */
    public dev.wasched.webhook.WebhookService webhooks() {
        return webhooks.service();
    }

    /** The messages the accounts received. */
    public dev.wasched.inbound.InboundService inbound() {
        return inbound;
    }

    public WaschedConfig config() {
        return config;
    }

    public String instanceId() {
        return config.instanceId();
    }

    /** A health snapshot of this instance: see {@link dev.wasched.health.Health}. */
    public dev.wasched.health.Health health() {
        return engine.health();
    }

    /** Versions, configuration (secrets redacted), health and recent problems, for a bug report. */
    public dev.wasched.health.Diagnostics diagnostics() {
        return new dev.wasched.health.Diagnostics(engine.context().now(), version(), System.getProperty("java.version"),
                System.getProperty("os.name") + " " + System.getProperty("os.arch"), config.describe(), health(),
                engine.problems().snapshot());
    }

    /** The wasched version, read from the library itself. */
    public static String version() {
        try (var in = Wasched.class.getResourceAsStream("/dev/wasched/version.properties")) {
            java.util.Properties p = new java.util.Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "unknown");
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    /**
     * Pauses all sending, on every instance that shares the store, until {@link #resumeSending()}. Schedules still
     * fan out, so nothing is lost; deliveries simply wait.
     */
    public void pauseSending() {
        engine.pauseSending();
    }

    public void resumeSending() {
        engine.resumeSending();
    }

    public boolean isSendingPaused() {
        return engine.sendingPaused();
    }

    public void addListener(WaschedListener listener) {
        engine.context().events().add(listener);
    }

    public void removeListener(WaschedListener listener) {
        engine.context().events().remove(listener);
    }

    /**
     * Stops gracefully: no new claims, sends in flight finish (up to the shutdown timeout), unsent claims and session
     * leases are handed back so another instance takes over at once, transports save their sessions. A send still
     * running when the timeout ends is marked UNCERTAIN before its transport closes, so no instance sends it again
     * blindly. The store is not closed (the host owns it). A second call does nothing.
     */
    @Override
    public void close() {
        try {
            engine.close();
        } finally {
            webhooks.close();
        }
    }
}
