package dev.wasched.internal.time;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.time.zone.ZoneOffsetTransition;
import java.util.Optional;

/** Stored instants are kept to the millisecond so every store (JDBC, MongoDB) round-trips them exactly. */
public final class Instants {
    private Instants() {
    }

    public static Instant millis(Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.MILLIS);
    }

    /**
     * The instant a wall-clock time of {@code zone} is reached: a time that occurs twice (clocks go back) counts the
     * first time; a time inside a gap (clocks go forward) is reached at the first valid instant after the gap.
     */
    public static Instant atWallClock(LocalDateTime local, ZoneId zone) {
        ZoneOffsetTransition transition = zone.getRules().getTransition(local);
        if (transition == null) {
            return local.atZone(zone).toInstant();
        }
        if (transition.isGap()) {
            return transition.getInstant();
        }
        return local.atOffset(transition.getOffsetBefore()).toInstant();
    }

    /** When a wall-clock time that occurs twice (clocks go back) occurs the second time; empty for any other time. */
    public static Optional<Instant> secondOccurrence(LocalDateTime local, ZoneId zone) {
        ZoneOffsetTransition transition = zone.getRules().getTransition(local);
        return transition != null && transition.isOverlap()
                ? Optional.of(local.atOffset(transition.getOffsetAfter()).toInstant())
                : Optional.empty();
    }
}
