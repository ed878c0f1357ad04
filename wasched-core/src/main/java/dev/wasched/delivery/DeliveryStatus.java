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
 * PENDING, CLAIMED -> CANCELLED (schedule paused, edited or deleted, contact opted out, cancelled by a person)
 * DEAD, UNCERTAIN -> PENDING (explicit requeue);  UNCERTAIN -> SENT (found in the chat)
 * DEAD, UNCERTAIN -> DISMISSED (a person closed it without sending it again)
 * </pre>
 *
 * <p>{@code DISMISSED} is final: the delivery leaves the dead-letter queue and the UNCERTAIN list for good, is never
 * claimed, settled or requeued, and stays in the history (retention purges it with the other finished deliveries).
 * A dismissed UNCERTAIN delivery may still have reached WhatsApp; dismissing only says nobody will act on it.
 */
public enum DeliveryStatus {
    PENDING, CLAIMED, SENDING, SENT, DELIVERED, READ, FAILED, DEAD, UNCERTAIN, CANCELLED, DISMISSED;

    /** Statuses with no further automatic change. */
    public static final Set<DeliveryStatus> FINAL = EnumSet.of(READ, CANCELLED, DISMISSED);

    public Set<DeliveryStatus> next() {
        return switch (this) {
            case PENDING -> EnumSet.of(CLAIMED, SENDING, CANCELLED, DEAD);
            case CLAIMED -> EnumSet.of(SENDING, PENDING, CANCELLED);
            case SENDING -> EnumSet.of(SENT, FAILED, DEAD, UNCERTAIN, PENDING, CANCELLED);
            case SENT -> EnumSet.of(DELIVERED, READ, DEAD); // DEAD: the network gave up on it after accepting it
            case DELIVERED -> EnumSet.of(READ);
            case FAILED -> EnumSet.of(PENDING, DEAD);
            case DEAD -> EnumSet.of(PENDING, DISMISSED);
            case UNCERTAIN -> EnumSet.of(PENDING, SENT, DISMISSED);
            case READ, CANCELLED, DISMISSED -> EnumSet.noneOf(DeliveryStatus.class);
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
