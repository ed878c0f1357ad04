package dev.wasched.internal.verify;

import dev.wasched.policy.PacingPolicy;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.random.RandomGenerator;

/**
 * The pace of one registration-check job: a gap with jitter between checks and per-hour and per-day caps, counted
 * for this job only and kept in memory. It is separate from the account's message pacing on purpose: checks and
 * messages are different traffic, and a check job must not eat the day's message budget.
 */
final class VerifyPacer {
    private final PacingPolicy policy;
    private final RandomGenerator random;
    private Instant next = Instant.EPOCH;
    private Instant hourStart = Instant.EPOCH;
    private int hourCount;
    private Instant dayStart = Instant.EPOCH;
    private int dayCount;

    VerifyPacer(PacingPolicy policy, RandomGenerator random) {
        this.policy = policy;
        this.random = random;
    }

    /** The first instant the next check is allowed, {@code now} or later. */
    Instant nextAllowed(Instant now) {
        roll(now);
        Instant at = next.isAfter(now) ? next : now;
        if (policy.hourlyCap() > 0 && hourCount >= policy.hourlyCap()) {
            at = later(at, hourStart.plus(Duration.ofHours(1)));
        }
        if (policy.dailyCap() > 0 && dayCount >= policy.dailyCap()) {
            at = later(at, dayStart(now).atZone(policy.zone()).plusDays(1).toInstant());
        }
        return at;
    }

    /** Records a check made at {@code at}. */
    void recordCheck(Instant at) {
        roll(at);
        hourCount++;
        dayCount++;
        long jitterMs = policy.jitter().toMillis();
        next = at.plus(policy.minGap()).plusMillis(jitterMs == 0 ? 0 : random.nextLong(jitterMs + 1));
    }

    private void roll(Instant now) {
        Instant hour = now.truncatedTo(ChronoUnit.HOURS);
        if (!hour.equals(hourStart)) {
            hourStart = hour;
            hourCount = 0;
        }
        Instant day = dayStart(now);
        if (!day.equals(dayStart)) {
            dayStart = day;
            dayCount = 0;
        }
    }

    private Instant dayStart(Instant now) {
        return now.atZone(policy.zone()).toLocalDate().atStartOfDay(policy.zone()).toInstant();
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
