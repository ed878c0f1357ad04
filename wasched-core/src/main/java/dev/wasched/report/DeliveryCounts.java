package dev.wasched.report;

import dev.wasched.delivery.DeliveryStatus;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Deliveries counted by status, and how many of them were answered. Every {@link DeliveryStatus} is a key of
 * {@link #byStatus()}, with 0 where none is in it.
 *
 * <p>What the derived figures count:
 * <ul>
 *   <li>{@link #sent()}: deliveries WhatsApp accepted, whatever happened after: SENT, DELIVERED and READ. UNCERTAIN
 *       ones (the message may or may not have left) are not among them.</li>
 *   <li>{@link #delivered()}: DELIVERED and READ (a message read was delivered first).</li>
 *   <li>{@link #read()}: READ.</li>
 *   <li>{@link #failed()}: DEAD, the dead-letter queue (a dead delivery dismissed later counts as DISMISSED).</li>
 *   <li>{@link #replied()}: deliveries whose recipient answered, each once however often they wrote back.</li>
 * </ul>
 * The rates divide by {@link #sent()} and are empty, not NaN, while nothing was sent.
 *
 * @param byStatus how many deliveries are in each status
 * @param replied  how many were answered ({@code Delivery.repliedAt()} set)
 */
public record DeliveryCounts(Map<DeliveryStatus, Long> byStatus, long replied) {
    /** Nothing counted. */
    public static final DeliveryCounts NONE = new DeliveryCounts(Map.of(), 0);

    public DeliveryCounts {
        EnumMap<DeliveryStatus, Long> all = new EnumMap<>(DeliveryStatus.class);
        for (DeliveryStatus s : DeliveryStatus.values()) {
            long n = byStatus == null ? 0 : byStatus.getOrDefault(s, 0L);
            if (n < 0) {
                throw new IllegalArgumentException("a count cannot be negative: " + s + " " + n);
            }
            all.put(s, n);
        }
        if (replied < 0) {
            throw new IllegalArgumentException("a count cannot be negative: replied " + replied);
        }
        byStatus = Collections.unmodifiableMap(all);
    }

    /** How many deliveries are in {@code status}. */
    public long count(DeliveryStatus status) {
        return byStatus.get(status);
    }

    /** Every delivery counted, whatever its status. */
    public long total() {
        return byStatus.values().stream().mapToLong(Long::longValue).sum();
    }

    /** SENT, DELIVERED and READ. */
    public long sent() {
        return count(DeliveryStatus.SENT) + delivered();
    }

    /** DELIVERED and READ. */
    public long delivered() {
        return count(DeliveryStatus.DELIVERED) + read();
    }

    /** READ. */
    public long read() {
        return count(DeliveryStatus.READ);
    }

    /** DEAD. */
    public long failed() {
        return count(DeliveryStatus.DEAD);
    }

    /** {@link #delivered()} / {@link #sent()}, from 0 to 1; empty while nothing was sent. */
    public OptionalDouble deliveredRate() {
        return rate(delivered());
    }

    /** {@link #read()} / {@link #sent()}, from 0 to 1; empty while nothing was sent. */
    public OptionalDouble readRate() {
        return rate(read());
    }

    /**
     * {@link #replied()} / {@link #sent()}; empty while nothing was sent. Capped at 1: an answered delivery that does
     * not count as sent (an UNCERTAIN one whose message did arrive) never makes it more than everything.
     */
    public OptionalDouble replyRate() {
        return rate(Math.min(replied, sent()));
    }

    private OptionalDouble rate(long part) {
        long sent = sent();
        return sent == 0 ? OptionalDouble.empty() : OptionalDouble.of((double) part / sent);
    }

    /** These counts and {@code other}'s added up. */
    public DeliveryCounts plus(DeliveryCounts other) {
        EnumMap<DeliveryStatus, Long> sum = new EnumMap<>(byStatus);
        other.byStatus.forEach((s, n) -> sum.merge(s, n, Long::sum));
        return new DeliveryCounts(sum, replied + other.replied);
    }
}
