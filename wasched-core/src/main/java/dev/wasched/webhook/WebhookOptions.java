package dev.wasched.webhook;

import dev.wasched.ValidationException;
import dev.wasched.policy.RetryPolicy;
import java.time.Duration;
import java.util.Objects;

/**
 * How webhooks are delivered; set with {@code WaschedBuilder.webhooks(WebhookOptions)}, defaults in
 * {@link #DEFAULT}.
 *
 * @param pollInterval   how often an instance looks for due outbox rows and re-reads the endpoints
 * @param retry          back-off between attempts (exponential with jitter) and the attempts after which an event
 *                       is given up on ({@link OutboxStatus#FAILED}); default 25 attempts, 1 s doubling to 10 min
 * @param requestTimeout how long one POST may take (connect and answer) before it counts as failed
 * @param maxAge         an event still undelivered this long after it was written is given up on at its next failure
 * @param retention      how long delivered rows are kept before they are purged
 * @param batchSize      the most rows one instance claims per poll
 * @param maxInFlight    the most POSTs one instance has open at once
 */
public record WebhookOptions(Duration pollInterval, RetryPolicy retry, Duration requestTimeout, Duration maxAge,
                             Duration retention, int batchSize, int maxInFlight) {
    public static final WebhookOptions DEFAULT = new WebhookOptions(Duration.ofSeconds(1),
            new RetryPolicy(25, Duration.ofSeconds(1), Duration.ofMinutes(10), 2.0, 0.25), Duration.ofSeconds(10),
            Duration.ofDays(2), Duration.ofDays(7), 100, 64);

    public WebhookOptions {
        positive(pollInterval, "pollInterval");
        Objects.requireNonNull(retry, "retry");
        positive(requestTimeout, "requestTimeout");
        positive(maxAge, "maxAge");
        positive(retention, "retention");
        if (batchSize < 1 || batchSize > 1000) {
            throw new ValidationException("batchSize", "must be 1 to 1000, was " + batchSize);
        }
        if (maxInFlight < 1) {
            throw new ValidationException("maxInFlight", "must be at least 1, was " + maxInFlight);
        }
    }

    /**
     * How long a claim on an outbox row lasts: past it another instance may send the row again. Well above what a
     * request may take, so only a dead instance's rows are sent twice.
     */
    public Duration claimDuration() {
        return requestTimeout.multipliedBy(3).plusSeconds(5);
    }

    public WebhookOptions withPollInterval(Duration d) {
        return new WebhookOptions(d, retry, requestTimeout, maxAge, retention, batchSize, maxInFlight);
    }

    public WebhookOptions withRetry(RetryPolicy policy) {
        return new WebhookOptions(pollInterval, policy, requestTimeout, maxAge, retention, batchSize, maxInFlight);
    }

    public WebhookOptions withRequestTimeout(Duration d) {
        return new WebhookOptions(pollInterval, retry, d, maxAge, retention, batchSize, maxInFlight);
    }

    public WebhookOptions withMaxAge(Duration d) {
        return new WebhookOptions(pollInterval, retry, requestTimeout, d, retention, batchSize, maxInFlight);
    }

    public WebhookOptions withRetention(Duration d) {
        return new WebhookOptions(pollInterval, retry, requestTimeout, maxAge, d, batchSize, maxInFlight);
    }

    private static void positive(Duration d, String name) {
        if (d == null || d.isZero() || d.isNegative()) {
            throw new ValidationException(name, "must be positive, was " + d);
        }
    }
}
