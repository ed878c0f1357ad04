package dev.wasched.metrics;

import dev.wasched.Wasched;
import java.time.Duration;

/**
 * Where the engine reports timings and outcomes as they happen. The default records nothing, so without metrics
 * there is no cost; {@link WaschedMetrics} records into Micrometer when it is on the classpath.
 */
public interface MetricsRecorder {
    /** A send finished: {@code outcome} is sent, retry, dead or session_lost. */
    default void sendFinished(String account, String outcome, Duration latency) {
    }

    /** A claim query for an account returned {@code claimed} deliveries. */
    default void claimFinished(String account, int claimed, Duration latency) {
    }

    /** An occurrence fired {@code lateness} after its scheduled time. */
    default void occurrenceFired(Duration lateness) {
    }

    /** A delivery was cancelled (opted out, paused, deleted). */
    default void cancelled(String account) {
    }

    /**
     * {@code account} is now wired on this instance: declared in code when wasched is built, or found in the account
     * registry later (added at run time, or by another instance), so per-account gauges can start for it too.
     */
    default void accountWired(String account) {
    }

    /** Called once when the {@link Wasched} using this recorder is built, so gauges can read its state. */
    default void bind(Wasched wasched) {
    }

    MetricsRecorder NONE = new MetricsRecorder() {
    };
}
