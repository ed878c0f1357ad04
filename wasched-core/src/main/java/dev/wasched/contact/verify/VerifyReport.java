package dev.wasched.contact.verify;

import dev.wasched.WaschedException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What a registration check did. {@code contactsSeen = checked + skippedRecent + failed}, and
 * {@code checked = registered + notRegistered}.
 *
 * @param failures the contacts that failed, at most 1,000 of them
 * @param error    why the job FAILED as a whole (account not ready in time, too many failures in a row), else null
 */
public record VerifyReport(String jobId, String account, VerifyJob.State state, Instant startedAt, Instant finishedAt,
                           long contactsSeen, long checked, long registered, long notRegistered, long skippedRecent,
                           long failed, List<VerifyFailure> failures, WaschedException error) {
    public VerifyReport {
        Objects.requireNonNull(state, "state");
        failures = List.copyOf(failures == null ? List.of() : failures);
    }

    public boolean completed() {
        return state == VerifyJob.State.COMPLETED;
    }

    public String summary() {
        return state + ": " + contactsSeen + " contacts, " + checked + " checked (" + registered + " on WhatsApp, "
                + notRegistered + " not), " + skippedRecent + " checked recently, " + failed + " failed"
                + (error != null ? " (" + error.getMessage() + ")" : "");
    }
}
