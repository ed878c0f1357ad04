package dev.wasched.benchmarks;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

/**
 * W1: instances drain a backlog of one-time jobs that are all due; throughput, duplicates, commits per job, and the
 * row versions and index entries each job wrote into its table (from seeding it to the end of the drain).
 */
public final class DrainWorkload {
    private final PostgresServer postgres;
    private final BenchmarkSettings settings;

    public DrainWorkload(PostgresServer postgres, BenchmarkSettings settings) {
        this.postgres = postgres;
        this.settings = settings;
    }

    /**
     * @param elapsed time from starting the instances until every job had run
     * @param commits PostgreSQL commits during the run (start, drain and shutdown)
     * @param writes  writes to the job table from before seeding (its insert included) until the instances stopped
     * @param compiling time the JIT compiler spent compiling during {@code elapsed} (all its threads together), or
     *                  null where the JVM does not tell: a run that compiled a lot was slowed by it
     */
    public record Result(String contender, int instances, int jobs, boolean complete, Duration elapsed,
                         long executions, int distinct, long duplicates, long commits, long statements,
                         TableWrites writes, Duration compiling) implements ContenderResult {
        /** The share of {@code elapsed} the JIT compiler spent compiling, or NaN where the JVM does not tell. */
        public double compilingShare() {
            return compiling == null ? Double.NaN : (double) compiling.toNanos() / elapsed.toNanos();
        }

        /**
         * Whether the code this run used was compiled already: it spent less than
         * {@link BenchmarkSettings#SETTLED_COMPILING} of its time compiling (and where the JVM does not tell, yes).
         */
        public boolean compiledAlready() {
            return !(compilingShare() >= BenchmarkSettings.SETTLED_COMPILING);
        }

        public double perSecond() {
            return distinct / (elapsed.toNanos() / 1e9);
        }

        public double commitsPerExecution() {
            return executions == 0 ? Double.NaN : (double) commits / executions;
        }

        public double statementsPerExecution() {
            return executions == 0 ? Double.NaN : (double) statements / executions;
        }

        /** {@code count} per job; W1's jobs are its deliveries. */
        public double perJob(long count) {
            return (double) count / jobs;
        }
    }

    public Result run(Contender contender, int instances) throws InterruptedException {
        int n = settings.w1Deliveries();
        List<String> keys = IntStream.range(0, n).mapToObj(i -> String.format("k%08d", i)).toList();
        contender.prepare();
        // The job table is new and untouched here; its seeding insert is part of a job's writes.
        TableWrites writesBefore = postgres.tableWrites(contender.jobTable());
        contender.seedDueNow(keys);
        ExecutionLog log = new ExecutionLog();
        // Every contender starts with the seeding on disk and a fresh checkpoint behind it, so none is measured while
        // the server writes out another's dirty pages, or just before a timed checkpoint another was spared.
        postgres.execute("CHECKPOINT");
        DatabaseActivity before = postgres.activity();
        long compiledBefore = compilingMillis();
        long t0 = System.nanoTime();
        long statements;
        boolean complete;
        Duration elapsed;
        Duration compiled;
        try (Contender.Instances running = contender.start(instances, log)) {
            complete = log.awaitDistinct(n, settings.timeout());
            elapsed = Duration.ofNanos(System.nanoTime() - t0);
            compiled = compiledBefore < 0 ? null : Duration.ofMillis(compilingMillis() - compiledBefore);
            // A moment more, so a duplicate sent just after the last first run is still seen.
            Thread.sleep(1_000);
            statements = running.statements();
        }
        DatabaseActivity used = postgres.activity().minus(before);
        TableWrites writes = postgres.tableWrites(contender.jobTable()).minus(writesBefore);
        return new Result(contender.name(), instances, n, complete, elapsed, log.executions(), log.distinct(),
                log.duplicates(), used.commits(), statements, writes, compiled);
    }

    /** Milliseconds the JIT compiler has spent compiling in this JVM so far, or -1 where the JVM does not tell. */
    private static long compilingMillis() {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : -1;
    }
}
