package dev.wasched.internal.engine;

import dev.wasched.spi.store.Lease;
import java.time.Duration;

/**
 * The session lease of one account while this instance holds it, with the local deadline after which the instance
 * must not claim or send for the account. Every write for the account is fenced by it.
 */
final class SessionLease {
    private volatile Lease lease;
    /**
     * {@link System#nanoTime()} after which this instance must not claim or send for the account: the start of the
     * last successful acquire or renew plus the lease's time to live. The store's lease cannot end sooner, so the
     * instance stops before any other can take over, whatever the wall clocks say.
     */
    private volatile long deadline;

    /** The lease held now, or null. */
    Lease held() {
        return lease;
    }

    /** Whether the lease is held and its local deadline has not passed: the condition for every claim and send. */
    boolean valid() {
        return lease != null && System.nanoTime() - deadline < 0;
    }

    /** Holds {@code taken}, renewed or taken by a statement sent at {@code started} ({@link System#nanoTime()}). */
    void hold(Lease taken, long started, Duration ttl) {
        deadline = deadlineAfter(started, ttl);
        lease = taken;
    }

    void drop() {
        lease = null;
    }

    /**
     * The local deadline for a lease renewed or taken by a statement sent at {@code started}: the store's expiry is
     * at least {@code ttl} after that, so a deadline {@code ttl} minus a twentieth after it ends first, with room for
     * millisecond rounding of stored times and for clocks that run at slightly different rates.
     */
    private static long deadlineAfter(long started, Duration ttl) {
        return started + ttl.toNanos() - ttl.toNanos() / 20;
    }
}
