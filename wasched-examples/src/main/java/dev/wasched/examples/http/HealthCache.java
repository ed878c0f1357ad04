package dev.wasched.examples.http;

import dev.wasched.health.Health;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * At most one health snapshot per {@code maxAge}: a snapshot is a few store queries, and a busy load balancer or a
 * client in a loop must not turn into a load on the database. Callers that arrive while a snapshot is being taken
 * wait for it and share it.
 */
final class HealthCache {
    private final Supplier<Health> source;
    private final long maxAgeNanos;
    private final Object lock = new Object();
    private volatile Snapshot last;

    private record Snapshot(Health health, long takenAt) {
    }

    HealthCache(Supplier<Health> source, Duration maxAge) {
        this.source = source;
        this.maxAgeNanos = maxAge.toNanos();
    }

    Health get() {
        Snapshot s = last;
        if (fresh(s)) {
            return s.health();
        }
        synchronized (lock) {
            s = last;
            if (fresh(s)) {
                return s.health(); // taken by the caller we waited for
            }
            long started = System.nanoTime(); // counted from the start: two snapshots never begin closer than maxAge
            Health h = source.get();
            last = new Snapshot(h, started);
            return h;
        }
    }

    private boolean fresh(Snapshot s) {
        return s != null && System.nanoTime() - s.takenAt() < maxAgeNanos;
    }
}
