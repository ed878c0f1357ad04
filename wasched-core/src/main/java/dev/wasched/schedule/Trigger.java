package dev.wasched.schedule;

import dev.wasched.ValidationException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;

/**
 * When a schedule fires: {@link #once(Instant)}, {@link #cron(String, ZoneId)}, {@link #every(Duration)}, or every
 * year on a date each contact keeps in a field ({@link #yearlyOn(String, LocalTime)}).
 *
 * <p>Cron expressions are Unix (five fields, or a macro such as {@code @daily}) unless another {@link CronDialect} is
 * named, and run in wall-clock time of their zone. When clocks go forward, a wall time inside the gap fires at the
 * first valid instant after the gap (02:30 on a night that jumps from 02:00 to 03:00 fires at 03:00). When clocks go
 * back, a wall time that occurs twice fires once (the first time), unless the hour field is {@code *} or a step
 * ({@code 0 * * * *}, {@code *&#47;15 *&#47;2 * * *}): then it fires in both passes of the repeated hour, as Vixie cron
 * does. Contact-date triggers follow the gap rule and fire once in each contact's zone.
 */
public sealed interface Trigger {
    /** The first fire strictly after {@code after}; empty when the trigger is exhausted. */
    Optional<Instant> nextAfter(Instant after);

    /** The first fire of a schedule created at {@code now}. */
    Optional<Instant> first(Instant now);

    static Trigger once(Instant at) {
        return new Once(at);
    }

    /** A Unix cron expression: five fields, or a macro ({@code @daily}); see {@link CronDialect#UNIX}. */
    static Trigger cron(String expression, ZoneId zone) {
        return new Cron(expression, zone, CronDialect.UNIX);
    }

    /** A cron expression in {@code dialect}, such as Quartz's {@code 0 0 9 ? * MON-FRI}. */
    static Trigger cron(String expression, ZoneId zone, CronDialect dialect) {
        return new Cron(expression, zone, dialect);
    }

    /** Every {@code interval}, first one interval after the schedule is created. */
    static Trigger every(Duration interval) {
        return new Every(interval, null);
    }

    /** Every {@code interval}, first at {@code start}. */
    static Trigger every(Duration interval, Instant start) {
        return new Every(interval, start);
    }

    /**
     * Every year on the date in each contact's {@code field} (a birthday, an anniversary), at {@code at} in the
     * contact's own zone ({@link dev.wasched.contact.Contact#effectiveZone()}), else the engine's default zone. See
     * {@link YearlyOn}.
     */
    static Trigger yearlyOn(String field, LocalTime at) {
        return new YearlyOn(field, at, null);
    }

    /** As {@link #yearlyOn(String, LocalTime)}, with {@code zone} for contacts whose zone is not known. */
    static Trigger yearlyOn(String field, LocalTime at, ZoneId zone) {
        return new YearlyOn(field, at, zone);
    }

