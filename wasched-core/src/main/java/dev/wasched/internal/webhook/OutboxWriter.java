package dev.wasched.internal.webhook;

import dev.wasched.event.WaschedEvent;
import dev.wasched.event.WaschedListener;
import dev.wasched.internal.engine.EngineContext;
import dev.wasched.webhook.OutboxEntry;
import dev.wasched.webhook.WebhookEndpoint;
import dev.wasched.webhook.WebhookEventTypes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the engine's events into outbox rows. It listens on the event bus (its thread, never a sending thread): each
 * event gets its id and its rows, one per endpoint that wants it, and is queued in memory; a thread of its own writes
 * the queue in batches. So neither a slow store write nor an endpoint ever delays a send.
 *
 * <p>What "durable" covers: an event is durable once its rows are written. Between the state change the event reports
 * (already in the store) and that write, the event lives only in this instance's memory, normally for milliseconds;
 * a crash in that window loses the event (never the state change), and a store outage longer than the queue holds
 * ({@link #MAX_QUEUED} rows) drops the newest events with a warning. A failed write is retried until the store answers
 * or the instance closes; {@link #close()} writes what is queued before it returns.
 */
final class OutboxWriter implements WaschedListener {
    static final int MAX_QUEUED = 100_000;
    private static final Logger log = LoggerFactory.getLogger(OutboxWriter.class);
    private static final int BATCH = 500;

    private final EngineContext ctx;
    private final Endpoints endpoints;
    private final Runnable written;
    private final BlockingQueue<OutboxEntry> queue = new LinkedBlockingQueue<>(MAX_QUEUED);
    private final Thread thread;
    private volatile boolean closing;

    OutboxWriter(EngineContext ctx, Endpoints endpoints, Runnable written) {
        this.ctx = ctx;
        this.endpoints = endpoints;
        this.written = written;
        this.thread = new Thread(this::run, "wasched-webhook-outbox");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    @Override
    public void onEvent(WaschedEvent event) {
        String type = WebhookEventTypes.of(event);
        List<WebhookEndpoint> targets = endpoints.wanting(type);
        if (targets.isEmpty()) {
            return;
        }
        String eventId = ctx.ids().next();
        EventPayloads.Payload payload = EventPayloads.of(eventId, event);
        for (WebhookEndpoint endpoint : targets) {
            OutboxEntry entry = OutboxEntry.pending(ctx.ids().next(), eventId, endpoint.id(), type, payload.orderKey(),
                    payload.json(), ctx.now());
            if (!queue.offer(entry)) {
                log.warn("webhook outbox queue full ({} rows, the store is not answering): event {} dropped for {}",
                        MAX_QUEUED, eventId, endpoint.url());
            }
        }
    }

    private void run() {
        List<OutboxEntry> batch = new ArrayList<>();
        while (!closing || !queue.isEmpty() || !batch.isEmpty()) {
            try {
                if (batch.isEmpty()) {
                    OutboxEntry first = queue.poll(200, TimeUnit.MILLISECONDS);
                    if (first == null) {
                        continue;
                    }
                    batch.add(first);
                    queue.drainTo(batch, BATCH - 1);
                }
                ctx.store().webhooks().enqueue(batch);
                batch.clear();
                written.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                if (closing) {
                    log.warn("webhook outbox: {} events not written at close: {}", batch.size() + queue.size(),
                            e.toString());
                    return;
                }
                log.warn("webhook outbox write failed, retrying: {}", e.toString());
                sleep(Duration.ofSeconds(1));
            }
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Writes what is queued (events published before this call) and stops. */
    void close(Duration timeout) {
        closing = true;
        try {
            thread.join(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            thread.interrupt();
        }
    }
}
