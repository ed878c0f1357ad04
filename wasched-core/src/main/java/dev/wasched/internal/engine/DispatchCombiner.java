package dev.wasched.internal.engine;

import dev.wasched.spi.store.DispatchCycle;
import dev.wasched.spi.store.WaschedStore;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the dispatch cycles of this instance's accounts through the store, several together when the store can
 * ({@link WaschedStore#combinedDispatchLimit}): a cycle that arrives while {@link #LANES} calls are in the store waits
 * for one of them and then goes with every other cycle that arrived meanwhile, in one {@link
 * WaschedStore#dispatchAll}. A cycle that finds a lane free goes at once, so combining adds no wait; under load, the
 * fixed cost of a cycle (round trips, statements, the commit) is shared by every account ready at the same moment,
 * instead of each account claiming more at once (which would widen what a crash can leave UNCERTAIN).
 *
 * <p>The thread whose cycle is first in line runs the call for all of them (the others wait for their answer), so a
 * cycle always runs on some dispatcher's thread and no extra thread is needed. A failure fails every cycle of the
 * call, as each would have failed on its own: each dispatcher then takes back its claims as after any failed cycle.
 */
final class DispatchCombiner {
    private final WaschedStore store;
    private final int limit;
    private final ArrayDeque<Waiting> queue = new ArrayDeque<>();
    /**
     * How many calls may be in the store at once. Two: a single combined call at a time leaves the database one
     * connection to work on (on two cores it ran slower than cycles one by one), and more split the batches again.
     */
    static final int LANES = 2;
    /** How many threads are in the store for a combined call. */
    private int running;

    DispatchCombiner(WaschedStore store) {
        this.store = store;
        this.limit = Math.max(1, store.combinedDispatchLimit());
    }

    /** Runs {@code cycle}, alone or with others; returns its own result or throws its call's failure. */
    DispatchCycle.Result dispatch(DispatchCycle cycle) {
        if (limit == 1) {
            return store.dispatch(cycle);
        }
        Waiting mine = new Waiting(cycle);
        boolean interrupted = false;
        try {
            synchronized (this) {
                queue.add(mine);
            }
            while (true) {
                List<Waiting> batch;
                synchronized (this) {
                    if (mine.done) {
                        break;
                    }
                    if (running >= LANES || queue.peek() == null) {
                        try {
                            wait();
                        } catch (InterruptedException e) {
                            // The cycle may already be in the store: its answer must be taken, so wait on.
                            interrupted = true;
                        }
                        continue;
                    }
                    running++;
                    batch = take();
                }
                // The call may carry other dispatchers' cycles: this thread's interrupt must not fail them (it is
                // given back below).
                interrupted |= Thread.interrupted();
                try {
                    run(batch);
                } finally {
                    synchronized (this) {
                        running--;
                        notifyAll();
                    }
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        if (mine.failure != null) {
            throw mine.failure;
        }
        return mine.result;
    }

    /** Up to {@code limit} waiting cycles in arrival order, one per account (a later one of an account waits). */
    private List<Waiting> take() {
        List<Waiting> batch = new ArrayList<>();
        java.util.Set<String> accounts = new java.util.HashSet<>();
        for (java.util.Iterator<Waiting> it = queue.iterator(); it.hasNext() && batch.size() < limit; ) {
            Waiting w = it.next();
            if (accounts.add(w.cycle.account())) {
                batch.add(w);
                it.remove();
            }
        }
        return batch;
    }

    private void run(List<Waiting> batch) {
        try {
            if (batch.size() == 1) {
                batch.get(0).result = store.dispatch(batch.get(0).cycle);
            } else {
                List<DispatchCycle> cycles = new ArrayList<>(batch.size());
                batch.forEach(w -> cycles.add(w.cycle));
                List<DispatchCycle.Result> results = store.dispatchAll(cycles);
                for (int i = 0; i < batch.size(); i++) {
                    batch.get(i).result = results.get(i);
                }
            }
        } catch (RuntimeException e) {
            batch.forEach(w -> w.failure = e);
        } catch (Error e) {
            RuntimeException wrapped = new IllegalStateException("dispatch failed: " + e, e);
            batch.forEach(w -> w.failure = wrapped);
            throw e;
        } finally {
            // Written before the lock is released in dispatch(), read after it is taken: visible to the waiters.
            batch.forEach(w -> w.done = true);
        }
    }

    private static final class Waiting {
        final DispatchCycle cycle;
        DispatchCycle.Result result;
        RuntimeException failure;
        boolean done;

        Waiting(DispatchCycle cycle) {
            this.cycle = cycle;
        }
    }
}
