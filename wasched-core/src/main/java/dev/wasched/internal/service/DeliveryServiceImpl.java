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
import java.time.Instant;
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
}
