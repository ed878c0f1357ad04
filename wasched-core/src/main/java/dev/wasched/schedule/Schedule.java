package dev.wasched.schedule;

import dev.wasched.internal.time.Instants;
import java.time.Instant;
import java.util.Objects;

/**
 * A stored schedule. {@code nextFireAt} is the next occurrence not yet turned into deliveries (with the engine's
 * fan-out look-ahead, occurrences a little earlier may already have PENDING deliveries), null once the schedule is
 * complete (a one-time message fanned out, the end or the maximum number of runs reached). {@code leaseOwner}/{@code leaseUntil} belong to the engine: an instance holds
 * the lease while it fans the schedule out.
 *
 * @param account     the WhatsApp account (session) that sends it; the first of {@code accounts}
 * @param accounts    the accounts a campaign is spread over (see {@link ScheduleSpec.Builder#accounts}); just
 *                    {@code account} for a schedule of one account
 * @param endAt       no occurrence after this instant, or null
 * @param maxRuns     at most this many occurrences, or 0 for no limit
 * @param runs        occurrences fired so far
 * @param skippedRuns occurrences skipped by the misfire policy
 */
public record Schedule(String id, String name, String account, Target target, ScheduledMessage message,
                       Trigger trigger, MisfirePolicy misfire, Instant endAt, long maxRuns, boolean paused,
                       Instant nextFireAt, long runs, long skippedRuns, String leaseOwner, Instant leaseUntil,
                       Instant createdAt, Instant updatedAt, long version, java.util.List<String> accounts) {
    public Schedule {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(account, "account");
        accounts = accounts == null || accounts.isEmpty() ? java.util.List.of(account) : java.util.List.copyOf(accounts);
        if (!accounts.get(0).equals(account)) {
            throw new IllegalArgumentException("account " + account + " is not the first of " + accounts);
        }
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(trigger, "trigger");
        misfire = misfire == null ? MisfirePolicy.DEFAULT : misfire;
        name = name == null ? "" : name;
        endAt = Instants.millis(endAt);
        nextFireAt = Instants.millis(nextFireAt);
        leaseUntil = Instants.millis(leaseUntil);
        createdAt = Instants.millis(Objects.requireNonNull(createdAt, "createdAt"));
        updatedAt = Instants.millis(updatedAt == null ? createdAt : updatedAt);
    }

    /** A schedule of one account. */
    public Schedule(String id, String name, String account, Target target, ScheduledMessage message,
                    Trigger trigger, MisfirePolicy misfire, Instant endAt, long maxRuns, boolean paused,
                    Instant nextFireAt, long runs, long skippedRuns, String leaseOwner, Instant leaseUntil,
                    Instant createdAt, Instant updatedAt, long version) {
        this(id, name, account, target, message, trigger, misfire, endAt, maxRuns, paused, nextFireAt, runs,
                skippedRuns, leaseOwner, leaseUntil, createdAt, updatedAt, version, null);
    }

    /** Whether its recipients are spread over several accounts. */
    public boolean spread() {
        return accounts.size() > 1;
    }

    public boolean isComplete() {
        return nextFireAt == null;
    }

    /** The next occurrence after {@code after} that respects the end time and the run limit, or null. */
    public Instant nextOccurrenceAfter(Instant after, long runsSoFar) {
        if (maxRuns > 0 && runsSoFar >= maxRuns) {
            return null;
        }
        Instant next = trigger.nextAfter(after).orElse(null);
        return next == null || (endAt != null && next.isAfter(endAt)) ? null : next;
    }

    public Schedule withPaused(boolean value, Instant newNextFireAt, Instant now) {
        return new Schedule(id, name, account, target, message, trigger, misfire, endAt, maxRuns, value, newNextFireAt,
                runs, skippedRuns, null, null, createdAt, now, version + 1, accounts);
    }

    /** What this schedule says, as a spec to edit ({@code ScheduleService.update}). */
    public ScheduleSpec spec() {
        return new ScheduleSpec(name, account, target, message, trigger, misfire, endAt, maxRuns, accounts);
    }

    /**
     * The schedule after an edit: what, to whom, through which account and when as {@code spec} says (with
     * {@code newTrigger}, the spec's trigger as it is to be stored), {@code newRuns} occurrences fired so far, the
     * next occurrence not yet turned into deliveries at {@code newNextFireAt}; paused as before, lease released.
     */
    public Schedule edited(ScheduleSpec spec, Trigger newTrigger, Instant newNextFireAt, long newRuns, Instant now) {
        return new Schedule(id, spec.name(), spec.account(), spec.target(), spec.message(), newTrigger, spec.misfire(),
                spec.endAt(), spec.maxRuns(), paused, newNextFireAt, newRuns, skippedRuns, null, null, createdAt, now,
                version + 1, spec.accounts());
    }

    /** The schedule after an occurrence was handled: counts updated, next fire set, lease released. */
    public Schedule advanced(Instant newNextFireAt, long newRuns, long newSkipped, Instant now) {
        return new Schedule(id, name, account, target, message, trigger, misfire, endAt, maxRuns, paused, newNextFireAt,
                newRuns, newSkipped, null, null, createdAt, now, version + 1, accounts);
    }
}
