package dev.wasched.policy;

import dev.wasched.ValidationException;
import java.time.Duration;

/**
 * How a transport reconnects after losing its connection: exponential backoff from {@code initialDelay} to
 * {@code maxDelay} with ±{@code jitter}; after {@code failureThreshold} failures in a row the circuit opens and no
 * attempt is made for {@code openFor}, which stops reconnect storms and shows a clear state.
 */
public record ReconnectPolicy(Duration initialDelay, Duration maxDelay, double jitter, int failureThreshold,
                              Duration openFor) {
    public static final ReconnectPolicy DEFAULT = new ReconnectPolicy(Duration.ofSeconds(2), Duration.ofMinutes(2), 0.2,
            5, Duration.ofMinutes(5));

    public ReconnectPolicy {
        if (initialDelay == null || initialDelay.isNegative() || maxDelay == null || maxDelay.compareTo(initialDelay) < 0) {
            throw new ValidationException("reconnect delays", "need 0 <= initialDelay <= maxDelay");
        }
        if (jitter < 0 || jitter >= 1) {
            throw new ValidationException("jitter", "must be at least 0 and below 1");
        }
        if (failureThreshold < 1) {
            throw new ValidationException("failureThreshold", "must be at least 1");
        }
        if (openFor == null || openFor.isNegative()) {
            throw new ValidationException("openFor", "must not be negative");
        }
    }
}
