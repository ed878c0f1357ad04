package dev.wasched.spi.store;

import dev.wasched.delivery.DeliveryStatus;
import java.time.Instant;
import java.util.Objects;

/**
 * One group of {@link DeliveryRepository#countByOccurrence}: how many deliveries of one occurrence ({@code fireAt})
 * are in one status, and how many of those were answered.
 */
public record OccurrenceCount(Instant fireAt, DeliveryStatus status, long deliveries, long replied) {
    public OccurrenceCount {
        Objects.requireNonNull(fireAt, "fireAt");
        Objects.requireNonNull(status, "status");
        fireAt = dev.wasched.internal.time.Instants.millis(fireAt);
    }
}
