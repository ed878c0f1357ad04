package dev.wasched.telegram.internal;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Daemon threads named {@code wasched-telegram-<part>-<n>}, so a thread dump (and a leak test) can tell them. */
public final class NamedThreads {
    /** The prefix of every thread the controller starts. */
    public static final String PREFIX = "wasched-telegram-";

    private NamedThreads() {
    }

    public static ThreadFactory factory(String part) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, PREFIX + part + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
