package dev.wasched.contact.verify;

import dev.wasched.ValidationException;
import dev.wasched.policy.PacingPolicy;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * What a bulk WhatsApp registration check covers and how fast it goes.
 *
 * @param account      the WhatsApp account whose transport asks; null when wasched has exactly one account
 * @param selection    the contacts to check
 * @param pacing       the pace of the checks, separate from the pace of messages: {@code minGap} plus random
 *                     {@code jitter} between two checks, {@code hourlyCap} and {@code dailyCap} per job (0 = none);
 *                     quiet hours, typing and the new-contact cap do not apply. Waits follow wasched's clock.
 * @param recheckAfter a number checked more recently than this is skipped
 * @param force        check every selected number, however recently it was checked
 * @param readyTimeout how long (real time) the job waits for the account to be ready before it fails
 * @param onProgress   called on the job's thread after every contact; may be null
 */
public record VerifyOptions(String account, ContactSelection selection, PacingPolicy pacing, Duration recheckAfter,
                            boolean force, Duration readyTimeout, Consumer<VerifyProgress> onProgress) {
    /** 3 s + up to 2 s between checks, at most 300 an hour and 2,000 a day: gentle on the account. */
    public static final PacingPolicy DEFAULT_PACING = new PacingPolicy(Duration.ofSeconds(3), Duration.ofSeconds(2),
            300, 2000, 0, null, false, ZoneId.of("UTC"));
    public static final Duration DEFAULT_RECHECK_AFTER = Duration.ofDays(30);
    public static final Duration DEFAULT_READY_TIMEOUT = Duration.ofMinutes(1);

    public VerifyOptions {
        if (account != null && account.isBlank()) {
            throw new ValidationException("account", "must not be blank");
        }
        selection = selection == null ? ContactSelection.all() : selection;
        pacing = pacing == null ? DEFAULT_PACING : pacing;
        recheckAfter = recheckAfter == null ? DEFAULT_RECHECK_AFTER : recheckAfter;
        readyTimeout = readyTimeout == null ? DEFAULT_READY_TIMEOUT : readyTimeout;
        if (recheckAfter.isNegative()) {
            throw new ValidationException("recheckAfter", "must not be negative");
        }
        if (readyTimeout.isNegative()) {
            throw new ValidationException("readyTimeout", "must not be negative");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private String account;
        private ContactSelection selection = ContactSelection.all();
        private PacingPolicy pacing = DEFAULT_PACING;
        private Duration recheckAfter = DEFAULT_RECHECK_AFTER;
        private boolean force;
        private Duration readyTimeout = DEFAULT_READY_TIMEOUT;
        private Consumer<VerifyProgress> onProgress;

        private Builder() {
        }

        public Builder account(String account) {
            this.account = account;
            return this;
        }

        public Builder select(ContactSelection selection) {
            this.selection = Objects.requireNonNull(selection, "selection");
            return this;
        }

        public Builder pacing(PacingPolicy pacing) {
            this.pacing = Objects.requireNonNull(pacing, "pacing");
            return this;
        }

        public Builder recheckAfter(Duration recheckAfter) {
            this.recheckAfter = recheckAfter;
            return this;
        }

        public Builder force(boolean force) {
            this.force = force;
            return this;
        }

        public Builder readyTimeout(Duration readyTimeout) {
            this.readyTimeout = readyTimeout;
            return this;
        }

        public Builder onProgress(Consumer<VerifyProgress> listener) {
            this.onProgress = listener;
            return this;
        }

        public VerifyOptions build() {
            return new VerifyOptions(account, selection, pacing, recheckAfter, force, readyTimeout, onProgress);
        }
    }
}
