package dev.wasched.store.jdbc.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's change subscribers. Signals are coalesced: however many arrive while the subscribers run, they run
 * once more afterwards. Subscribers run on the feed's own thread, so a slow one never delays a database call or the
 * listening connection. The source of signals (a LISTEN connection on PostgreSQL, the in-JVM bus otherwise) runs
 * only while someone is subscribed.
 */
public final class ChangeFeed implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ChangeFeed.class);

    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final Function<ChangeFeed, AutoCloseable> source;
    private final Object lock = new Object();
    private boolean pending;
    private boolean closed;
    private Thread dispatcher;
    private AutoCloseable running;

    /** @param source starts the signal source for a feed and returns what stops it */
    public ChangeFeed(Function<ChangeFeed, AutoCloseable> source) {
        this.source = source;
    }

    public AutoCloseable subscribe(Runnable listener) {
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("the store is closed");
            }
            listeners.add(listener);
            if (dispatcher == null) {
                dispatcher = new Thread(this::dispatchLoop, "wasched-jdbc-changes");
                dispatcher.setDaemon(true);
                dispatcher.start();
            }
            if (running == null) {
                running = source.apply(this);
            }
        }
        return () -> unsubscribe(listener);
    }

    private void unsubscribe(Runnable listener) {
        AutoCloseable stop = null;
        synchronized (lock) {
            listeners.remove(listener);
            if (listeners.isEmpty()) {
                stop = running;
                running = null;
                lock.notifyAll();
            }
        }
        closeQuietly(stop);
    }

    /** Something changed: run the subscribers (once, however often this is called meanwhile). */
    public void signal() {
        synchronized (lock) {
            pending = true;
            lock.notifyAll();
        }
    }

    private void dispatchLoop() {
        while (true) {
            synchronized (lock) {
                while (!pending && !closed && !listeners.isEmpty()) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        dispatcher = null;
                        return;
                    }
                }
                if (closed || listeners.isEmpty()) {
                    // Nobody to tell: end the thread; the next subscriber starts a new one.
                    dispatcher = null;
                    return;
                }
                pending = false;
            }
            for (Runnable l : listeners) {
                try {
                    l.run();
                } catch (RuntimeException e) {
                    log.warn("a store change listener failed: {}", e.toString(), e);
                }
            }
        }
    }

    @Override
    public void close() {
        AutoCloseable stop;
        Thread t;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            listeners.clear();
            stop = running;
            running = null;
            t = dispatcher;
            lock.notifyAll();
        }
        closeQuietly(stop);
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception e) {
                log.debug("stopping the change source: {}", e.toString());
            }
        }
    }
}