    record Once(Instant at) implements Trigger {
        public Once {
            at = Objects.requireNonNull(at, "at").truncatedTo(ChronoUnit.MILLIS);
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

    /** A cron expression as written (whitespace collapsed; a macro stays a macro), read in {@code dialect}. */
    record Cron(String expression, ZoneId zone, CronDialect dialect) implements Trigger {
        public Cron {
            if (zone == null) {
                throw new ValidationException("zone", "a cron trigger needs a time zone");
            }
            if (dialect == null) {
                throw new ValidationException("dialect", "a cron trigger needs a dialect (UNIX, QUARTZ or SPRING)");
            }
            expression = CronSchedule.parse(expression, dialect).expression();
        }

        /** A Unix cron expression. */
        public Cron(String expression, ZoneId zone) {
            this(expression, zone, CronDialect.UNIX);
        }

        @Override
        public Optional<Instant> nextAfter(Instant after) {
            return CronSchedule.parse(expression, dialect).nextAfter(after, zone)
                    .map(i -> i.truncatedTo(ChronoUnit.MILLIS));
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
            start = start == null ? null : start.truncatedTo(ChronoUnit.MILLIS);
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
            return Optional.of(start != null ? start : now.plus(interval).truncatedTo(ChronoUnit.MILLIS));
        }

        /** This trigger with its start fixed relative to the creation time. */
        public Every anchoredAt(Instant now) {
            return start != null ? this : new Every(interval, now.plus(interval));
        }
    }

    /**
     * A contact-date trigger: each contact of the schedule's target (a contact list or a tag; not a group or a
     * number) whose {@code field} holds a date ({@link dev.wasched.contact.ContactDate}: {@code yyyy-MM-dd},
     * {@code --MM-dd} or {@code MM-dd}) gets the message every year on that month and day at {@code at} wall-clock
     * time in the contact's zone; 29 February falls on 28 February in common years. A contact whose value is not a
     * date is skipped (with a warning). When the year is known the message goes out only in later years and its
     * text can use {@code {{years}}}, the years since the date ({@code 1990-03-05} on 5 March 2026: 36).
     *
     * <p>Each contact's message is one delivery whose {@code fireAt} is that contact's date and time as an instant,
     * so a contact gets at most one message a year from the schedule, across restarts. The schedule itself moves
     * through time in one-hour windows ({@link #WINDOW}); the fan-out of a window makes the deliveries of the contacts
     * whose time falls in it, looking up only contacts whose date is on one of the two or three calendar days the
     * window spans in the zones of the world, so a day's contacts in zones from UTC-12 to UTC+14 are each picked once,
     * in the window of their own time. A contact added, or whose date or zone changed, after their window was fanned
     * out is picked up next year; a contact already given this year's message is not given another when a changed
     * zone or date puts them in a later window. Misfire policy and expiry apply to each contact's delivery as to any
     * occurrence. A run limit ({@code maxRuns}) has no meaning here and is refused; {@code endAt} ends it.
     *
     * @param field the contact field holding the date
     * @param at    the wall-clock time in the contact's zone (to the second)
     * @param zone  the zone for contacts whose zone is not known, or null for the engine's default zone
     */
    record YearlyOn(String field, LocalTime at, ZoneId zone) implements Trigger {
        /** How far the schedule moves at each fan-out; each window picks the contacts whose time falls in it. */
        public static final Duration WINDOW = Duration.ofHours(1);

        public YearlyOn {
            if (field == null || field.isBlank()) {
                throw new ValidationException("field", "a contact-date trigger needs the field holding the date");
            }
            if (!dev.wasched.contact.ContactSpec.isFieldName(field)) {
                throw new ValidationException("field", "invalid field name '" + field
                        + "' (a letter, then letters, digits or _; up to 64)");
            }
            if (at == null) {
                throw new ValidationException("at", "a contact-date trigger needs the time of day to send at");
            }
            at = at.truncatedTo(ChronoUnit.SECONDS);
        }

        /** The start of the next window strictly after {@code after}; windows start every hour at {@code at}'s minute. */
        @Override
        public Optional<Instant> nextAfter(Instant after) {
            long step = WINDOW.toSeconds();
            long shift = at.toSecondOfDay() % step;
            long k = Math.floorDiv(after.getEpochSecond() - shift, step) + 1;
            return Optional.of(Instant.ofEpochSecond(k * step + shift));
        }

        /** The first window starts when the schedule is created: contacts whose time has passed wait for next year. */
        @Override
        public Optional<Instant> first(Instant now) {
            return Optional.of(now.truncatedTo(ChronoUnit.MILLIS));
        }

        /** When a contact in {@code contactZone} is due on {@code day} (a repeated time fires the first time). */
        public Instant fireAt(LocalDate day, ZoneId contactZone) {
            return WallClock.instantOf(day.atTime(at), contactZone);
        }
    }
}
