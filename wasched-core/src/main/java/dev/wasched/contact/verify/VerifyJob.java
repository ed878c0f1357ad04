package dev.wasched.contact.verify;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * A bulk registration check running in the background on a wasched-owned thread. Look it up again by {@link #id()}
 * with {@code contacts().verifyJob(id)} while this instance runs. {@code Wasched.close()} cancels it.
 */
public interface VerifyJob {
    enum State {
        QUEUED,
        RUNNING,
        COMPLETED,
        /** Stopped by {@link #cancel()} or by closing wasched; results recorded so far stay. */
        CANCELLED,
        /** See {@link VerifyReport#error()}. */
        FAILED;

        public boolean finished() {
            return this == COMPLETED || this == CANCELLED || this == FAILED;
        }
    }

    String id();

    State state();

    VerifyProgress progress();

    /** Stops before the next check (a pacing wait ends at once). Does nothing once finished. */
    void cancel();

    Optional<VerifyReport> await(Duration timeout);

    Optional<VerifyReport> report();

    /** Completes with the report however the job ends (never exceptionally). */
    CompletionStage<VerifyReport> completion();
}
