package dev.wasched.whatsapp.internal;

import dev.failsafe.CircuitBreaker;
import dev.wasched.policy.ReconnectPolicy;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Reconnect arithmetic for one transport: exponential backoff with jitter between attempts, and a Failsafe circuit
 * breaker that stops attempts for {@code openFor} after {@code failureThreshold} failures in a row.
 */
public final class Reconnects {
    private final ReconnectPolicy policy;
    private final CircuitBreaker<Object> circuit;
    private int failuresInARow;

    public Reconnects(ReconnectPolicy policy) {
        this.policy = policy;
        this.circuit = CircuitBreaker.builder()
                .withFailureThreshold(policy.failureThreshold())
                .withDelay(policy.openFor())
                .build();
    }

    /** Whether an attempt may start now; asking is also what moves an open circuit whose delay is over to half-open. */
    public boolean mayAttempt() {
        return circuit.tryAcquirePermit();
    }

    public void succeeded() {
        failuresInARow = 0;
        circuit.recordSuccess();
    }

    /** Records a failed attempt and returns how long to wait before the next one. */
    public Duration failed() {
        failuresInARow++;
        circuit.recordFailure();
        if (circuit.isOpen()) {
            return remainingOpen();
        }
        return delayAfter(failuresInARow);
    }

    public boolean isOpen() {
        return circuit.isOpen();
    }

    public Duration remainingOpen() {
        Duration d = circuit.getRemainingDelay();
        return d.isZero() ? policy.initialDelay() : d;
    }

    public int failuresInARow() {
        return failuresInARow;
    }

    /** initialDelay * 2^(n-1), at most maxDelay, then ±jitter. */
    Duration delayAfter(int failures) {
        long base = policy.initialDelay().toMillis();
        long max = policy.maxDelay().toMillis();
        long d = base;
        for (int i = 1; i < failures && d < max; i++) {
            d = Math.min(max, d * 2);
        }
        d = Math.min(d, max);
        double j = policy.jitter();
        if (j > 0 && d > 0) {
            d = Math.round(d * (1 + ThreadLocalRandom.current().nextDouble(-j, j)));
        }
        return Duration.ofMillis(Math.max(0, d));
    }
}
