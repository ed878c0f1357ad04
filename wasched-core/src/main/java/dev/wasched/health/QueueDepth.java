package dev.wasched.health;

import dev.wasched.delivery.DeliveryStatus;
import java.util.Map;

/**
 * Deliveries waiting, over all accounts.
 *
 * @param pending   PENDING (due now or later)
 * @param dueNow    PENDING and due now: the backlog
 * @param uncertain UNCERTAIN: need a human decision
 * @param dead      DEAD: the dead-letter queue
 * @param byStatus  the open statuses (PENDING, CLAIMED, SENDING, UNCERTAIN, DEAD) with their counts (absent ones
 *                  have none); finished deliveries are not counted, see {@code DeliveryService.countByStatus}
 */
public record QueueDepth(long pending, long dueNow, long uncertain, long dead, Map<DeliveryStatus, Long> byStatus) {
    public QueueDepth {
        byStatus = Map.copyOf(byStatus);
    }

    public static final QueueDepth UNKNOWN = new QueueDepth(-1, -1, -1, -1, Map.of());
}
