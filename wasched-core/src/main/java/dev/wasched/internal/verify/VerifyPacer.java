package dev.wasched.internal.verify;

import dev.wasched.policy.PacingPolicy;
import dev.wasched.spi.store.PacingRepository;
import dev.wasched.spi.store.PacingState;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * The pace of registration checks on one account: a gap with jitter between checks and per-hour and per-day caps.
 * The state is kept in the store under its own key ({@code verify:<account>}), beside but apart from the account's
 * message pacing: checks and messages are different traffic, and a check job must not eat the day's message budget.
 * Because it is stored, two jobs on one account share one pace, and neither a new job nor a restart resets the caps.
 */
final class VerifyPacer {
    /** Compare-and-set rounds before giving way to a short wait (other jobs are taking slots right now). */
    private static final int ROUNDS = 10;
    private static final Duration CONTENDED = Duration.ofMillis(200);

    private final PacingRepository repo;
    private final String key;
    private final PacingPolicy policy;
    private final RandomGenerator random;

    VerifyPacer(PacingRepository repo, String account, PacingPolicy policy, RandomGenerator random) {
        this.repo = repo;
        this.key = "verify:" + account;
        this.policy = policy;
        this.random = random;
    }

    /**
     * Takes the slot for one check at {@code now} when the pace allows it (empty); otherwise returns the first
     * instant it may be asked again.
     */
    Optional<Instant> reserve(Instant now) {
        for (int round = 0; round < ROUNDS; round++) {
            PacingState stored = repo.load(key).orElse(PacingState.initial(key));
            PacingState state = rolled(stored, now);
            Instant at = nextAllowed(state, now);
            if (at.isAfter(now)) {
                return Optional.of(at);
            }
            long jitterMs = policy.jitter().toMillis();
            Instant next = now.plus(policy.minGap()).plusMillis(jitterMs == 0 ? 0 : random.nextLong(jitterMs + 1));
            PacingState taken = new PacingState(key, next, state.hourStart(), state.hourCount() + 1, state.dayStart(),
                    state.dayCount() + 1, 0, stored.version() + 1);
            if (repo.save(taken)) {
                return Optional.empty();
            }
        }
        return Optional.of(now.plus(CONTENDED));
    }

    private Instant nextAllowed(PacingState s, Instant now) {
        Instant at = s.nextAllowedAt().isAfter(now) ? s.nextAllowedAt() : now;
        if (policy.hourlyCap() > 0 && s.hourCount() >= policy.hourlyCap()) {
            at = later(at, s.hourStart().plus(Duration.ofHours(1)));
        }
        if (policy.dailyCap() > 0 && s.dayCount() >= policy.dailyCap()) {
            at = later(at, s.dayStart().atZone(policy.zone()).plusDays(1).toInstant());
        }
        return at;
    }

    /** The state with its hour and day counters started afresh where {@code now} is in a new hour or day. */
    private PacingState rolled(PacingState s, Instant now) {
        Instant hour = now.truncatedTo(ChronoUnit.HOURS);
        Instant day = now.atZone(policy.zone()).toLocalDate().atStartOfDay(policy.zone()).toInstant();
        boolean newHour = !hour.equals(s.hourStart());
        boolean newDay = !day.equals(s.dayStart());
        return new PacingState(key, s.nextAllowedAt(), newHour ? hour : s.hourStart(), newHour ? 0 : s.hourCount(),
                newDay ? day : s.dayStart(), newDay ? 0 : s.dayCount(), 0, s.version());
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
