package dev.wasched.internal.engine;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.wasched.delivery.Delivery;
import dev.wasched.event.WaschedEvent;
import dev.wasched.schedule.MisfirePolicy;
import dev.wasched.schedule.Schedule;
import dev.wasched.schedule.Trigger;
import dev.wasched.spi.store.InstanceInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;

/**
 * Misfire rules for deliveries made before their occurrence was due. Without a look-ahead the engine applies the
 * misfire policy when it fans an occurrence out, at some instant {@code T} at or after the fire time, and then sends
 * what it made however long that takes. A delivery made ahead carries the latest {@code T} at which the policy would
 * still have fired its occurrence ({@link Delivery#expiresAt()}); if no engine was running by then, the occurrence
 * counts as fanned out late and is cancelled, exactly as the late fan-out would have skipped it.
 */
final class Expiry {
    /** Occurrences reported skipped by this JVM's engines, so one occurrence to many recipients is reported once. */
    private static final Cache<String, Boolean> REPORTED = Caffeine.newBuilder().maximumSize(10_000)
            .expireAfterWrite(Duration.ofHours(1)).build();

    /** The shortest time from a contact's date and time to the next year's (a common year, less a DST hour). */
    private static final Duration CONTACT_YEAR = Duration.ofDays(365).minusHours(1);

    private Expiry() {
    }

    /**
     * The latest instant at which a fan-out of {@code fireAt} would still fire it: on time until the misfire
     * threshold has passed; after that SKIP never fires it, FIRE_ONCE fires it only while it is the latest missed
     * occurrence (until the next one is due), FIRE_ALL while fewer than {@code fireAllLimit} later occurrences are
     * late too; never past {@code maxLateness}.
     *
     * @param runsThrough the schedule's runs counted up to and including this occurrence (for its run limit)
     */
    static Instant expiresAt(Schedule s, Instant fireAt, long runsThrough, Duration misfireThreshold) {
        MisfirePolicy policy = s.misfire();
        Instant onTime = fireAt.plus(misfireThreshold);
        Instant cap = fireAt.plus(policy.maxLateness());
        Instant late = switch (policy.kind()) {
            case SKIP -> onTime;
            case FIRE_ONCE -> {
                Instant next = nextOccurrence(s, fireAt, runsThrough);
                yield next == null ? cap : earlier(cap, next.minusMillis(1));
            }
            case FIRE_ALL -> {
                Instant nth = fireAt;
                for (int i = 0; i < policy.fireAllLimit() && nth != null; i++) {
                    nth = nextOccurrence(s, nth, runsThrough + i);
                }
                yield nth == null ? cap : earlier(cap, nth.plus(misfireThreshold));
            }
        };
        return late.isAfter(onTime) ? late : onTime;
    }

    /**
     * The occurrence after {@code fireAt} for the same recipients: a contact-date schedule's next one for the same
     * contact is a year on (its windows are no occurrences of their own), at least {@link #CONTACT_YEAR}.
     */
    private static Instant nextOccurrence(Schedule s, Instant fireAt, long runsSoFar) {
        if (s.trigger() instanceof Trigger.YearlyOn) {
            Instant next = fireAt.plus(CONTACT_YEAR);
            return s.endAt() != null && next.isAfter(s.endAt()) ? null : next;
        }
        return s.nextOccurrenceAfter(fireAt, runsSoFar);
    }

    /**
     * Why a claimed delivery of {@code s} expired, or null when it may go out (see {@link #expired}). Reports the
     * occurrence as skipped once.
     */
    static String reason(EngineContext ctx, Delivery d, Schedule s, Instant now) {
        if (!pastExpiry(d, now) || !expired(d, now, runningSince(ctx, now))) {
            return null;
        }
        String reason = "misfire policy " + s.misfire().kind() + ": no engine ran until after " + d.expiresAt()
                + ", late by " + Duration.between(d.fireAt(), now);
        String occurrence = ctx.instanceId() + "|" + d.scheduleId() + "|" + d.fireAt().toEpochMilli();
        if (REPORTED.asMap().putIfAbsent(occurrence, Boolean.TRUE) == null) {
            ctx.events().publish(new WaschedEvent.OccurrenceSkipped(d.scheduleId(), d.fireAt(), reason, now));
        }
        return reason;
    }

    /**
     * Whether {@code d}, taken up at {@code now}, expired: it is past {@code expiresAt} and no live engine has run
     * since then or earlier. An engine that ran through that instant would have fanned the occurrence out in time,
     * so the delay came from pacing, quiet hours, a backlog or a disconnected account, which misfire rules never
     * judge.
     *
     * @param runningSince when the longest-running live engine started, or null when none is live
     */
    static boolean expired(Delivery d, Instant now, Instant runningSince) {
        return pastExpiry(d, now) && (runningSince == null || runningSince.isAfter(d.expiresAt()));
    }

    /** Whether {@code d} has an expiry and {@code now} is past it; cheap, for a look before {@link #expired}. */
    static boolean pastExpiry(Delivery d, Instant now) {
        return d.expiresAt() != null && now.isAfter(d.expiresAt());
    }

    /** When the longest-running live engine started (one store read), or null. */
    static Instant runningSince(EngineContext ctx, Instant now) {
        return ctx.store().instances().live(now).stream().map(InstanceInfo::startedAt).filter(Objects::nonNull)
                .min(Comparator.naturalOrder()).orElse(null);
    }

    private static Instant earlier(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
