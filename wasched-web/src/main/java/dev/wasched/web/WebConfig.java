package dev.wasched.web;

import dev.wasched.ValidationException;
import java.time.Duration;

/**
 * How the console and the API guard sign-in.
 *
 * @param maxFailedLogins wrong passwords in a row after which a user is locked out
 * @param lockout         how long a locked-out user waits
 * @param sessionIdle     how long a signed-in session lasts without a request
 * @param eventsKeepAlive how often an open stream of live events gets a comment (so proxies keep it open and dead
 *                        clients are found) and its caller's access is checked again
 */
public record WebConfig(int maxFailedLogins, Duration lockout, Duration sessionIdle, Duration eventsKeepAlive) {
    /**
     * 5 wrong passwords lock for 15 minutes; a session ends after 8 hours without a request; live event streams are
     * kept alive and checked every 15 seconds.
     */
    public static final WebConfig DEFAULT = new WebConfig(5, Duration.ofMinutes(15), Duration.ofHours(8),
            Duration.ofSeconds(15));

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
        if (eventsKeepAlive == null || eventsKeepAlive.toMillis() < 100) {
            throw new ValidationException("eventsKeepAlive", "must be at least 100 ms, was " + eventsKeepAlive);
        }
    }

    public WebConfig withLockout(int maxFailed, Duration lockFor) {
        return new WebConfig(maxFailed, lockFor, sessionIdle, eventsKeepAlive);
    }

    public WebConfig withSessionIdle(Duration idle) {
        return new WebConfig(maxFailedLogins, lockout, idle, eventsKeepAlive);
    }

    public WebConfig withEventsKeepAlive(Duration every) {
        return new WebConfig(maxFailedLogins, lockout, sessionIdle, every);
    }
}
