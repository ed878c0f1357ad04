package dev.wasched.internal.service;

import dev.wasched.delivery.Delivery;
import dev.wasched.event.WaschedEvent;
import dev.wasched.internal.engine.EngineContext;
import java.time.Instant;
import java.util.List;

/** Cancels the PENDING deliveries of a schedule or a contact, one compare-and-set each, and reports them. */
public final class DeliveryCancellation {
    private static final int BATCH = 500;

    private final EngineContext ctx;

    public DeliveryCancellation(EngineContext ctx) {
        this.ctx = ctx;
    }

    public int forSchedule(String scheduleId, String reason) {
        return cancel(scheduleId, null, reason, null);
    }

    /** Only the deliveries of occurrences due by {@code dueBy}; those made ahead for later ones stay PENDING. */
    public int forSchedule(String scheduleId, String reason, Instant dueBy) {
        return cancel(scheduleId, null, reason, dueBy);
    }

    public int forContact(String contactId, String reason) {
        return cancel(null, contactId, reason, null);
    }

    /** Every PENDING delivery of {@code account}, page by page (newest first). */
    public int forAccount(String account, String reason) {
        int cancelled = 0;
        dev.wasched.delivery.DeliveryQuery pending = dev.wasched.delivery.DeliveryQuery
                .status(dev.wasched.delivery.DeliveryStatus.PENDING).forAccount(account);
        dev.wasched.PageRequest page = dev.wasched.PageRequest.first(BATCH);
        while (true) {
            dev.wasched.Page<Delivery> found = ctx.store().deliveries().history(pending, page);
            for (Delivery d : found.items()) {
                cancelled += cancelOne(d, reason) ? 1 : 0;
            }
            if (found.nextCursor().isEmpty()) {
                return cancelled;
            }
            page = dev.wasched.PageRequest.after(found.nextCursor().get(), BATCH);
        }
    }

    private boolean cancelOne(Delivery d, String reason) {
        Instant now = ctx.now();
        Delivery c = d.cancel(reason, now);
        if (!ctx.store().deliveries().update(c)) {
            return false;
        }
        ctx.metrics().cancelled(c.account());
        ctx.events().publish(new WaschedEvent.DeliveryCancelled(c, reason, now));
        return true;
    }

    private int cancel(String scheduleId, String contactId, String reason, Instant dueBy) {
        int cancelled = 0;
        while (true) {
            List<Delivery> pending = ctx.store().deliveries().findPending(scheduleId, contactId, BATCH);
            int round = 0;
            for (Delivery d : pending) {
                if (dueBy != null && d.fireAt().isAfter(dueBy)) {
                    continue;
                }
                if (cancelOne(d, reason)) {
                    round++;
                }
            }
            cancelled += round;
            // A row that lost its compare-and-set was claimed meanwhile; the dispatcher re-checks it before sending.
            if (pending.size() < BATCH || round == 0) {
                return cancelled;
            }
        }
    }
}
