package dev.wasched.internal.engine;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Named daemon threads, so a thread dump says which engine part a thread is. */
public final class Threads {
    private Threads() {
    }

    public static ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, n.getAndIncrement() == 0 ? prefix : prefix + "-" + n.get());
            t.setDaemon(true);
            return t;
        };
    }
}
