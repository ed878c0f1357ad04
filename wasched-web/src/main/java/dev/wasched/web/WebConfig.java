package dev.wasched.web;

import dev.wasched.ValidationException;
import java.time.Duration;

/**
 * How the console and the API guard sign-in.
 *
 * @param maxFailedLogins wrong passwords in a row after which a user is locked out
 * @param lockout         how long a locked-out user waits
 * @param sessionIdle     how long a signed-in session lasts without a request
 */
public record WebConfig(int maxFailedLogins, Duration lockout, Duration sessionIdle) {
    /** 5 wrong passwords lock for 15 minutes; a session ends after 8 hours without a request. */
    public static final WebConfig DEFAULT = new WebConfig(5, Duration.ofMinutes(15), Duration.ofHours(8));

    public WebConfig {
        if (maxFailedLogins < 1) {
            throw new ValidationException("maxFailedLogins", "must be at least 1, was " + maxFailedLogins);
        }
        if (lockout == null || lockout.isNegative() || lockout.isZero()) {
            throw new ValidationException("lockout", "must be positive, was " + lockout);
        }
        if (sessionIdle == null || sessionIdle.isNegative() || sessionIdle.isZero()) {
            throw new ValidationException("sessionIdle", "must be positive, was " + sessionIdle);
        }
    }

    public WebConfig withLockout(int maxFailed, Duration lockFor) {
        return new WebConfig(maxFailed, lockFor, sessionIdle);
    }

    public WebConfig withSessionIdle(Duration idle) {
        return new WebConfig(maxFailedLogins, lockout, idle);
    }
}
