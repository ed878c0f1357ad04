package dev.wasched.benchmarks;

import java.util.ArrayList;
import java.util.List;

/** The targets wasched is held to, checked against this run's own figures. */
public final class TargetReport {
    static final double DRAIN_RATIO = 1.5;
    static final double LATENESS_P99_MS = 50;
    static final double IDLE_STATEMENTS_PER_SECOND = 0.3;
    static final double CRON_BURST_P99_MS = 1_000;
    static final double ADDED_DELAY_P99_MS = 50;
    static final java.time.Duration FIRST_MESSAGE = java.time.Duration.ofSeconds(1);
    static final long UNCERTAIN_PER_ACCOUNT = 1;
    /** Of the ideal speed-up (as many times faster as sends run at once): the rest is the claim round trips. */
    static final double CONCURRENT_SHARE = 0.5;

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

    /** W2: p99 firing lateness under 50 ms at up to 500 jobs/s, under 100 ms above. */
    public void steadyRate(SteadyRateWorkload.Result wasched) {
        double p99 = wasched.lateness().p99Ms();
        double target = wasched.targetRate() <= 500 ? LATENESS_P99_MS : 2 * LATENESS_P99_MS;
        boolean met = p99 < target && wasched.ran() == wasched.jobs();
        lines.add(String.format("W2 at %d/s: p99 lateness %.1f ms (target < %.0f ms), %d/%d ran, %.0f/s achieved: %s",
                wasched.targetRate(), p99, target, wasched.ran(), wasched.jobs(), wasched.achievedRate(),
                verdict(met, p99 < target ? "" : String.format("%.1f ms over", p99 - target))));
    }

    /** W3: every cron of the burst fired, none twice, p99 lateness at most 1 s. */
    public void cronBurst(CronBurstWorkload.Result wasched) {
        double p99 = wasched.lateness().p99Ms();
        boolean all = wasched.ran() == wasched.schedules() && wasched.seededInTime();
        boolean met = all && wasched.duplicates() == 0 && p99 <= CRON_BURST_P99_MS;
        List<String> misses = new ArrayList<>();
        if (p99 > CRON_BURST_P99_MS) {
            misses.add(String.format("p99 %.0f ms over", p99 - CRON_BURST_P99_MS));
        }
        if (!all) {
            misses.add(wasched.seededInTime() ? "not all fired" : "seeded too late for the fire minute");
        }
        lines.add(String.format("W3: %d/%d fired, %d duplicates, p99 lateness %.0f ms (target <= %.0f ms): %s",
                wasched.ran(), wasched.schedules(), wasched.duplicates(), p99, CRON_BURST_P99_MS,
                verdict(met, String.join(", ", misses))));
    }

    /** W5: at most 0.3 statements per second per idle instance, whether it serves 1, 10 or 100 accounts. */
    public void idle(IdleWorkload.Result wasched) {
        double q = wasched.perSecondPerInstance();
        lines.add(String.format("W5: %.2f statements/s per idle instance, the most of 1, 10 and 100 accounts (target <= %.1f): %s", q,
                IDLE_STATEMENTS_PER_SECOND, verdict(q <= IDLE_STATEMENTS_PER_SECOND,
                        String.format("%.2fx the target", q / IDLE_STATEMENTS_PER_SECOND))));
    }

    /**
     * W8: an account whose transport takes {@code atOnce} sends at once sends at least half that many times faster
     * than one at a time, with no duplicates.
     */
    public void concurrentSends(int atOnce, DrainWorkload.Result oneAtATime, DrainWorkload.Result concurrent) {
        double ratio = concurrent.perSecond() / oneAtATime.perSecond();
        double target = CONCURRENT_SHARE * atOnce;
        boolean met = ratio >= target && concurrent.duplicates() == 0 && concurrent.complete()
                && oneAtATime.duplicates() == 0;
        lines.add(String.format("W8: one account, %d sends at once: %.0f/s vs one at a time %.0f/s = %.1fx (target >= "
                        + "%.0fx), %d duplicates: %s", atOnce, concurrent.perSecond(), oneAtATime.perSecond(), ratio,
                target, concurrent.duplicates() + oneAtATime.duplicates(), verdict(met, ratio >= target ? ""
                        : String.format("%.1fx short", target - ratio))));
    }

