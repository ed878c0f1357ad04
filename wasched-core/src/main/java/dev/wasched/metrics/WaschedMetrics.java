package dev.wasched.metrics;

import dev.wasched.Wasched;
import dev.wasched.health.AccountHealth;
import dev.wasched.health.Health;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

/**
 * wasched's metrics in Micrometer. Micrometer is an optional dependency: only a host that creates this class needs it.
 *
 * <pre>{@code
 * WaschedMetrics metrics = new WaschedMetrics(registry);
 * Wasched wasched = Wasched.builder().store(store).transport(t).metrics(metrics).build();
 * }</pre>
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>name</th><th>type</th><th>tags</th></tr>
 *   <tr><td>wasched.deliveries</td><td>counter</td><td>account, outcome (sent, retry, dead, session_lost,
 *   cancelled)</td></tr>
 *   <tr><td>wasched.send.latency</td><td>timer</td><td>account, outcome</td></tr>
 *   <tr><td>wasched.claim.latency</td><td>timer</td><td>account</td></tr>
 *   <tr><td>wasched.fire.lateness</td><td>timer (with percentiles)</td><td></td></tr>
 *   <tr><td>wasched.queue.depth</td><td>gauge</td><td>state (pending, due_now, uncertain, dead)</td></tr>
 *   <tr><td>wasched.circuit.state</td><td>gauge: 0 closed, 1 half-open, 2 open</td><td>account</td></tr>
 *   <tr><td>wasched.account.ready</td><td>gauge: 1 when READY here</td><td>account</td></tr>
 * </table>
 * Gauges read a health snapshot taken at most every 5 seconds, so a scrape never floods the store.
 */
public final class WaschedMetrics implements MetricsRecorder {
    private static final Duration HEALTH_TTL = Duration.ofSeconds(5);

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();
    /** Accounts whose gauges are registered (each once; an account wired again keeps its gauges). */
    private final java.util.Set<String> withGauges = ConcurrentHashMap.newKeySet();
    private final Timer lateness;
    private volatile Wasched wasched;
    private volatile Health cached;
    private volatile Instant cachedAt = Instant.EPOCH;

    public WaschedMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.lateness = Timer.builder("wasched.fire.lateness").description("how late occurrences fired")
                .publishPercentiles(0.5, 0.99).publishPercentileHistogram().register(registry);
    }

    @Override
    public void sendFinished(String account, String outcome, Duration latency) {
        counter(account, outcome).increment();
        timers.computeIfAbsent(account + "|" + outcome, k -> Timer.builder("wasched.send.latency")
                .description("time the transport took to send").tag("account", account).tag("outcome", outcome)
                .register(registry)).record(latency);
    }

    private Counter counter(String account, String outcome) {
        return counters.computeIfAbsent(account + "|" + outcome, k -> Counter.builder("wasched.deliveries")
                .description("deliveries by outcome").tag("account", account).tag("outcome", outcome).register(registry));
    }

    @Override
    public void claimFinished(String account, int claimed, Duration latency) {
        timers.computeIfAbsent("claim|" + account, k -> Timer.builder("wasched.claim.latency")
                .description("time a claim query took").tag("account", account).register(registry)).record(latency);
    }

    @Override
    public void occurrenceFired(Duration late) {
        lateness.record(late.isNegative() ? Duration.ZERO : late);
    }

    @Override
    public void cancelled(String account) {
        counter(account, "cancelled").increment();
    }

    @Override
    public void bind(Wasched w) {
        this.wasched = w;
        queueGauge("pending", h -> h.queue().pending());
        queueGauge("due_now", h -> h.queue().dueNow());
        queueGauge("uncertain", h -> h.queue().uncertain());
        queueGauge("dead", h -> h.queue().dead());
        for (var status : w.sessions().accounts()) {
            accountWired(status.account());
        }
    }

    @Override
    public void accountWired(String account) {
        if (!withGauges.add(account)) {
            return;
        }
        Gauge.builder("wasched.circuit.state", this, m -> m.account(account, a -> switch (a.circuit()) {
            case "OPEN" -> 2;
            case "HALF_OPEN" -> 1;
            default -> 0;
        })).tag("account", account).description("0 closed, 1 half-open, 2 open").register(registry);
        Gauge.builder("wasched.account.ready", this, m -> m.account(account,
                a -> a.state() == dev.wasched.session.AccountState.READY ? 1 : 0))
                .tag("account", account).description("1 when the account is READY on this instance").register(registry);
    }

    private void queueGauge(String state, ToDoubleFunction<Health> value) {
        Gauge.builder("wasched.queue.depth", this, m -> {
            Health h = m.health();
            return h == null ? Double.NaN : value.applyAsDouble(h);
        }).tag("state", state).description("deliveries waiting").register(registry);
    }

    private double account(String account, ToDoubleFunction<AccountHealth> value) {
        Health h = health();
        if (h == null) {
            return Double.NaN;
        }
        return h.accounts().stream().filter(a -> a.account().equals(account)).findFirst()
                .map(value::applyAsDouble).orElse(Double.NaN);
    }

    private Health health() {
        Wasched w = wasched;
        if (w == null) {
            return null;
        }
        Instant now = Instant.now();
        if (cached == null || Duration.between(cachedAt, now).compareTo(HEALTH_TTL) > 0) {
            cached = w.health();
            cachedAt = now;
        }
        return cached;
    }
}
