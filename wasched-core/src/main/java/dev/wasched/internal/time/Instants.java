package dev.wasched.internal.time;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Stored instants are kept to the millisecond so every store (JDBC, MongoDB) round-trips them exactly. */
public final class Instants {
    private Instants() {
    }

    public static Instant millis(Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.MILLIS);
    }
}
