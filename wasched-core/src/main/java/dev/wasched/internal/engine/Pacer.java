package dev.wasched.internal.engine;

import dev.wasched.policy.PacingPolicy;
import dev.wasched.spi.store.PacingRepository;
import dev.wasched.spi.store.PacingState;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.random.RandomGenerator;

/**
 * One account's pacing arithmetic over its persisted {@link PacingState}: when the next send is allowed, and the
 * state after a send. Only the account's owner writes the state, so it is kept in memory: read once, and saved with
 * the dispatch cycle that follows each send ({@link #unsaved()}, {@link #saveResult}). Should another instance have
 * written it meanwhile (a previous owner finishing up), the stricter of both is kept and saved on top.
 */
public final class Pacer {
    private final String account;
    /** Read at each use: an account's pacing may be changed in the registry while it runs. */
    private final java.util.function.Supplier<PacingPolicy> policies;
    private final PacingRepository repo;
    private final RandomGenerator random;
    /** The state as this owner knows it, or null to read it from the store at the next look. */
    private PacingState state;
    /** The version last read or saved: the state to save is one above it. */
    private long storedVersion;
    private boolean dirty;

    public Pacer(String account, PacingPolicy policy, PacingRepository repo, RandomGenerator random) {
        this(account, () -> policy, repo, random);
    }

    public Pacer(String account, java.util.function.Supplier<PacingPolicy> policies, PacingRepository repo,
                 RandomGenerator random) {
        this.account = account;
        this.policies = policies;
        this.repo = repo;
        this.random = random;
    }

    public PacingPolicy policy() {
        return policies.get();
    }

    /** Whether there is a gap between sends: then one delivery is sent per dispatch cycle. */
    public boolean hasGap() {
        return !policy().minGap().isZero() || !policy().jitter().isZero();
    }

    /** The state with its hour and day windows moved to {@code now}. */
    public PacingState current(Instant now) {
        if (state == null) {
            state = repo.load(account).orElse(PacingState.initial(account));
            storedVersion = state.version();
            dirty = false;
        }
        return rolled(state, now);
    }

    private PacingState rolled(PacingState p, Instant now) {
        Instant hour = now.truncatedTo(ChronoUnit.HOURS);
        Instant day = dayStart(now);
        int hourCount = hour.equals(p.hourStart()) ? p.hourCount() : 0;
        boolean sameDay = day.equals(p.dayStart());
        return new PacingState(account, p.nextAllowedAt(), hour, hourCount, day, sameDay ? p.dayCount() : 0,
                sameDay ? p.newContactCount() : 0, p.version());
    }

    Instant dayStart(Instant now) {
        return now.atZone(policy().zone()).toLocalDate().atStartOfDay(policy().zone()).toInstant();
    }

    public Instant nextDayStart(Instant now) {
        return now.atZone(policy().zone()).toLocalDate().plusDays(1).atStartOfDay(policy().zone()).toInstant();
    }

    /** The first instant a send is allowed: after the gap, and after a full hourly or daily window. */
    public Instant allowedFrom(PacingState p, Instant now) {
        Instant at = p.nextAllowedAt().isAfter(now) ? p.nextAllowedAt() : now;
        if (policy().hourlyCap() > 0 && p.hourCount() >= policy().hourlyCap()) {
            at = later(at, p.hourStart().plus(Duration.ofHours(1)));
        }
        if (policy().dailyCap() > 0 && p.dayCount() >= policy().dailyCap()) {
            at = later(at, nextDayStart(now));
        }
        return at;
    }

    /**
     * Whether one more first message to a new number is allowed today.
     *
     * @param inFlight first messages to new numbers started and not yet recorded in {@code p}
     */
    public boolean newContactAllowed(PacingState p, int inFlight) {
        return policy().newContactDailyCap() == 0 || p.newContactCount() + inFlight < policy().newContactDailyCap();
    }

    /** Sends the caps still allow in the current windows. */
    public int remaining(PacingState p) {
        int left = Integer.MAX_VALUE;
        if (policy().hourlyCap() > 0) {
            left = Math.min(left, policy().hourlyCap() - p.hourCount());
        }
        if (policy().dailyCap() > 0) {
            left = Math.min(left, policy().dailyCap() - p.dayCount());
        }
        return Math.max(0, left);
    }

    /** Records an attempt at {@code now}: the gap always applies, the counters only for a message that went out. */
    public PacingState recordAttempt(PacingState p, Instant now, boolean sent, boolean newContact) {
        PacingPolicy policy = policy();
        if (policy.minGap().isZero() && policy.jitter().isZero() && policy.hourlyCap() == 0 && policy.dailyCap() == 0
                && policy.newContactDailyCap() == 0) {
            return p; // nothing to remember: no gap, no caps
        }
        long jitterMs = policy().jitter().toMillis();
        long extra = jitterMs == 0 ? 0 : random.nextLong(jitterMs + 1);
        // Kept to the millisecond, as stored: rounded up, never down, so a send made the moment it is allowed is
        // never closer than the gap to the one before.
        Instant exact = now.plus(policy().minGap()).plusMillis(extra);
        Instant next = exact.truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        if (next.isBefore(exact)) {
            next = next.plusMillis(1);
        }
        int add = sent ? 1 : 0;
        state = new PacingState(account, next, p.hourStart(), p.hourCount() + add, p.dayStart(), p.dayCount() + add,
                p.newContactCount() + (sent && newContact ? 1 : 0), storedVersion + 1);
        dirty = true;
        return state;
    }

    /** The state to save with the next dispatch cycle, or null when it has not changed since it was read or saved. */
    public PacingState unsaved() {
        return dirty ? state : null;
    }

    /**
     * What became of {@code given} (from {@link #unsaved()}): saved, or refused because another instance wrote the
     * state meanwhile; then the stricter of both is kept and saved with the next cycle.
     */
    public void saveResult(PacingState given, boolean saved, Instant now) {
        if (given == null) {
            return;
        }
        if (saved) {
            storedVersion = given.version();
            dirty = state != given;
            return;
        }
        PacingState stored = rolled(repo.load(account).orElse(PacingState.initial(account)), now);
        PacingState mine = rolled(state, now);
        state = new PacingState(account, later(stored.nextAllowedAt(), mine.nextAllowedAt()), stored.hourStart(),
                Math.max(stored.hourCount(), mine.hourCount()), stored.dayStart(),
                Math.max(stored.dayCount(), mine.dayCount()),
                Math.max(stored.newContactCount(), mine.newContactCount()), stored.version() + 1);
        storedVersion = stored.version();
        dirty = true;
    }

    /** Forgets the state kept in memory: the next look reads the store (a new owner may have sent meanwhile). */
    public void forget() {
        state = null;
        dirty = false;
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
