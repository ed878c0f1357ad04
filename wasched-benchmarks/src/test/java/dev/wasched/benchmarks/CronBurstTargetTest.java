package dev.wasched.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** W3's target line: met only when every cron fired once, in time, with p99 lateness at most 1 s. */
class CronBurstTargetTest {
    private static CronBurstWorkload.Result burst(int ran, long duplicates, boolean inTime, double p99Ms) {
        return new CronBurstWorkload.Result("wasched", 10_000, ran, duplicates, Duration.ofSeconds(4), inTime,
                Duration.ofMillis((long) p99Ms), 32_000, new LatencySummary(ran, p99Ms / 2, p99Ms, p99Ms));
    }

    private static String line(CronBurstWorkload.Result r) {
        TargetReport report = new TargetReport();
        report.cronBurst(r);
        return report.render();
    }

    @Test
    void metOnlyWithEveryCronFiredOnceWithinASecondAtP99() {
        assertThat(line(burst(10_000, 0, true, 486))).contains("10000/10000 fired", "p99 lateness 486 ms", ": MET");
        assertThat(line(burst(10_000, 0, true, 1_257))).contains("MISSED (p99 257 ms over)");
        assertThat(line(burst(9_999, 0, true, 400))).contains("MISSED (not all fired)");
        assertThat(line(burst(10_000, 2, true, 400))).contains("2 duplicates", "MISSED");
        assertThat(line(burst(10_000, 0, false, 400))).contains("MISSED (seeded too late for the fire minute)");
    }
}
