package dev.wasched.schedule;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.zone.ZoneOffsetTransition;
import java.util.Optional;

/** Wall-clock times of a zone as instants, across daylight-saving changes: the rules cron and contact dates share. */
final class WallClock {
    private WallClock() {
    }

    /**
     * The instant a wall-clock time of {@code zone} is reached: a time that occurs twice (clocks go back) counts the
     * first time; a time inside a gap (clocks go forward) is reached at the first valid instant after the gap.
     */
    static Instant instantOf(LocalDateTime local, ZoneId zone) {
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
    static Optional<Instant> secondOccurrence(LocalDateTime local, ZoneId zone) {
        ZoneOffsetTransition transition = zone.getRules().getTransition(local);
        return transition != null && transition.isOverlap()
                ? Optional.of(local.atOffset(transition.getOffsetAfter()).toInstant())
                : Optional.empty();
    }
}
