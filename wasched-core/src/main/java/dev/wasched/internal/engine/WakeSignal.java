package dev.wasched.internal.engine;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** Lets a loop sleep until a deadline or until something local changes, whichever comes first. */
public final class WakeSignal {
    private boolean signalled;

    public synchronized void signal() {
        signalled = true;
        notifyAll();
    }

    /** Returns at {@code deadline} or on a signal; a signal sent while the loop was busy is not lost. */
    public synchronized void awaitUntil(Clock clock, Instant deadline) throws InterruptedException {
        while (!signalled) {
            long ms = Duration.between(clock.instant(), deadline).toMillis();
            if (ms <= 0) {
                break;
            }
            wait(ms);
        }
        signalled = false;
    }
}
