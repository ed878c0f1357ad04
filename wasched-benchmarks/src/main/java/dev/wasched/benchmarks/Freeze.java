package dev.wasched.benchmarks;

import java.util.concurrent.locks.LockSupport;

/**
 * Stands for a process that died: once {@link #kill()}ed, every thread that reaches {@link #pass()} stops there for
 * good, so a killed instance does nothing more (no statement, no send, no log line), as if its process were gone.
 * Its threads are daemons and stay parked until the JVM exits; closing the instance instead would hand its work back,
 * which a dead process cannot do.
 */
final class Freeze {
    private volatile boolean killed;

    void kill() {
        killed = true;
    }

    boolean killed() {
        return killed;
    }

    /** Returns at once while alive; after {@link #kill()} never returns. */
    void pass() {
        while (killed) {
            LockSupport.park(this);
            Thread.interrupted(); // a dead process does not react to an interrupt either
        }
    }
}
