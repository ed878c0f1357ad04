package dev.wasched.internal.service;

import dev.wasched.ConcurrentUpdateException;
import dev.wasched.Page;
import dev.wasched.PageRequest;
import dev.wasched.delivery.Delivery;
import dev.wasched.delivery.DeliveryQuery;
import dev.wasched.delivery.DeliveryService;
import dev.wasched.delivery.DeliveryStatus;
import dev.wasched.event.WaschedEvent;
import dev.wasched.internal.engine.EngineContext;
import dev.wasched.internal.engine.Wakeups;
import dev.wasched.spi.store.DeliveryRepository;
import dev.wasched.NotFoundException;
import dev.wasched.report.DeliveryCounts;
import dev.wasched.report.OccurrenceReport;
import dev.wasched.report.ScheduleReport;
import dev.wasched.spi.store.OccurrenceCount;
import java.io.IOException;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.TreeMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

public final class DeliveryServiceImpl implements DeliveryService {
    private final EngineContext ctx;
    private final DeliveryRepository repo;
    private final Wakeups wakeups;

    public DeliveryServiceImpl(EngineContext ctx, Wakeups wakeups) {
        this.ctx = ctx;
        this.repo = ctx.store().deliveries();
        this.wakeups = wakeups;
    }

    @Override
    public Delivery get(String id) {
        return Retries.orNotFound(id == null ? Optional.empty() : repo.findById(id), "delivery", id);
    }

    @Override
    public Page<Delivery> history(DeliveryQuery query, PageRequest page) {
        return repo.history(query, page);
    }

    @Override
    public Page<Delivery> deadLetters(PageRequest page) {
        return repo.history(DeliveryQuery.status(DeliveryStatus.DEAD), page);
    }

    @Override
    public Page<Delivery> uncertain(PageRequest page) {
        return repo.history(DeliveryQuery.status(DeliveryStatus.UNCERTAIN), page);
    }

    @Override
    public Delivery requeue(String id) {
        Delivery d = Retries.casLoop("delivery", id, () -> get(id), x -> x.requeue(ctx.now()), repo::update);
        wakeups.deliveriesChanged(d.account());
        return d;
    }

    @Override
    public Delivery requeue(String id, long expectedVersion) {
        Delivery next = atVersion(id, expectedVersion, d -> d.requeue(ctx.now()));
        wakeups.deliveriesChanged(next.account());
        return next;
    }

    @Override
    public Delivery cancel(String id) {
        Instant now = ctx.now();
        Delivery c = Retries.casLoop("delivery", id, () -> get(id), x -> x.cancel(CANCELLED_BY_HAND, now),
                repo::update);
        ctx.metrics().cancelled(c.account());
        ctx.events().publish(new WaschedEvent.DeliveryCancelled(c, CANCELLED_BY_HAND, now));
        return c;
    }

    @Override
    public Delivery dismiss(String id) {
        return dismissed(Retries.casLoop("delivery", id, () -> get(id), x -> x.dismiss(ctx.now()), repo::update));
    }

    @Override
    public Delivery dismiss(String id, long expectedVersion) {
        return dismissed(atVersion(id, expectedVersion, d -> d.dismiss(ctx.now())));
    }

    private Delivery dismissed(Delivery d) {
        ctx.events().publish(new WaschedEvent.DeliveryDismissed(d, d.updatedAt()));
        return d;
    }

    /** One transition of the delivery as it is in {@code expectedVersion}, by compare-and-set; never retried. */
    private Delivery atVersion(String id, long expectedVersion, UnaryOperator<Delivery> change) {
        Delivery current = get(id);
        if (current.version() != expectedVersion) {
            throw new ConcurrentUpdateException("delivery", id);
        }
        Delivery next = change.apply(current);
        if (!repo.update(next)) {
            throw new ConcurrentUpdateException("delivery", id);
        }
        return next;
    }

    @Override
    public Map<DeliveryStatus, Long> counts(String account) {
        return repo.countByStatus(account);
    }

    @Override
    public long repliedCount(String account) {
        return repo.countReplied(account);
    }

    @Override
    public ScheduleReport report(String scheduleId) {
        Map<Instant, DeliveryCounts> byOccurrence = occurrences(scheduleId, null);
        return ScheduleReport.of(scheduleId, byOccurrence.entrySet().stream()
                .map(e -> new OccurrenceReport(scheduleId, e.getKey(), e.getValue())).toList());
    }

    @Override
    public OccurrenceReport report(String scheduleId, Instant fireAt) {
        Instant at = dev.wasched.internal.time.Instants.millis(java.util.Objects.requireNonNull(fireAt, "fireAt"));
        return new OccurrenceReport(scheduleId, at, occurrences(scheduleId, at).getOrDefault(at, DeliveryCounts.NONE));
    }

    /** The store's counts of a schedule's occurrences (one, or all for null), by fire time. */
    private Map<Instant, DeliveryCounts> occurrences(String scheduleId, Instant fireAt) {
        if (scheduleId == null) {
            throw new NotFoundException("schedule", null);
        }
        List<OccurrenceCount> counts = repo.countByOccurrence(scheduleId, fireAt);
        // Known by its row, or by deliveries a deleted schedule left (an occurrence asked for may have none).
        if (ctx.store().schedules().findById(scheduleId).isEmpty() && (fireAt == null ? counts.isEmpty()
                : repo.history(DeliveryQuery.all().forSchedule(scheduleId), PageRequest.first(1)).items().isEmpty())) {
            throw new NotFoundException("schedule", scheduleId);
        }
        Map<Instant, Map<DeliveryStatus, Long>> statuses = new TreeMap<>();
        Map<Instant, Long> replied = new TreeMap<>();
        for (OccurrenceCount c : counts) {
            statuses.computeIfAbsent(c.fireAt(), k -> new EnumMap<>(DeliveryStatus.class))
                    .merge(c.status(), c.deliveries(), Long::sum);
            replied.merge(c.fireAt(), c.replied(), Long::sum);
        }
        Map<Instant, DeliveryCounts> out = new TreeMap<>();
        statuses.forEach((at, n) -> out.put(at, new DeliveryCounts(n, replied.get(at))));
        return out;
    }

    @Override
    public long exportCsv(DeliveryQuery query, Appendable out) throws IOException {
        return DeliveryCsv.export(repo, query, out);
    }
}
