package dev.wasched.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The harness counts what ran: a tiny W1 on wasched alone, and the log's duplicate count on a known repeat. */
class DrainWorkloadTest {
    @Test
    @Timeout(120)
    void aSmallDrainIsCountedExactlyAndARepeatCountsAsADuplicate() throws Exception {
        BenchmarkSettings settings = BenchmarkSettings.fromSystemProperties().smallDrain(200, 1, 20);
        try (PostgresServer postgres = PostgresServer.start(settings)) {
            DrainWorkload.Result r = new DrainWorkload(postgres, settings)
                    .run(new WaschedContender(postgres, settings, 2), 1);

            assertThat(r.complete()).isTrue();
            assertThat(r.executions()).isEqualTo(200);
            assertThat(r.distinct()).isEqualTo(200);
            assertThat(r.duplicates()).isZero();
            // Counted, and a dispatch cycle writes and claims many deliveries with one commit.
            assertThat(r.statements()).isPositive();
            assertThat(r.commits()).isPositive().isLessThan(200);
            // Each delivery was inserted once (at seeding) and changed at least once (when it was sent).
            assertThat(r.writes().inserts()).isEqualTo(200);
            assertThat(r.writes().rowVersions()).isGreaterThanOrEqualTo(400);
            assertThat(r.writes().indexEntriesAtMost()).isGreaterThanOrEqualTo(r.writes().fullIndexEntries());
        }

        ExecutionLog log = new ExecutionLog();
        log.record("a", Instant.now());
        log.record("b", Instant.now());
        log.record("a", Instant.now());
        assertThat(log.executions()).isEqualTo(3);
        assertThat(log.distinct()).isEqualTo(2);
        assertThat(log.duplicates()).isEqualTo(1);
    }
}