    /** W6: p99 of what the engine adds to pacing at most 50 ms; every account's first message within 1 s of T. */
    public void campaign(MorningCampaignWorkload.Result wasched) {
        double p99 = wasched.addedDelay().p99Ms();
        java.time.Duration first = wasched.slowestFirstMessage();
        boolean firstMet = first != null && first.compareTo(FIRST_MESSAGE) <= 0;
        boolean met = p99 <= ADDED_DELAY_P99_MS && firstMet && wasched.complete() && wasched.duplicates() == 0;
        List<String> misses = new ArrayList<>();
        if (p99 > ADDED_DELAY_P99_MS) {
            misses.add(String.format("p99 %.1f ms over", p99 - ADDED_DELAY_P99_MS));
        }
        if (!firstMet) {
            misses.add(first == null ? "an account sent nothing" : String.format("first messages %.0f ms over",
                    (first.minus(FIRST_MESSAGE)).toNanos() / 1e6));
        }
        lines.add(String.format("W6: added beyond pacing p99 %.1f ms (target <= %.0f ms), slowest first message %s"
                        + " after T (target <= %s), %d/%d sent, %d duplicates: %s", p99, ADDED_DELAY_P99_MS,
                seconds(first), seconds(FIRST_MESSAGE), wasched.sent(), wasched.messages(), wasched.duplicates(),
                verdict(met, String.join(", ", misses))));
    }

    /** W7: no duplicates, at most one UNCERTAIN per account (one send in flight), no send closer than pacing allows. */
    public void failover(MorningCampaignWorkload.Result wasched) {
        boolean met = wasched.duplicates() == 0 && wasched.maxUncertainPerAccount() <= UNCERTAIN_PER_ACCOUNT
                && wasched.bursts() == 0 && wasched.early() == 0 && wasched.complete() && wasched.takeover() != null;
        MorningCampaignWorkload.Takeover t = wasched.takeover();
        lines.add(String.format("W7: %d duplicates (target 0), at most %d UNCERTAIN for one account (target <= %d),"
                        + " %d sends closer than the gap and %d before pacing allowed (target 0); all sending again %s"
                        + " after the kill (lease duration %s): %s", wasched.duplicates(),
                wasched.maxUncertainPerAccount(), UNCERTAIN_PER_ACCOUNT, wasched.bursts(), wasched.early(), seconds(t == null ? null : t.lastSend()),
                seconds(t == null ? null : t.lease()),
                verdict(met, wasched.complete() && t != null ? "" : "the campaign did not finish")));
    }

    private static String seconds(java.time.Duration d) {
        return d == null ? "n/a" : String.format("%.2f s", d.toNanos() / 1e9);
    }

    /** CLOUD: at least 200 messages per second on one Cloud API number with pacing off, none twice. */
    public void cloudApi(double perSecond, int duplicates, boolean complete) {
        boolean met = perSecond >= CLOUD_PER_SECOND && duplicates == 0 && complete;
        lines.add(String.format("CLOUD: one Cloud API number %.0f messages/s (target >= %.0f/s), %d duplicates: %s",
                perSecond, CLOUD_PER_SECOND, duplicates, verdict(met, perSecond >= CLOUD_PER_SECOND ? ""
                        : String.format("%.0f/s short", CLOUD_PER_SECOND - perSecond))));
    }

    private static final double CLOUD_PER_SECOND = 200;

    private static String verdict(boolean met, String shortBy) {
        return met ? "MET" : "MISSED" + (shortBy.isEmpty() ? "" : " (" + shortBy + ")");
    }

    /**
     * WEB: no page load for a chat opened before, at most one otherwise; send p50 at most 1.5 s with the page up;
     * a session snapshot stored within 3 s and no send held longer than 100 ms by one.
     */
    public void web(WebSimulatorBenchmark.Result r) {
        boolean loads = r.loadsPerLaterSend() == 0 && r.loadsPerFirstSend() <= 1;
        boolean send = r.send().p50Ms() <= 1_500;
        boolean save = r.snapshots() > 0 && r.snapshotMillis() <= 3_000 && r.longestSnapshotHoldMillis() <= 100;
        lines.add(String.format("WEB: page loads per send %.2f (first to a chat, target <= 1) and %.2f (later, target 0); "
                + "send p50 %.0f ms (target <= 1500); snapshot %.1f MB stored in %d ms (target <= 3000), a send held at "
                + "most %d ms (target <= 100): %s", r.loadsPerFirstSend(), r.loadsPerLaterSend(), r.send().p50Ms(),
                r.snapshotBytes() / 1e6, r.snapshotMillis(), r.longestSnapshotHoldMillis(),
                verdict(loads && send && save, (loads ? "" : "page loads ") + (send ? "" : "send time ")
                        + (save ? "" : "snapshot"))));
    }

    public String render() {
        return lines.isEmpty() ? "" : "Targets:\n" + String.join("\n", lines.stream().map(l -> "- " + l).toList()) + "\n";
    }
}
