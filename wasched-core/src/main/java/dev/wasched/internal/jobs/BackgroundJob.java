package dev.wasched.internal.jobs;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What import and verify jobs share: an id, cancellation that also cuts waits short, progress published to a
 * listener that cannot break the job, and a completion that always happens exactly once with a report.
 *
 * @param <P> the progress type
 * @param <R> the report type
 */
public abstract class BackgroundJob<P, R> {
    private static final Logger log = LoggerFactory.getLogger(BackgroundJob.class);
    /** How often a wait on wasched's clock looks at the clock again: a test's settable clock moves without notice. */
    private static final long CLOCK_POLL_MS = 20;

    private final String id;
    private final Consumer<P> listener;
    private final CompletableFuture<R> done = new CompletableFuture<>();
    private final Object wake = new Object();
    private volatile boolean cancelled;
    private volatile String cancelReason;
    private volatile P progress;
    private boolean listenerFailed;

    protected BackgroundJob(String id, P initial, Consumer<P> listener) {
        this.id = id;
        this.progress = initial;
        this.listener = listener;
    }

    public final String id() {
        return id;
    }

    public final P progress() {
        return progress;
    }

    public final boolean finished() {
        return done.isDone();
    }

    /** Asks the job to stop; it finishes as cancelled at its next check. */
    public final void cancel() {
        cancel("cancelled");
    }

    final void cancel(String reason) {
        if (done.isDone()) {
            return;
        }
        cancelReason = reason;
        cancelled = true;
        synchronized (wake) {
            wake.notifyAll();
        }
    }

    protected final boolean cancelled() {
        return cancelled;
    }

    /** Why the job was cancelled ("cancelled", or "wasched is closing"). */
    protected final String cancelReason() {
        return cancelReason == null ? "cancelled" : cancelReason;
    }

    public final Optional<R> await(Duration timeout) {
        try {
            return Optional.of(done.get(Math.max(0, timeout.toMillis()), TimeUnit.MILLISECONDS));
        } catch (TimeoutException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (ExecutionException e) {
            throw new IllegalStateException("a job completes only with a report", e);
        }
    }

    public final Optional<R> report() {
        return done.isDone() ? Optional.of(done.join()) : Optional.empty();
    }

    public final CompletionStage<R> completion() {
        return done.minimalCompletionStage();
    }

    /** Sets the progress and tells the listener; a throwing listener is logged once and otherwise ignored. */
    protected final void publish(P next) {
        progress = next;
        if (listener == null) {
            return;
        }
        try {
            listener.accept(next);
        } catch (RuntimeException e) {
            if (!listenerFailed) {
                listenerFailed = true;
                log.warn("job {}: progress listener threw; further failures are not logged", id, e);
            }
        }
    }

    /** Completes the job; later calls do nothing. */
    protected final void finish(R report) {
        done.complete(report);
    }

    /**
     * Waits until {@code clock} reaches {@code deadline}, looking at the clock every few milliseconds so that a clock
     * moved by hand (tests) is noticed as well as real time passing.
     *
     * @return false when the job was cancelled while waiting
     */
    protected final boolean sleepUntil(Clock clock, Instant deadline) {
        try {
            while (!cancelled) {
                long ms = Duration.between(clock.instant(), deadline).toMillis();
                if (ms <= 0) {
                    return true;
                }
                synchronized (wake) {
                    if (!cancelled) {
                        wake.wait(Math.min(ms, CLOCK_POLL_MS));
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            cancel("interrupted");
        }
        return false;
    }

    /** Waits a short real-time pause (readiness polling); false when cancelled. */
    protected final boolean pause(Duration realTime) {
        long until = System.nanoTime() + realTime.toNanos();
        try {
            while (!cancelled) {
                long ms = (until - System.nanoTime()) / 1_000_000;
                if (ms <= 0) {
                    return true;
                }
                synchronized (wake) {
                    if (!cancelled) {
                        wake.wait(ms);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            cancel("interrupted");
        }
        return false;
    }

    /** The job's work; must end in {@link #finish}. Runs on a job thread. */
    protected abstract void execute();

    /** Completes a job that did not get to finish by itself (it threw, or it never started before shutdown). */
    protected abstract void abort(String reason, Throwable cause);

    final void runSafely() {
        try {
            if (cancelled) {
                abort(cancelReason(), null);
                return;
            }
            execute();
        } catch (Throwable t) {
            log.error("job {} failed unexpectedly", id, t);
            abort("unexpected " + t.getClass().getSimpleName() + ": " + t.getMessage(), t);
        } finally {
            if (!done.isDone()) {
                abort(cancelled ? cancelReason() : "the job ended without a report", null);
            }
        }
    }
}
