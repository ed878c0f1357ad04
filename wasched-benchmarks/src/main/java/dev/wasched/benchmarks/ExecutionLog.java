package dev.wasched.benchmarks;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every execution of a job, from whichever instance ran it: the first time each job key ran, and how many runs
 * were repeats of a key that had already run (duplicates). Shared by all instances of a run; thread-safe.
 */
public final class ExecutionLog {
    private final Map<String, Instant> firstRun = new ConcurrentHashMap<>();
    private final AtomicLong executions = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();

    public void record(String key, Instant at) {
        executions.incrementAndGet();
        if (firstRun.putIfAbsent(key, at) != null) {
            duplicates.incrementAndGet();
        }
    }

    /** Distinct jobs that ran. */
    public int distinct() {
        return firstRun.size();
    }

    public long executions() {
        return executions.get();
    }

    public long duplicates() {
        return duplicates.get();
    }

    /** When each job first ran, by key. */
    public Map<String, Instant> firstRuns() {
        return Map.copyOf(firstRun);
    }

    /** Waits until {@code count} distinct jobs ran; false when {@code timeout} passed first. */
    public boolean awaitDistinct(int count, java.time.Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (firstRun.size() < count) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }

    /** The latest first run, or null when nothing ran. */
    public Instant lastFirstRun() {
        return firstRun.values().stream().max(Instant::compareTo).orElse(null);
    }
}
