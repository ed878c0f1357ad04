package dev.wasched.internal.webhook;

import dev.wasched.internal.engine.EngineContext;
import dev.wasched.webhook.WebhookOptions;
import dev.wasched.webhook.WebhookService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Webhooks of one instance: the service, and while the instance runs, the outbox writer on the event bus and the
 * delivery loop. An instance that is not started writes and sends nothing.
 */
public final class Webhooks implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Webhooks.class);

    private final EngineContext ctx;
    private final WebhookOptions options;
    private final WebhookServiceImpl service;
    private OutboxWriter writer;
    private OutboxDeliverer deliverer;
    private Endpoints endpoints;

    private final java.util.function.LongSupplier endpointsEpoch;
    private final Runnable tellOthers;

    /**
     * @param endpointsEpoch a number that moves when another instance changed the endpoints (read with the
     *                       heartbeat), so they are read again only then
     * @param tellOthers     moves it after a change made here
     */
    public Webhooks(EngineContext ctx, WebhookOptions options, java.util.function.LongSupplier endpointsEpoch,
                    Runnable tellOthers) {
        this.ctx = ctx;
        this.options = options;
        this.endpointsEpoch = endpointsEpoch;
        this.tellOthers = tellOthers;
        this.service = new WebhookServiceImpl(ctx, this::endpointsChanged);
    }

    public WebhookService service() {
        return service;
    }

    /** Starts writing and delivering; does nothing (but say so) when the store keeps no webhooks. Idempotent. */
    public synchronized void start() {
        if (writer != null) {
            return;
        }
        try {
            endpoints = new Endpoints(ctx.store().webhooks());
            endpoints.refresh();
        } catch (UnsupportedOperationException e) {
            log.info("webhooks off: {}", e.getMessage());
            return;
        }
        deliverer = new OutboxDeliverer(ctx, options, endpoints, endpointsEpoch);
        writer = new OutboxWriter(ctx, endpoints, deliverer::wake);
        ctx.events().add(writer);
        writer.start();
        deliverer.start();
    }

    private void endpointsChanged() {
        try {
            tellOthers.run();
        } catch (RuntimeException ex) {
            log.warn("other instances see the webhook change at their periodic look: {}", ex.toString());
        }
        Endpoints e = endpoints;
        if (e != null) {
            e.refresh();
        }
    }

    /** After the engine closed (its last events published): writes the queued events, then stops delivering. */
    @Override
    public synchronized void close() {
        if (writer == null) {
            return;
        }
        ctx.events().remove(writer);
        writer.close(ctx.config().shutdownTimeout());
        deliverer.close();
        writer = null;
    }
}
