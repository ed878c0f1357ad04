package dev.wasched.contact.verify;

import java.time.Instant;
import java.util.OptionalInt;

/**
 * How far a registration check is.
 *
 * @param contactsDone  selected contacts handled so far (checked, skipped or failed)
 * @param contactsTotal selected contacts, or -1 while unknown
 * @param waitingUntil  when the job is waiting for its pacing, the instant (on wasched's clock) of the next check;
 *                      else null
 */
public record VerifyProgress(String jobId, VerifyJob.State state, long contactsDone, long contactsTotal, long checked,
                             long registered, long notRegistered, long skippedRecent, long failed,
                             Instant waitingUntil) {
    public boolean totalKnown() {
        return contactsTotal >= 0;
    }

    public OptionalInt percent() {
        if (!totalKnown()) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(contactsTotal == 0 ? 100 : (int) Math.min(100, contactsDone * 100 / contactsTotal));
    }
}
