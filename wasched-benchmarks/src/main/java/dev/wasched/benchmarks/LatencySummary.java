package dev.wasched.benchmarks;

import java.time.Duration;
import java.util.Collection;

/** Median, 99th percentile and maximum of a set of latencies (nearest-rank percentiles), in milliseconds. */
public record LatencySummary(int count, double p50Ms, double p99Ms, double maxMs) {
    public static LatencySummary of(Collection<Duration> samples) {
        if (samples.isEmpty()) {
            return new LatencySummary(0, Double.NaN, Double.NaN, Double.NaN);
        }
        long[] micros = samples.stream().mapToLong(d -> d.toNanos() / 1_000).sorted().toArray();
        return new LatencySummary(micros.length, rank(micros, 0.50), rank(micros, 0.99), micros[micros.length - 1] / 1000.0);
    }

    private static double rank(long[] sorted, double q) {
        int i = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1000.0;
    }

    @Override
    public String toString() {
        return String.format("p50 %.1f ms, p99 %.1f ms, max %.1f ms (n=%d)", p50Ms, p99Ms, maxMs, count);
    }
}
