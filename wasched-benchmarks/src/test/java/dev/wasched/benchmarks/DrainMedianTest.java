package dev.wasched.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** W1 shows each contender's median run, without letting it hide what another run got wrong. */
class DrainMedianTest {
    private static DrainWorkload.Result run(double seconds, long duplicates, boolean complete) {
        return compiling(seconds, duplicates, complete, Duration.ofMillis(5));
    }

    private static DrainWorkload.Result compiling(double seconds, long duplicates, boolean complete,
                                                  Duration compiling) {
        return new DrainWorkload.Result("c", 1, 1000, complete, Duration.ofMillis((long) (seconds * 1000)), 1000,
                1000, duplicates, 10, 20, new TableWrites(0, 0, 0, 0, 0, 0, 1, 0), compiling);
    }

    @Test
    void aWarmUpDrainEndsTheWarmUpOnceItSpentLessThanOneTwentiethOfItsTimeCompiling() {
        assertThat(compiling(2, 0, true, Duration.ofMillis(500)).compilingShare()).isEqualTo(0.25);
        assertThat(compiling(2, 0, true, Duration.ofMillis(500)).compiledAlready()).isFalse();
        assertThat(compiling(2, 0, true, Duration.ofMillis(100)).compiledAlready()).isFalse();
        assertThat(compiling(2, 0, true, Duration.ofMillis(99)).compiledAlready()).isTrue();
        // A JVM that does not tell cannot be waited for: one warm-up drain, as before.
        assertThat(compiling(2, 0, true, null).compilingShare()).isNaN();
        assertThat(compiling(2, 0, true, null).compiledAlready()).isTrue();
    }

    @Test
    void theMedianKeepsItsOwnCompilingTime() {
        DrainWorkload.Result m = BenchmarkMain.median(List.of(compiling(2, 0, true, Duration.ofMillis(7)),
                compiling(1, 0, true, Duration.ofMillis(9)), compiling(4, 0, true, Duration.ofMillis(3))));
        assertThat(m.compiling()).isEqualTo(Duration.ofMillis(7));
    }

    @Test
    void theMiddleRunByThroughputIsShown() {
        DrainWorkload.Result m = BenchmarkMain.median(List.of(run(2, 0, true), run(1, 0, true), run(4, 0, true)));
        assertThat(m.elapsed()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void ofAnEvenNumberTheSlowerMiddleRunIsShown() {
        DrainWorkload.Result m = BenchmarkMain.median(List.of(run(1, 0, true), run(2, 0, true), run(3, 0, true),
                run(4, 0, true)));
        assertThat(m.elapsed()).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void duplicatesOfEveryRunAndAnIncompleteRunAreNotHiddenByTheMedian() {
        DrainWorkload.Result m = BenchmarkMain.median(List.of(run(1, 2, true), run(2, 0, true), run(3, 1, false)));
        assertThat(m.elapsed()).isEqualTo(Duration.ofSeconds(2));
        assertThat(m.duplicates()).isEqualTo(3);
        assertThat(m.complete()).isFalse();
    }
}
