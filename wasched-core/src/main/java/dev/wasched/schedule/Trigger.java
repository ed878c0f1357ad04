package dev.wasched.schedule;

import dev.wasched.ValidationException;
import dev.wasched.internal.cron.CronSchedule;
import dev.wasched.internal.time.Instants;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;
import java.util.Optional;

/**
 * When a schedule fires: {@link #once(Instant)}, {@link #cron(String, ZoneId)} or {@link #every(Duration)}.
 *
 * <p>Cron expressions have the five Unix fields and run in wall-clock time of their zone. When clocks go back, a wall
 * time that occurs twice fires once (the first time); when clocks go forward, a wall time inside the gap fires at the
 * first valid instant after the gap (02:30 on a night that jumps from 02:00 to 03:00 fires at 03:00).
 */
public sealed interface Trigger {
    /** The first fire strictly after {@code after}; empty when the trigger is exhausted. */
    Optional<Instant> nextAfter(Instant after);

    /** The first fire of a schedule created at {@code now}. */
    Optional<Instant> first(Instant now);

    static Trigger once(Instant at) {
        return new Once(at);
    }

    static Trigger cron(String expression, ZoneId zone) {
        return new Cron(expression, zone);
    }

    /** Every {@code interval}, first one interval after the schedule is created. */
    static Trigger every(Duration interval) {
        return new Every(interval, null);
    }

    /** Every {@code interval}, first at {@code start}. */
    static Trigger every(Duration interval, Instant start) {
        return new Every(interval, start);
    }

    record Once(Instant at) implements Trigger {
        public Once {
            at = Instants.millis(Objects.requireNonNull(at, "at"));
        }

        @Override
        public Optional<Instant> nextAfter(Instant after) {
            return at.isAfter(after) ? Optional.of(at) : Optional.empty();
        }

        @Override
        public Optional<Instant> first(Instant now) {
            return Optional.of(at);
        }
    }

    record Cron(String expression, ZoneId zone) implements Trigger {
        public Cron {
            if (zone == null) {
                throw new ValidationException("zone", "a cron trigger needs a time zone");
            }
            expression = CronSchedule.parse(expression).expression();
        }

        @Override
        public Optional<Instant> nextAfter(Instant after) {
            return CronSchedule.parse(expression).nextAfter(after, zone).map(Instants::millis);
        }

        @Override
        public Optional<Instant> first(Instant now) {
            return nextAfter(now);
        }
    }

    /**
     * @param start the first fire; null until the schedule is created (then one interval after creation)
     */
    record Every(Duration interval, Instant start) implements Trigger {
        public static final Duration MIN_INTERVAL = Duration.ofSeconds(1);

        public Every {
            if (interval == null || interval.compareTo(MIN_INTERVAL) < 0) {
                throw new ValidationException("interval", "must be at least " + MIN_INTERVAL + ", was " + interval);
            }
            start = Instants.millis(start);
        }

        @Override
        public Optional<Instant> nextAfter(Instant after) {
            Instant base = Objects.requireNonNull(start, "start is set when the schedule is created");
            if (base.isAfter(after)) {
                return Optional.of(base);
            }
            long elapsed = Duration.between(base, after).toMillis();
            long step = interval.toMillis();
            return Optional.of(base.plusMillis((elapsed / step + 1) * step));
        }

        @Override
        public Optional<Instant> first(Instant now) {
            return Optional.of(start != null ? start : Instants.millis(now.plus(interval)));
        }

        /** This trigger with its start fixed relative to the creation time. */
        public Every anchoredAt(Instant now) {
            return start != null ? this : new Every(interval, now.plus(interval));
        }
    }
}
