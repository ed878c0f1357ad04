package dev.wasched.benchmarks;

import java.util.ArrayList;
import java.util.List;

/** The targets wasched is held to, checked against this run's own figures. */
public final class TargetReport {
    static final double DRAIN_RATIO = 1.5;
    static final double LATENESS_P99_MS = 50;
    static final double IDLE_STATEMENTS_PER_SECOND = 1.0;

    private final List<String> lines = new ArrayList<>();

    /** W1: at least 1.5x db-scheduler lock-and-fetch, no duplicates, every job ran. */
    public void drain(int instances, DrainWorkload.Result wasched, DrainWorkload.Result lockAndFetch) {
        double ratio = wasched.perSecond() / lockAndFetch.perSecond();
        boolean met = ratio >= DRAIN_RATIO && wasched.duplicates() == 0 && wasched.complete();
        lines.add(String.format("W1, %d instance(s): %.0f/s vs lock-and-fetch %.0f/s = %.2fx (target >= %.1fx), "
                        + "%d duplicates: %s", instances, wasched.perSecond(), lockAndFetch.perSecond(), ratio,
                DRAIN_RATIO, wasched.duplicates(), verdict(met, ratio >= DRAIN_RATIO ? ""
                        : String.format("%.0f%% short of the ratio", 100 * (1 - ratio / DRAIN_RATIO)))));
    }

    /** W2: p99 firing lateness under 50 ms. */
    public void steadyRate(SteadyRateWorkload.Result wasched) {
        double p99 = wasched.lateness().p99Ms();
        boolean met = p99 < LATENESS_P99_MS && wasched.ran() == wasched.jobs();
        lines.add(String.format("W2 at %d/s: p99 lateness %.1f ms (target < %.0f ms), %d/%d ran: %s",
                wasched.targetRate(), p99, LATENESS_P99_MS, wasched.ran(), wasched.jobs(),
                verdict(met, p99 < LATENESS_P99_MS ? "" : String.format("%.1f ms over", p99 - LATENESS_P99_MS))));
    }

    /** W5: at most one statement per second per idle instance. */
    public void idle(IdleWorkload.Result wasched) {
        double q = wasched.perSecondPerInstance();
        lines.add(String.format("W5: %.2f statements/s per idle instance (target <= %.1f): %s", q,
                IDLE_STATEMENTS_PER_SECOND, verdict(q <= IDLE_STATEMENTS_PER_SECOND,
                        String.format("%.2fx the target", q / IDLE_STATEMENTS_PER_SECOND))));
    }

    private static String verdict(boolean met, String shortBy) {
        return met ? "MET" : "MISSED" + (shortBy.isEmpty() ? "" : " (" + shortBy + ")");
    }

    public String render() {
        return lines.isEmpty() ? "" : "Targets:\n" + String.join("\n", lines.stream().map(l -> "- " + l).toList()) + "\n";
    }
}
