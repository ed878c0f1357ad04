package dev.wasched.spi.store;

import dev.wasched.delivery.DeliveryStatus;
import dev.wasched.delivery.Delivery;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * One group of {@link DeliveryRepository#countByOccurrence}: how many deliveries of one occurrence ({@code fireAt})
 * are in one status, and how many of those were answered.
 */
public record OccurrenceCount(Instant fireAt, DeliveryStatus status, long deliveries, long replied) {
    public OccurrenceCount {
        Objects.requireNonNull(fireAt, "fireAt");
        Objects.requireNonNull(status, "status");
        fireAt = fireAt == null ? null : fireAt.truncatedTo(ChronoUnit.MILLIS);
    }

    /** Deliveries (of one schedule) grouped by occurrence and status, for a store that counts them one by one. */
    public static List<OccurrenceCount> tally(Stream<Delivery> deliveries) {
        record Key(Instant fireAt, DeliveryStatus status) {
        }
        Map<Key, long[]> groups = new HashMap<>();
        deliveries.forEach(d -> {
            long[] n = groups.computeIfAbsent(new Key(d.fireAt(), d.status()), k -> new long[2]);
            n[0]++;
            n[1] += d.repliedAt() != null ? 1 : 0;
        });
        return groups.entrySet().stream()
                .map(e -> new OccurrenceCount(e.getKey().fireAt(), e.getKey().status(), e.getValue()[0], e.getValue()[1]))
                .toList();
    }
}
