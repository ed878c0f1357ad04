package dev.wasched.spi.store;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * When an engine must next look, as one fallback poll reads it ({@link WaschedStore#dueTimes}).
 *
 * @param schedules  the earliest {@code nextFireAt} of schedules that are not paused, or null when there is none
 * @param deliveries the earliest {@code dueAt} of PENDING deliveries of each account asked about that has any
 */
public record DueTimes(Instant schedules, Map<String, Instant> deliveries) {
    public DueTimes {
        deliveries = Map.copyOf(Objects.requireNonNull(deliveries, "deliveries"));
    }
}
