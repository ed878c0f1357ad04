package dev.wasched.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.wasched.spi.store.DispatchCycle;
import dev.wasched.spi.store.WaschedStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DispatchCombinerTest {
    private static final Instant T0 = Instant.parse("2026-05-04T10:15:30Z");

    private final WaschedStore store = mock(WaschedStore.class);
    /** Every call the store got: one account per single cycle, several for a combined call. */
    private final List<List<String>> calls = new CopyOnWriteArrayList<>();
    /** The single calls wait for this, so the test can keep both lanes busy. */
    private final CountDownLatch release = new CountDownLatch(1);
    private final Map<String, Object> answers = new ConcurrentHashMap<>();
    private final List<Thread> threads = new ArrayList<>();

    @AfterEach
    void stopThreads() throws InterruptedException {
        release.countDown();
        for (Thread t : threads) {
            t.join(10_000);
        }
    }

    /** Each account's result carries the account in its next due time, so a mix-up shows. */
    private static DispatchCycle.Result resultOf(DispatchCycle cycle) {
        return new DispatchCycle.Result(List.of(), List.of(), false, List.of(), Set.of(), List.of(),
                T0.plusSeconds(cycle.account().hashCode() & 0xffff));
    }

    private static DispatchCycle cycle(String account) {
        return DispatchCycle.writeOnly(account, T0, List.of(), null);
    }

    private void storeCombines(int limit, RuntimeException combinedFailure) {
        when(store.combinedDispatchLimit()).thenReturn(limit);
        when(store.dispatch(any())).thenAnswer(call -> {
            DispatchCycle c = call.getArgument(0);
            calls.add(List.of(c.account()));
            release.await(10, TimeUnit.SECONDS);
            return resultOf(c);
        });
        when(store.dispatchAll(anyList())).thenAnswer(call -> {
            List<DispatchCycle> cycles = call.getArgument(0);
            calls.add(cycles.stream().map(DispatchCycle::account).toList());
            if (combinedFailure != null) {
                throw combinedFailure;
            }
            return cycles.stream().map(DispatchCombinerTest::resultOf).toList();
        });
    }

    /** Dispatches {@code cycle} on a thread of its own; its result or failure lands in {@link #answers}. */
    private Thread start(DispatchCombiner combiner, DispatchCycle cycle, String key) {
        Thread t = new Thread(() -> {
            try {
                answers.put(key, combiner.dispatch(cycle));
            } catch (RuntimeException e) {
                answers.put(key, e);
            }
        }, "dispatcher-" + key);
        threads.add(t);
        t.start();
        return t;
    }

    private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition not reached in time").isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    /** Both lanes busy with the single cycles of a and b; then the given cycles arrive and wait. */
    private DispatchCombiner withBothLanesBusy(Map<String, DispatchCycle> waiting) throws InterruptedException {
        DispatchCombiner combiner = new DispatchCombiner(store);
        // One after the other: arriving together, a and b would go as one combined call.
        start(combiner, cycle("a"), "a");
        awaitTrue(() -> calls.size() == 1);
        start(combiner, cycle("b"), "b");
        awaitTrue(() -> calls.size() == 2);
        List<Thread> waiters = new ArrayList<>();
        waiting.forEach((key, c) -> waiters.add(start(combiner, c, key)));
        awaitTrue(() -> waiters.stream().allMatch(t -> t.getState() == Thread.State.WAITING));
        return combiner;
    }

    /** With a store that does not combine (1), and with one that does but has nothing else waiting (32). */
    @ParameterizedTest(name = "combined dispatch limit {0}")
    @ValueSource(ints = {1, 32})
    void aCycleThatFindsALaneFreeGoesAtOnceOnItsOwn(int limit) {
        when(store.combinedDispatchLimit()).thenReturn(limit);
        when(store.dispatch(any())).thenAnswer(call -> resultOf(call.getArgument(0)));
        DispatchCombiner combiner = new DispatchCombiner(store);

        assertThat(combiner.dispatch(cycle("a"))).isEqualTo(resultOf(cycle("a")));
        verify(store, never()).dispatchAll(anyList());
    }

    @Test
    void cyclesThatArriveWhileBothLanesAreBusyGoTogetherAndEachGetsItsOwnResult() throws InterruptedException {
        storeCombines(32, null);
        withBothLanesBusy(Map.of("c", cycle("c"), "d", cycle("d"), "e", cycle("e")));

        release.countDown();
        awaitTrue(() -> answers.size() == 5);

        assertThat(calls).hasSize(3);
        assertThat(calls.get(2)).as("one call for the three that waited").containsExactlyInAnyOrder("c", "d", "e");
        answers.forEach((account, answer) -> assertThat(answer).as(account).isEqualTo(resultOf(cycle(account))));
    }

    @Test
    void aFailedCombinedCallFailsEveryCycleInIt() throws InterruptedException {
        IllegalStateException down = new IllegalStateException("store down");
        storeCombines(32, down);
        withBothLanesBusy(Map.of("c", cycle("c"), "d", cycle("d")));

        release.countDown();
        awaitTrue(() -> answers.size() == 4);

        assertThat(answers.get("c")).isSameAs(down);
        assertThat(answers.get("d")).isSameAs(down);
        assertThat(answers.get("a")).isEqualTo(resultOf(cycle("a")));
    }

    @Test
    void twoCyclesOfOneAccountNeverShareACallAndNoCallExceedsTheStoresLimit() throws InterruptedException {
        storeCombines(2, null);
        withBothLanesBusy(Map.of("c1", cycle("c"), "c2", cycle("c"), "d", cycle("d"), "e", cycle("e")));

        release.countDown();
        awaitTrue(() -> answers.size() == 6);

        List<List<String>> later = calls.subList(2, calls.size());
        assertThat(later).allSatisfy(call -> {
            assertThat(call).hasSizeLessThanOrEqualTo(2);
            assertThat(Set.copyOf(call)).hasSameSizeAs(call);
        });
        assertThat(later.stream().flatMap(List::stream).collect(Collectors.toList()))
                .containsExactlyInAnyOrder("c", "c", "d", "e");
    }

    /** Also when the interrupt comes as it is woken to run the call: the store does not see it. */
    @Test
    void anInterruptedDispatcherStillGetsTheAnswerOfItsCycleAndKeepsItsInterrupt() throws InterruptedException {
        storeCombines(32, null);
        DispatchCombiner combiner = withBothLanesBusy(Map.of());
        Map<String, Object> seen = new ConcurrentHashMap<>();
        Thread t = new Thread(() -> {
            try {
                DispatchCycle.Result r = combiner.dispatch(cycle("c"));
                seen.put("result", r);
                seen.put("interrupted", Thread.currentThread().isInterrupted());
            } catch (Throwable e) {
                seen.put("failure", e);
            }
        });
        threads.add(t);
        t.start();
        awaitTrue(() -> t.getState() == Thread.State.WAITING);
        t.interrupt();

        release.countDown();
        t.join(10_000);

        assertThat(seen).containsEntry("result", resultOf(cycle("c"))).containsEntry("interrupted", true);
    }

    @Test
    void aFailureOfOneSingleCycleReachesOnlyItsDispatcher() {
        when(store.combinedDispatchLimit()).thenReturn(32);
        when(store.dispatch(any())).thenThrow(new IllegalStateException("store down"));
        DispatchCombiner combiner = new DispatchCombiner(store);

        assertThatThrownBy(() -> combiner.dispatch(cycle("a"))).hasMessage("store down");
        doAnswer(call -> resultOf(call.getArgument(0))).when(store).dispatch(any());
        assertThat(combiner.dispatch(cycle("b"))).as("the combiner goes on").isEqualTo(resultOf(cycle("b")));
    }
}
