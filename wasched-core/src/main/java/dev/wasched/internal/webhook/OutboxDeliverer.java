package dev.wasched.internal.webhook;

import dev.wasched.internal.engine.EngineContext;
import dev.wasched.internal.engine.Threads;
import dev.wasched.internal.engine.WakeSignal;
import dev.wasched.spi.store.WebhookRepository;
import dev.wasched.webhook.OutboxEntry;
import dev.wasched.webhook.WebhookEndpoint;
import dev.wasched.webhook.WebhookOptions;
import dev.wasched.webhook.WebhookSignature;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POSTs due outbox rows. One loop claims rows (leased, so instances sharing the store never send one at the same
 * time) and starts each request asynchronously; answers are written back as they come, so a slow or dead endpoint
 * holds only its own requests, never the loop or other endpoints. 2xx marks a row delivered; anything else, or no
 * answer within the request timeout, is a failure: the row is due again after the retry policy's back-off (and the
 * endpoint's other waiting rows with it, so a dead endpoint gets one attempt per back-off, not one per event), until
 * its attempts or its age run out and it is given up on. Order per subject comes from the claim, which takes only the
 * first PENDING row of each endpoint and order key.
 */
final class OutboxDeliverer {
    private static final Logger log = LoggerFactory.getLogger(OutboxDeliverer.class);
    private static final int MAX_ERROR = 500;
    /**
     * Endpoints are read again when another instance changed them (a marker read with the heartbeat moved) and, in
     * case a change was made around wasched, at least this often.
     */
    private static final Duration REFRESH = Duration.ofMinutes(10);

    private final EngineContext ctx;
    private final WebhookOptions options;
    private final WebhookRepository store;
    private final Endpoints endpoints;
    private final WakeSignal wake = new WakeSignal();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final ExecutorService httpThreads = Executors.newCachedThreadPool(Threads.named("wasched-webhook-http"));
    private final HttpClient http;
    private final Thread loop;
    private volatile boolean running = true;
    private Instant nextPurge = Instant.MIN;
    private Instant nextRefresh = Instant.MIN;
    private final java.util.function.LongSupplier endpointsEpoch;
    private long endpointsSeen = Long.MIN_VALUE;

