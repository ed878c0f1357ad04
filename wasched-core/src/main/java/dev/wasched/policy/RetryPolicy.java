package dev.wasched.policy;

import dev.wasched.ValidationException;
import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * How often and how far apart a delivery is retried after a retryable failure. Retries are kept in the store as a
 * new due time, not in a sleeping thread, so they survive restarts and move to other instances.
 *
 * <p>The delay before attempt {@code n + 1} is {@code initialDelay × multiplier^(n-1)}, capped at {@code maxDelay},
 * then spread by ±{@code jitter} (a fraction, 0.2 = ±20%) so that many failed deliveries do not return at once.
 * Permanent failures (invalid or unregistered number, message too long) never retry.
 *
 * @param maxAttempts attempts in all, the first one included (1 = no retry)
 */
public record RetryPolicy(int maxAttempts, Duration initialDelay, Duration maxDelay, double multiplier, double jitter) {
    public static final RetryPolicy DEFAULT = new RetryPolicy(5, Duration.ofSeconds(30), Duration.ofMinutes(30), 2.0, 0.2);

    public RetryPolicy {
        if (maxAttempts < 1 || maxAttempts > 100) {
            throw new ValidationException("maxAttempts", "must be 1 to 100, was " + maxAttempts);
        }
        if (initialDelay == null || initialDelay.isNegative()) {
            throw new ValidationException("initialDelay", "must not be negative");
        }
        if (maxDelay == null || maxDelay.compareTo(initialDelay) < 0) {
            throw new ValidationException("maxDelay", "must be at least initialDelay");
        }
        if (multiplier < 1.0 || multiplier > 10.0) {
            throw new ValidationException("multiplier", "must be 1 to 10, was " + multiplier);
        }
        if (jitter < 0.0 || jitter >= 1.0) {
            throw new ValidationException("jitter", "must be at least 0 and below 1, was " + jitter);
        }
    }

    public static RetryPolicy of(int maxAttempts, Duration initialDelay) {
        return new RetryPolicy(maxAttempts, initialDelay, initialDelay.multipliedBy(64), 2.0, 0.2);
    }

    public static RetryPolicy noRetries() {
        return new RetryPolicy(1, Duration.ZERO, Duration.ZERO, 1.0, 0.0);
    }

    public boolean hasAttemptsLeft(int attemptsMade) {
        return attemptsMade < maxAttempts;
    }

    /** The delay after {@code attemptsMade} failed attempts (1 for the first failure). */
    public Duration delayAfter(int attemptsMade, RandomGenerator random) {
        double base = initialDelay.toMillis() * Math.pow(multiplier, Math.max(0, attemptsMade - 1));
        double capped = Math.min(base, maxDelay.toMillis());
        double spread = jitter == 0 ? 0 : (random.nextDouble() * 2 - 1) * jitter * capped;
        return Duration.ofMillis(Math.max(0, Math.round(capped + spread)));
    }
}
