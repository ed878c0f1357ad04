package dev.wasched.delivery;

import java.util.EnumSet;
import java.util.Set;

/**
 * Where one delivery stands.
 *
 * <pre>
 * PENDING -> CLAIMED -> SENDING -> SENT -> DELIVERED -> READ
 * PENDING -> SENDING (claimed straight for sending); SENDING -> PENDING or CANCELLED (never handed to the transport;
 *   cancelled when its occurrence expired)
 *               |          |  \
 *               |          |   -> FAILED (retryable) -> PENDING (due = backoff)
 *               |          |   -> DEAD (permanent, or attempts exhausted) = dead-letter queue
 *               |          -> UNCERTAIN (owner died while SENDING: never resent automatically)
 *               -> PENDING (lease expired or released)
 * PENDING, CLAIMED -> CANCELLED (schedule paused or deleted, contact opted out)
 * DEAD, UNCERTAIN -> PENDING (explicit requeue);  UNCERTAIN -> SENT (found in the chat)
 * </pre>
 */
public enum DeliveryStatus {
    PENDING, CLAIMED, SENDING, SENT, DELIVERED, READ, FAILED, DEAD, UNCERTAIN, CANCELLED;

    /** Statuses with no further automatic change. */
    public static final Set<DeliveryStatus> FINAL = EnumSet.of(READ, CANCELLED);

    public Set<DeliveryStatus> next() {
        return switch (this) {
            case PENDING -> EnumSet.of(CLAIMED, SENDING, CANCELLED, DEAD);
            case CLAIMED -> EnumSet.of(SENDING, PENDING, CANCELLED);
            case SENDING -> EnumSet.of(SENT, FAILED, DEAD, UNCERTAIN, PENDING, CANCELLED);
            case SENT -> EnumSet.of(DELIVERED, READ);
            case DELIVERED -> EnumSet.of(READ);
            case FAILED -> EnumSet.of(PENDING, DEAD);
            case DEAD -> EnumSet.of(PENDING);
            case UNCERTAIN -> EnumSet.of(PENDING, SENT);
            case READ, CANCELLED -> EnumSet.noneOf(DeliveryStatus.class);
        };
    }

    public boolean canMoveTo(DeliveryStatus target) {
        return next().contains(target);
    }

    /** Sent at least once: SENT, DELIVERED or READ. */
    public boolean isSent() {
        return this == SENT || this == DELIVERED || this == READ;
    }
}
