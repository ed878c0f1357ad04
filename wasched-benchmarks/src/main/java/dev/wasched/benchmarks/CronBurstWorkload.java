package dev.wasched.benchmarks;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/** W3: many cron schedules fire in the same minute; how long until all ran, and their lateness. */
public final class CronBurstWorkload {
    private final BenchmarkSettings settings;
    private final Duration seedAllowance;

    public CronBurstWorkload(BenchmarkSettings settings) {
        this.settings = settings;
        this.seedAllowance = Duration.parse(System.getProperty("bench.w3.seedAllowance", "PT45S"));
    }

    /**
     * @param seedTime   how long writing the schedules took (before any instance ran)
     * @param timeToAll  from the fire minute until the last schedule ran
     * @param statements statements the instance executed from its start until every schedule had run
     */
    public record Result(String contender, int schedules, int ran, long duplicates, Duration seedTime,
                         boolean seededInTime, Duration timeToAll, long statements, LatencySummary lateness)
            implements ContenderResult {
        public double statementsPerSchedule() {
            return (double) statements / schedules;
        }
    }

    public Result run(Contender contender) throws InterruptedException {
        int n = settings.w3Schedules();
        List<String> keys = IntStream.range(0, n).mapToObj(i -> String.format("c%08d", i)).toList();
        contender.prepare();
        // The first whole minute that leaves time to write all schedules and start the instance.
        Instant fireAt = Instant.now().plus(seedAllowance).truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(1));
        long s0 = System.nanoTime();
        contender.seedDailyCron(keys, fireAt);
        Duration seedTime = Duration.ofNanos(System.nanoTime() - s0);
        boolean inTime = Instant.now().isBefore(fireAt.minusSeconds(2));
        ExecutionLog log = new ExecutionLog();
        long statements;
        try (Contender.Instances running = contender.start(1, log)) {
            Duration untilFire = Duration.between(Instant.now(), fireAt);
            log.awaitDistinct(n, untilFire.isNegative() ? settings.timeout() : untilFire.plus(settings.timeout()));
            statements = running.statements();
            Thread.sleep(500);
        }
        List<Duration> lateness = new ArrayList<>();
        log.firstRuns().values().forEach(ran -> lateness.add(Duration.between(fireAt, ran)));
        Instant last = log.lastFirstRun();
        return new Result(contender.name(), n, log.distinct(), log.duplicates(), seedTime, inTime,
                last == null ? null : Duration.between(fireAt, last), statements, LatencySummary.of(lateness));
    }
}
