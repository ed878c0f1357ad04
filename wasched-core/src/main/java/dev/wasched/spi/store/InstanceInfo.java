package dev.wasched.spi.store;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * An engine instance's heartbeat. It counts as live until {@code expiresAt}.
 *
 * @param weight its share of the accounts relative to the other instances' (1 by default; 0 takes accounts only when
 *               no other instance does)
 */
public record InstanceInfo(String id, String host, Instant startedAt, Instant lastSeenAt, Instant expiresAt,
                           int weight) {
    public InstanceInfo {
        startedAt = startedAt == null ? null : startedAt.truncatedTo(ChronoUnit.MILLIS);
        lastSeenAt = lastSeenAt == null ? null : lastSeenAt.truncatedTo(ChronoUnit.MILLIS);
        expiresAt = expiresAt == null ? null : expiresAt.truncatedTo(ChronoUnit.MILLIS);
        if (weight < 0) {
            throw new IllegalArgumentException("weight must not be negative, was " + weight);
        }
    }

    /** An instance of weight 1. */
    public InstanceInfo(String id, String host, Instant startedAt, Instant lastSeenAt, Instant expiresAt) {
        this(id, host, startedAt, lastSeenAt, expiresAt, 1);
    }
}
