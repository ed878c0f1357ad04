package dev.wasched.contact.imports;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * An import running in the background on a wasched-owned thread; the caller is never held. Look it up again by
 * {@link #id()} with {@code contacts().importJob(id)} while this instance runs. {@code Wasched.close()} cancels it.
 */
public interface ImportJob {
    /** Where a job is. */
    enum State {
        /** Waiting for a free job thread. */
        QUEUED,
        /** Checking the whole file (format, header, structure, row count) before anything is written. */
        CHECKING,
        /** Writing contacts batch by batch. */
        IMPORTING,
        COMPLETED,
        /** Stopped by {@link #cancel()} or by closing wasched; what was written stays. */
        CANCELLED,
        /** The file could not be imported, or the store failed; see {@link ImportReport#error()}. */
        FAILED;

        public boolean finished() {
            return this == COMPLETED || this == CANCELLED || this == FAILED;
        }
    }

    String id();

    State state();

    ImportProgress progress();

    /** Stops after the batch being written; the report then says CANCELLED. Does nothing once finished. */
    void cancel();

    /** Waits up to {@code timeout} for the report; empty if the job is still running (or the thread was interrupted). */
    Optional<ImportReport> await(Duration timeout);

    /** The report, once the job has finished. */
    Optional<ImportReport> report();

    /** Completes with the report when the job finishes, however it finishes (never exceptionally). */
    CompletionStage<ImportReport> completion();
}
