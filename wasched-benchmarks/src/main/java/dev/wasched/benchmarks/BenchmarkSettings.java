package dev.wasched.benchmarks;

import dev.wasched.policy.PacingPolicy;
import java.time.Duration;
import java.util.List;

/**
 * Sizes and knobs of a run, read from system properties ({@code -Dbench.w1.deliveries=2000}) so a smoke run can use
 * small numbers. The defaults are the sizes BENCHMARKS.md reports.
 *
 * @param pollInterval      wasched's fallback poll and db-scheduler's polling interval: equal, so idle cost and
 *                          wake-up behaviour are compared at the same polling interval
 * @param poolSize          HikariCP maximum pool size of every instance of either scheduler
 * @param dbSchedulerThreads db-scheduler executor threads per instance
 * @param accountsPerInstance WhatsApp accounts per wasched instance; each has one dispatcher thread, so the default
 *                          (db-scheduler's default of 10 threads) gives both schedulers 10 workers per instance
 * @param contacts          contacts the wasched deliveries go to
 * @param w6Accounts        W6/W7: WhatsApp accounts of the campaign, spread over {@code w6Instances} instances
 * @param w6Messages        W6/W7: messages of the campaign (one contact each), split evenly over the accounts
 * @param w6Gap             W6/W7: the pacing gap; {@link PacingPolicy#DEFAULT} is sped up to it (see BENCHMARKS.md)
 * @param w6Lead            W6/W7: how long after the campaign is set up it fires (room to start the instances)
 * @param w8Messages        W8: messages one account sends through a transport that takes several at once
 * @param w8Latency         W8: how long each of its sends takes (an HTTP API's round trip)
 * @param synchronousCommit the embedded PostgreSQL's {@code synchronous_commit}: zonky starts it with {@code off}, so
 *                          a commit does not wait for its WAL flush; {@code on} shows what a durable commit costs
 * @param w1Warmup          W1: deliveries of each unreported warm-up drain a contender runs (with one instance)
 *                          before the measured runs, so that no contender is measured while the JIT compiler is
 *                          still compiling its code paths
 * @param w1WarmupDrains    W1: the most warm-up drains per contender; they stop at the first that spent less than
 *                          {@link #SETTLED_COMPILING} of its time compiling
 * @param w1Rounds          W1: runs of every contender per instance count, taken in turns; the table shows each
 *                          contender's median run, so one slow moment of a shared machine does not decide a ratio
 * @param sendWindow        W1-W3: wasched's {@code sendWindow}, the most deliveries an unpaced account claims into
 *                          SENDING at once (the engine's default is 16)
 */
public record BenchmarkSettings(
        Duration pollInterval,
        int poolSize,
        int dbSchedulerThreads,
        int accountsPerInstance,
        int contacts,
        int w1Deliveries,
        List<Integer> w1Instances,
        int w1Warmup,
        int w1WarmupDrains,
        int w1Rounds,
        List<Integer> w2Rates,
        Duration w2Lead,
        Duration w2Duration,
        int w2Producers,
        int w3Schedules,
        int w5Instances,
        Duration w5Warmup,
        Duration w5Window,
        int importRows,
        int webMessages,
        int webColdStarts,
        int webHistoryMb,
        int w6Accounts,
        int w6Messages,
        int w6Instances,
        Duration w6Gap,
        Duration w6Lead,
        Duration timeout,
        int w8Messages,
        Duration w8Latency,
        String synchronousCommit,
        int sendWindow) {

    /**
     * A warm-up drain that spent less than this share of its time compiling (JIT, all compiler threads together) ends
     * the warm-up: the code the contender runs is compiled.
     */
    public static final double SETTLED_COMPILING = 0.05;

    public static BenchmarkSettings fromSystemProperties() {
        return new BenchmarkSettings(
                duration("bench.pollInterval", "PT5S"),
                integer("bench.poolSize", 10),
                integer("bench.dbScheduler.threads", 10),
                integer("bench.accountsPerInstance", 10),
                integer("bench.contacts", 1_000),
                integer("bench.w1.deliveries", 100_000),
                integers("bench.w1.instances", "1,2,4"),
                integer("bench.w1.warmup", 50_000),
                integer("bench.w1.warmupDrains", 4),
                integer("bench.w1.rounds", 3),
                integers("bench.w2.rates", "500,1000"),
                duration("bench.w2.lead", "PT2S"),
                duration("bench.w2.duration", "PT10S"),
                integer("bench.w2.producers", 8),
                integer("bench.w3.schedules", 10_000),
                integer("bench.w5.instances", 2),
                duration("bench.w5.warmup", "PT15S"),
                duration("bench.w5.window", "PT30S"),
                integer("bench.import.rows", 100_000),
                integer("bench.web.messages", 50),
                integer("bench.web.coldStarts", 3),
                integer("bench.web.historyMb", 200),
                integer("bench.w6.accounts", 100),
                integer("bench.w6.messages", 10_000),
                integer("bench.w6.instances", 3),
                duration("bench.w6.gap", "PT1S"),
                duration("bench.w6.lead", "PT15S"),
                duration("bench.timeout", "PT5M"),
                integer("bench.w8.messages", 2_000),
                duration("bench.w8.latency", "PT0.02S"),
                System.getProperty("bench.pg.synchronousCommit", "off"),
                integer("bench.sendWindow", 16));
    }

    /** The same settings with W1 reduced to one size, one instance count and a few contacts (a quick check). */
    public BenchmarkSettings smallDrain(int deliveries, int instances, int contactCount) {
        return new BenchmarkSettings(pollInterval, poolSize, dbSchedulerThreads, accountsPerInstance, contactCount, deliveries,
                List.of(instances), 0, 0, 1, w2Rates, w2Lead, w2Duration, w2Producers, w3Schedules, w5Instances, w5Warmup,
                w5Window, importRows, webMessages, webColdStarts, webHistoryMb, w6Accounts, w6Messages, w6Instances, w6Gap, w6Lead, timeout,
                w8Messages, w8Latency, synchronousCommit, sendWindow);
    }

    private static int integer(String name, int fallback) {
        return Integer.parseInt(System.getProperty(name, String.valueOf(fallback)).replace("_", ""));
    }

    private static List<Integer> integers(String name, String fallback) {
        return java.util.Arrays.stream(System.getProperty(name, fallback).split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).map(Integer::valueOf).toList();
    }

    private static Duration duration(String name, String fallback) {
        return Duration.parse(System.getProperty(name, fallback));
    }
}
