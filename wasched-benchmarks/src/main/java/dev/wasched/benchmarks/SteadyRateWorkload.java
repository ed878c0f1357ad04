package dev.wasched.benchmarks;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * W2: an application schedules jobs at a steady rate through a running instance, each due a fixed lead after it
 * was scheduled; firing lateness is the time from the due instant to the job's execution.
 */
public final class SteadyRateWorkload {
    private final BenchmarkSettings settings;

    public SteadyRateWorkload(BenchmarkSettings settings) {
        this.settings = settings;
    }

    /**
     * @param achievedRate jobs per second the producers managed to schedule (the target may be out of reach)
     * @param statements   statements the instance executed from its start until every job had run
     */
    public record Result(String contender, int targetRate, double achievedRate, int jobs, int ran, long duplicates,
                         long statements, LatencySummary lateness) implements ContenderResult {
        public double statementsPerJob() {
            return (double) statements / jobs;
        }
    }

    public Result run(Contender contender, int rate) throws InterruptedException {
        int jobs = (int) (rate * settings.w2Duration().toMillis() / 1000);
        Map<String, Instant> due = new ConcurrentHashMap<>();
        ExecutionLog log = new ExecutionLog();
        contender.prepare();
        long lastScheduled;
        long t0;
        long statements;
        try (Contender.Instances running = contender.start(1, log)) {
            t0 = System.nanoTime();
            AtomicLong last = new AtomicLong();
            List<Thread> producers = new ArrayList<>();
            int p = settings.w2Producers();
            for (int i = 0; i < p; i++) {
                int first = i;
                Thread producer = new Thread(() -> {
                    for (int j = first; j < jobs; j += p) {
                        // Open loop: job j is scheduled at its planned instant, late only if the call before was slow.
                        long planned = t0 + (long) (j * 1e9 / rate);
                        long wait = planned - System.nanoTime();
                        if (wait > 0) {
                            LockSupport.parkNanos(wait);
                        }
                        String key = String.format("j%08d", j);
                        Instant at = Instant.now().plus(settings.w2Lead()).truncatedTo(ChronoUnit.MILLIS);
                        due.put(key, at);
                        running.schedule(key, at);
                        last.accumulateAndGet(System.nanoTime(), Math::max);
                    }
                }, "producer-" + i);
                producer.start();
                producers.add(producer);
            }
            for (Thread t : producers) {
                t.join();
            }
            lastScheduled = last.get();
            log.awaitDistinct(jobs, settings.w2Lead().plus(settings.timeout()));
            statements = running.statements();
            Thread.sleep(500);
        }
        List<Duration> lateness = new ArrayList<>();
        log.firstRuns().forEach((key, ran) -> lateness.add(Duration.between(due.get(key), ran)));
        double achieved = jobs / ((lastScheduled - t0) / 1e9);
        return new Result(contender.name(), rate, achieved, jobs, log.distinct(), log.duplicates(), statements,
                LatencySummary.of(lateness));
    }
}
