package dev.wasched.schedule;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * A stored schedule. {@code nextFireAt} is the next occurrence not yet turned into deliveries (with the engine's
 * fan-out look-ahead, occurrences a little earlier may already have PENDING deliveries), null once the schedule is
 * complete (a one-time message fanned out, the end or the maximum number of runs reached). {@code leaseOwner}/{@code leaseUntil} belong to the engine: an instance holds
 * the lease while it fans the schedule out.
 *
 * <p>Build one with {@link #builder()} (or change a copy with {@link #toBuilder()}), not with a constructor: the
 * canonical constructor may gain components in any release.
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
        endAt = endAt == null ? null : endAt.truncatedTo(ChronoUnit.MILLIS);
        nextFireAt = nextFireAt == null ? null : nextFireAt.truncatedTo(ChronoUnit.MILLIS);
        leaseUntil = leaseUntil == null ? null : leaseUntil.truncatedTo(ChronoUnit.MILLIS);
        createdAt = Objects.requireNonNull(createdAt, "createdAt").truncatedTo(ChronoUnit.MILLIS);
        updatedAt = (updatedAt == null ? createdAt : updatedAt).truncatedTo(ChronoUnit.MILLIS);
    }

    /**
     * A schedule of one account.
     *
     * @deprecated use {@link #builder()}: positional arguments break whenever a component is added
     */
    @Deprecated
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

    /** An empty builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this schedule's values, to build a copy with some of them changed. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.id = id;
        b.name = name;
        b.account = account;
        b.target = target;
        b.message = message;
        b.trigger = trigger;
        b.misfire = misfire;
        b.endAt = endAt;
        b.maxRuns = maxRuns;
        b.paused = paused;
        b.nextFireAt = nextFireAt;
        b.runs = runs;
        b.skippedRuns = skippedRuns;
        b.leaseOwner = leaseOwner;
        b.leaseUntil = leaseUntil;
        b.createdAt = createdAt;
        b.updatedAt = updatedAt;
        b.version = version;
        b.accounts = accounts;
        return b;
    }

    /**
     * Builds a {@link Schedule} by component name; what is not set is null (0 or false for counts and flags), and the
     * record's defaults and checks apply in {@link #build()}.
     */
    public static final class Builder {
        private String id;
        private String name;
        private String account;
        private Target target;
        private ScheduledMessage message;
        private Trigger trigger;
        private MisfirePolicy misfire;
        private Instant endAt;
        private long maxRuns;
        private boolean paused;
        private Instant nextFireAt;
        private long runs;
        private long skippedRuns;
        private String leaseOwner;
        private Instant leaseUntil;
        private Instant createdAt;
        private Instant updatedAt;
        private long version;
        private java.util.List<String> accounts;

        private Builder() {
        }

        public Builder id(String id) {
            this.id = id;
            return this;
        }

        public Builder name(String name) {
            this.name = name;
            return this;
        }

        public Builder account(String account) {
            this.account = account;
            return this;
        }

        public Builder target(Target target) {
            this.target = target;
            return this;
        }

        public Builder message(ScheduledMessage message) {
            this.message = message;
            return this;
        }

        public Builder trigger(Trigger trigger) {
            this.trigger = trigger;
            return this;
        }

        public Builder misfire(MisfirePolicy misfire) {
            this.misfire = misfire;
            return this;
        }

        public Builder endAt(Instant endAt) {
            this.endAt = endAt;
            return this;
        }

        public Builder maxRuns(long maxRuns) {
            this.maxRuns = maxRuns;
            return this;
        }

        public Builder paused(boolean paused) {
            this.paused = paused;
            return this;
        }

        public Builder nextFireAt(Instant nextFireAt) {
            this.nextFireAt = nextFireAt;
            return this;
        }

        public Builder runs(long runs) {
            this.runs = runs;
            return this;
        }

        public Builder skippedRuns(long skippedRuns) {
            this.skippedRuns = skippedRuns;
            return this;
        }

        public Builder leaseOwner(String leaseOwner) {
            this.leaseOwner = leaseOwner;
            return this;
        }

        public Builder leaseUntil(Instant leaseUntil) {
            this.leaseUntil = leaseUntil;
            return this;
        }

        public Builder createdAt(Instant createdAt) {
            this.createdAt = createdAt;
            return this;
        }

        public Builder updatedAt(Instant updatedAt) {
            this.updatedAt = updatedAt;
            return this;
        }

        public Builder version(long version) {
            this.version = version;
            return this;
        }

        /** The accounts a campaign is spread over, the first being {@code account}; null or empty: just it. */
        public Builder accounts(java.util.List<String> accounts) {
            this.accounts = accounts;
            return this;
        }

        public Schedule build() {
            return new Schedule(id, name, account, target, message, trigger, misfire, endAt, maxRuns, paused,
                    nextFireAt, runs, skippedRuns, leaseOwner, leaseUntil, createdAt, updatedAt, version, accounts);
        }
    }
}