    OutboxDeliverer(EngineContext ctx, WebhookOptions options, Endpoints endpoints,
                    java.util.function.LongSupplier endpointsEpoch) {
        this.endpointsEpoch = endpointsEpoch;
        this.ctx = ctx;
        this.options = options;
        this.store = ctx.store().webhooks();
        this.endpoints = endpoints;
        this.http = HttpClient.newBuilder().executor(httpThreads).connectTimeout(options.requestTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
        this.loop = new Thread(this::run, "wasched-webhooks");
        this.loop.setDaemon(true);
    }

    void start() {
        loop.start();
    }

    /** Looks for due rows now (new rows written, a request answered). */
    void wake() {
        wake.signal();
    }

    private void run() {
        while (running) {
            boolean full = false;
            try {
                refreshWhenDue();
                purgeWhenDue();
                full = !endpoints.isEmpty() && deliverDue();
            } catch (RuntimeException e) {
                log.warn("webhook delivery round failed: {}", e.toString());
            }
            if (!full) {
                try {
                    wake.awaitUntil(Clock.systemUTC(), Instant.now().plus(options.pollInterval()));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Claims what fits in the in-flight limit and starts the requests; true when the claim was full (more due). */
    private boolean deliverDue() {
        int room = Math.min(options.batchSize(), options.maxInFlight() - inFlight.get());
        if (room <= 0) {
            return false;
        }
        Instant now = ctx.now();
        List<OutboxEntry> claimed = store.claimDue(now, ctx.instanceId(), now.plus(options.claimDuration()), room);
        for (OutboxEntry entry : claimed) {
            Optional<WebhookEndpoint> endpoint = endpoints.find(entry.endpointId());
            if (endpoint.isEmpty()) {
                continue; // removed meanwhile: its rows are gone with it
            }
            inFlight.incrementAndGet();
            send(entry, endpoint.get());
        }
        return claimed.size() == room && room == options.batchSize();
    }

    private void send(OutboxEntry entry, WebhookEndpoint endpoint) {
        HttpRequest request;
        try {
            String timestamp = Long.toString(ctx.clock().instant().getEpochSecond());
            request = HttpRequest.newBuilder(endpoint.url()).timeout(options.requestTimeout())
                    .header("Content-Type", "application/json; charset=utf-8")
                    .header("User-Agent", "wasched-webhooks")
                    .header(WebhookSignature.EVENT_ID_HEADER, entry.eventId())
                    .header(WebhookSignature.EVENT_TYPE_HEADER, entry.eventType())
                    .header(WebhookSignature.TIMESTAMP_HEADER, timestamp)
                    .header(WebhookSignature.SIGNATURE_HEADER,
                            WebhookSignature.sign(endpoint.secret(), timestamp, entry.payload()))
                    .POST(HttpRequest.BodyPublishers.ofString(entry.payload(), StandardCharsets.UTF_8)).build();
        } catch (RuntimeException e) {
            finished(entry, endpoint, null, e);
            return;
        }
        http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                .whenComplete((response, error) -> finished(entry, endpoint, response, error));
    }

    private void finished(OutboxEntry entry, WebhookEndpoint endpoint, HttpResponse<Void> response, Throwable error) {
        try {
            Instant now = ctx.now();
            if (response != null && response.statusCode() / 100 == 2) {
                store.delivered(entry.id(), ctx.instanceId(), now);
            } else {
                failed(entry, endpoint, now, response != null ? "HTTP " + response.statusCode() : describe(error));
            }
        } catch (RuntimeException e) {
            // The lease ends and another round sends the row again: at least once.
            log.warn("webhook outcome of event {} not recorded: {}", entry.eventId(), e.toString());
        } finally {
            inFlight.decrementAndGet();
            wake();
        }
    }

    private void failed(OutboxEntry entry, WebhookEndpoint endpoint, Instant now, String error) {
        String cut = error.length() > MAX_ERROR ? error.substring(0, MAX_ERROR) : error;
        boolean tooOld = !entry.createdAt().plus(options.maxAge()).isAfter(now);
        if (!options.retry().hasAttemptsLeft(entry.attempts()) || tooOld) {
            log.warn("webhook event {} ({}) to {} given up after {} attempts: {}", entry.eventId(), entry.eventType(),
                    endpoint.url(), entry.attempts(), cut);
            store.giveUp(entry.id(), ctx.instanceId(), now, cut);
            return;
        }
        Instant due = now.plus(options.retry().delayAfter(entry.attempts(), ctx.random()));
        log.debug("webhook event {} to {} failed ({}), next attempt at {}", entry.eventId(), endpoint.url(), cut, due);
        store.retryAt(entry.id(), ctx.instanceId(), due, cut);
        store.postpone(entry.endpointId(), due);
    }

    private static String describe(Throwable error) {
        Throwable t = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                ? error.getCause() : error;
        if (t == null) {
            return "no answer";
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }

    /**
     * Endpoints changed through other instances are seen at this instance's next heartbeat (their marker moved; local
     * changes at once); an idle instance reads them only once per {@link #REFRESH}.
     */
    private void refreshWhenDue() {
        Instant now = Instant.now();
        long epoch = endpointsEpoch.getAsLong();
        if (epoch == endpointsSeen && now.isBefore(nextRefresh)) {
            return;
        }
        endpointsSeen = epoch;
        nextRefresh = now.plus(REFRESH);
        endpoints.refresh();
    }

    private void purgeWhenDue() {
        Instant now = ctx.now();
        if (now.isBefore(nextPurge)) {
            return;
        }
        nextPurge = now.plus(Duration.ofMinutes(10));
        int purged = store.purgeDelivered(now.minus(options.retention()));
        if (purged > 0) {
            log.debug("purged {} delivered webhook rows", purged);
        }
    }

    /** Stops claiming; waits up to the request timeout for requests in flight, so their rows are not sent twice. */
    void close() {
        running = false;
        wake();
        try {
            loop.join(options.requestTimeout().toMillis());
            long deadline = System.nanoTime() + options.requestTimeout().toNanos();
            while (inFlight.get() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        httpThreads.shutdownNow();
        try {
            httpThreads.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
