package dev.wasched.examples.http;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One connection's turn on an I/O thread, with a deadline for the parts where the client sets the pace: sending the
 * request (line, headers, body) and taking the answer. A client that is still not done when the deadline passes is
 * cut off: the thread is interrupted while it waits on the socket, which closes the connection (sockets are
 * interruptible channels in the JDK's server). The thread is never interrupted while the request is being worked on,
 * so wasched and its store never see an interrupt.
 */
final class ClientIo implements Runnable {
    private static final ThreadLocal<ClientIo> CURRENT = new ThreadLocal<>();

    private enum Phase { CLIENT, SERVER, DONE, CUT_OFF }

    private final Runnable exchange;
    private final Duration timeout;
    private final ScheduledExecutorService watchdog;
    private Thread thread;
    private Phase phase = Phase.CLIENT;
    private ScheduledFuture<?> deadline;

    ClientIo(Runnable exchange, Duration timeout, ScheduledExecutorService watchdog) {
        this.exchange = exchange;
        this.timeout = timeout;
        this.watchdog = watchdog;
    }

    /** The turn running on this thread, or null outside one. */
    static ClientIo current() {
        return CURRENT.get();
    }

    @Override
    public void run() {
        synchronized (this) {
            thread = Thread.currentThread();
            deadline = watchdog.schedule(this::cutOff, timeout.toNanos(), TimeUnit.NANOSECONDS);
        }
        CURRENT.set(this);
        try {
            exchange.run();
        } finally {
            synchronized (this) {
                phase = Phase.DONE;
                deadline.cancel(false);
            }
            CURRENT.remove();
            Thread.interrupted(); // a cut-off that came as the turn ended must not reach the thread's next turn
        }
    }

    /**
     * The request is read: from now on the server works and the thread is not interrupted. False when the client
     * was cut off already (its connection is closed).
     */
    synchronized boolean serverTurn() {
        if (phase != Phase.CLIENT) {
            return false;
        }
        phase = Phase.SERVER;
        deadline.cancel(false);
        return true;
    }

    /** The answer is ready: the client has {@code timeout} to take it. False when the client was cut off already. */
    synchronized boolean clientTurn() {
        if (phase != Phase.SERVER) {
            return false;
        }
        phase = Phase.CLIENT;
        deadline = watchdog.schedule(this::cutOff, timeout.toNanos(), TimeUnit.NANOSECONDS);
        return true;
    }

    private synchronized void cutOff() {
        if (phase == Phase.CLIENT) {
            phase = Phase.CUT_OFF;
            thread.interrupt();
        }
    }
}
