package dev.wasched.spi.store;

import dev.wasched.internal.time.Instants;
import java.time.Instant;

/** An engine instance's heartbeat. It counts as live until {@code expiresAt}. */
public record InstanceInfo(String id, String host, Instant startedAt, Instant lastSeenAt, Instant expiresAt) {
    public InstanceInfo {
        startedAt = Instants.millis(startedAt);
        lastSeenAt = Instants.millis(lastSeenAt);
        expiresAt = Instants.millis(expiresAt);
    }
}
