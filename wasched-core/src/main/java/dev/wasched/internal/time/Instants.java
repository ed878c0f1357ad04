package dev.wasched.internal.time;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Stored instants are kept to the millisecond so every store (JDBC, MongoDB) round-trips them exactly. The public
 * records truncate their own instants with the same JDK call (they do not depend on internal code); this serves the
 * engine's instants.
 */
public final class Instants {
    private Instants() {
    }

    public static Instant millis(Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.MILLIS);
    }
}
