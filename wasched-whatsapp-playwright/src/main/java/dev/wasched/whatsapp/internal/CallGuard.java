package dev.wasched.whatsapp.internal;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One public call that runs as a task on the browser thread while its caller waits, and what the task may still do.
 * The caller gives up after its time-out; the task cannot be stopped in the middle of a Playwright call, so instead
 * the two agree, atomically, on what the give-up means:
 *
 * <ul>
 *   <li>a task that has not reached its send action is <em>called off</em>: its {@link #beginAction()} fails from
 *       then on, so it never acts, and the caller may say that nothing was sent;</li>
 *   <li>a task that has reached it is <em>abandoned</em>: the caller reports that the outcome is unknown, and the
 *       task may finish confirming but never takes another send action.</li>
 * </ul>
 *
 * <p>A task also hands work to the caller's thread ({@link #onCaller}) and waits for it: the engine's callbacks run on
 * the thread that called {@code send}. Thread-safe.
 */
final class CallGuard {
    /** Where the call is. QUEUED, RUNNING and ACTING move on; the others are final. */
    enum Phase {
        /** Submitted; the browser thread has not picked it up. */
        QUEUED,
        /** Running; nothing it did can have sent a message. */
        RUNNING,
        /** The send action was taken (or begun): from here on a message may have left. */
        ACTING,
        /** The caller gave up before the send action: the task must never act. */
        CALLED_OFF,
        /** The caller gave up after the send action: the outcome is unknown to it. */
        ABANDONED,
        /** The task ended without a send action that may have sent something. */
        FINISHED_UNSENT,
        /** The task ended after a send action. */
        FINISHED_ACTED
    }

    /** Put on the caller's queue when the task has ended. */
    static final Runnable FINISHED = () -> { };
    private static final long WAIT_SLICE_MS = 50;

    private final AtomicReference<Phase> phase = new AtomicReference<>(Phase.QUEUED);
    private final BlockingQueue<Runnable> toCaller = new LinkedBlockingQueue<>();

    Phase phase() {
        return phase.get();
    }

    /** Browser thread: the task starts; false when the caller has given up meanwhile (then do nothing). */
    boolean start() {
        return phase.compareAndSet(Phase.QUEUED, Phase.RUNNING);
    }

    /**
     * Browser thread, right before the send action: true when the action may be taken (the call is now ACTING),
     * false when the caller gave up (called off, or abandoned after an earlier action): then do not act.
     */
    boolean beginAction() {
        return phase.updateAndGet(p -> p == Phase.RUNNING || p == Phase.ACTING ? Phase.ACTING : p) == Phase.ACTING;
    }

    /**
     * Browser thread: evidence shows that the last send action sent nothing (the button was never clicked, or the
     * message is proven absent from the chat), so the call is back to "nothing sent". False when the caller already
     * abandoned it.
     */
    boolean nothingSentAfterAll() {
        return phase.compareAndSet(Phase.ACTING, Phase.RUNNING) || phase.get() == Phase.RUNNING;
    }

    /** Browser thread, when the task ends (normally or not). */
    void finish() {
        phase.getAndUpdate(p -> p == Phase.RUNNING ? Phase.FINISHED_UNSENT : p == Phase.ACTING ? Phase.FINISHED_ACTED : p);
        toCaller.add(FINISHED);
    }

    /** Caller: it gives up; returns the phase the call was in (FINISHED_* when it ended just now). */
    Phase giveUp() {
        return phase.getAndUpdate(p -> switch (p) {
            case QUEUED, RUNNING -> Phase.CALLED_OFF;
            case ACTING -> Phase.ABANDONED;
            default -> p;
        });
    }

    /** Whether the caller has stopped listening. */
    boolean callerGone() {
        Phase p = phase.get();
        return p == Phase.CALLED_OFF || p == Phase.ABANDONED;
    }

    /** Caller: the next piece of work the task handed over, {@link #FINISHED}, or null after {@code nanos}. */
    Runnable next(long nanos) throws InterruptedException {
        return nanos > 0 ? toCaller.poll(nanos, TimeUnit.NANOSECONDS) : toCaller.poll();
    }

    /**
     * Browser thread: runs {@code action} on the caller's thread and waits for it. Returns true once it ran; false
     * when the caller had given up before it took the action (it then never runs). An exception of the action is
     * thrown here.
     */
    boolean onCaller(Runnable action) {
        AtomicBoolean taken = new AtomicBoolean();
        CompletableFuture<Void> done = new CompletableFuture<>();
        toCaller.add(() -> {
            if (!taken.compareAndSet(false, true)) {
                return; // withdrawn by the task
            }
            try {
                action.run();
                done.complete(null);
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
        });
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    done.get(WAIT_SLICE_MS, TimeUnit.MILLISECONDS);
                    return true;
                } catch (TimeoutException e) {
                    if ((interrupted || callerGone()) && taken.compareAndSet(false, true)) {
                        return false;
                    }
                } catch (InterruptedException e) {
                    interrupted = true; // the transport is closing: withdraw, or wait for what already runs
                    if (taken.compareAndSet(false, true)) {
                        return false;
                    }
                } catch (ExecutionException e) {
                    Throwable c = e.getCause();
                    if (c instanceof RuntimeException re) {
                        throw re;
                    }
                    if (c instanceof Error err) {
                        throw err;
                    }
                    throw new IllegalStateException(c);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
