package dev.wasched.internal.engine;

import dev.wasched.delivery.DeliveryStatus;
import dev.wasched.health.AccountHealth;
import dev.wasched.health.Health;
import dev.wasched.health.QueueDepth;
import dev.wasched.health.StoreHealth;
import dev.wasched.session.AccountState;
import dev.wasched.spi.store.InstanceInfo;
import dev.wasched.spi.store.PacingState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Takes a {@link Health} snapshot with a few bounded queries. */
final class HealthProbe {
    /** What health counts: open work only (finished deliveries are most of the table, and health is asked often). */
    static final java.util.Set<DeliveryStatus> OPEN = java.util.EnumSet.of(DeliveryStatus.PENDING,
            DeliveryStatus.CLAIMED, DeliveryStatus.SENDING, DeliveryStatus.UNCERTAIN, DeliveryStatus.DEAD);

    private final Engine engine;
    private final EngineContext ctx;

    HealthProbe(Engine engine) {
        this.engine = engine;
        this.ctx = engine.context();
    }

    Health take() {
        Instant now = ctx.now();
        List<String> reasons = new ArrayList<>();
        long t0 = System.nanoTime();
        StoreHealth store;
        try {
            ctx.store().ping();
            store = new StoreHealth(true, Duration.ofNanos(System.nanoTime() - t0), null);
        } catch (RuntimeException e) {
            store = new StoreHealth(false, Duration.ofNanos(System.nanoTime() - t0), e.toString());
            reasons.add("store unreachable: " + e.getMessage());
            return new Health(Health.Status.DOWN, reasons, now, ctx.instanceId(), List.of(), List.of(),
                    engine.sendingPaused(), store, QueueDepth.UNKNOWN, accounts(now, false, reasons));
        }
        Map<DeliveryStatus, Long> counts = ctx.store().deliveries().countByStatus(null, OPEN);
        QueueDepth queue = new QueueDepth(counts.getOrDefault(DeliveryStatus.PENDING, 0L),
                ctx.store().deliveries().countDue(null, now), counts.getOrDefault(DeliveryStatus.UNCERTAIN, 0L),
                counts.getOrDefault(DeliveryStatus.DEAD, 0L), counts);
        if (queue.uncertain() > 0) {
            reasons.add(queue.uncertain() + " UNCERTAIN deliveries wait for a decision (requeue or leave)");
        }
        List<String> live = ctx.store().instances().live(now).stream().map(InstanceInfo::id).toList();
        List<String> held = engine.sessions().values().stream().filter(AccountSession::owned)
                .map(s -> AccountSession.leaseName(s.account())).toList();
        if (engine.sendingPaused()) {
            reasons.add("sending is paused by an operator");
        }
        List<AccountHealth> accounts = accounts(now, true, reasons);
        return new Health(reasons.isEmpty() ? Health.Status.UP : Health.Status.DEGRADED, reasons, now,
                ctx.instanceId(), held, live, engine.sendingPaused(), store, queue, accounts);
    }

    private List<AccountHealth> accounts(Instant now, boolean storeUp, List<String> reasons) {
        List<AccountHealth> out = new ArrayList<>();
        for (LocalAccount a : engine.accounts().values()) {
            AccountSession w = a.session();
            Dispatcher d = a.dispatcher();
            String owner = w.owned() ? ctx.instanceId()
                    : storeUp ? ctx.store().leases().owner(AccountSession.leaseName(w.account())).orElse(null) : null;
            PacingState p = storeUp ? ctx.store().pacing().load(w.account()).orElse(PacingState.initial(w.account()))
                    : PacingState.initial(w.account());
            var status = w.status();
            boolean ready = w.owned() && status.state() == AccountState.READY;
            if (storeUp && owner == null) {
                reasons.add("account " + w.account() + " is not running on any instance");
            } else if (w.owned() && !ready) {
                reasons.add("account " + w.account() + " is " + status.state()
                        + (status.detail() == null ? "" : " (" + status.detail() + ")"));
            }
            if (!"CLOSED".equals(d.circuitState())) {
                reasons.add("account " + w.account() + ": circuit " + d.circuitState() + " after repeated send failures");
            }
            int dayCount = p.dayStart().equals(d.dayStart(now)) ? p.dayCount() : 0;
            Instant sessionSavedAt = storeUp
                    ? ctx.store().sessions().savedAt(w.account()).orElse(null) : null;
            out.add(new AccountHealth(w.account(), status.state(), owner, w.owned(), status.since(),
                    ready ? Duration.between(status.since(), now) : null, sessionSavedAt, d.lastSentAt().orElse(null),
                    d.circuitState(), p.nextAllowedAt(), dayCount, d.pacing().dailyCap(),
                    status.detail()));
        }
        return out;
    }
}
