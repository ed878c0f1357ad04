package dev.wasched.store.jdbc.internal;

import dev.wasched.spi.store.StoreChange;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's change subscribers. Signals are coalesced: however many arrive while the subscribers run, they run
 * once more afterwards, with each distinct change that arrived (past {@code MAX_PENDING} of them, one
 * {@link StoreChange#ANYTHING} instead). Subscribers run on the feed's own thread, so a slow one never delays a database call or the
 * listening connection. The source of signals (a LISTEN connection on PostgreSQL, the in-JVM bus otherwise) runs
 * only while someone is subscribed.
 */
public final class ChangeFeed implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ChangeFeed.class);

    private static final int MAX_PENDING = 1000;

    private final List<Consumer<Collection<StoreChange>>> listeners = new CopyOnWriteArrayList<>();
    private final Function<ChangeFeed, AutoCloseable> source;
    private final Object lock = new Object();
    private Set<StoreChange> pending = new LinkedHashSet<>();
    private boolean closed;
    private Thread dispatcher;
    private AutoCloseable running;

    /** @param source starts the signal source for a feed and returns what stops it */
    public ChangeFeed(Function<ChangeFeed, AutoCloseable> source) {
        this.source = source;
    }

    /** Calls {@code listener} once for each batch of changes. */
    public AutoCloseable subscribe(Runnable listener) {
        return subscribe((Consumer<Collection<StoreChange>>) changes -> listener.run());
    }

    /** Calls {@code listener} for each distinct change of each batch. */
    public AutoCloseable subscribeToEach(Consumer<StoreChange> listener) {
        return subscribe((Consumer<Collection<StoreChange>>) changes -> changes.forEach(listener));
    }

    private AutoCloseable subscribe(Consumer<Collection<StoreChange>> listener) {
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

    private void unsubscribe(Consumer<Collection<StoreChange>> listener) {
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

    /** Something changed, the source cannot tell what: run the subscribers. */
    public void signal() {
        signal(StoreChange.ANYTHING);
    }

    /** {@code change} happened: run the subscribers (once, however often this is called meanwhile). */
    public void signal(StoreChange change) {
        synchronized (lock) {
            if (pending.size() < MAX_PENDING) {
                pending.add(change);
            } else {
                pending = new LinkedHashSet<>(Set.of(StoreChange.ANYTHING));
            }
            lock.notifyAll();
        }
    }

    private void dispatchLoop() {
        while (true) {
            Set<StoreChange> changes;
            synchronized (lock) {
                while (pending.isEmpty() && !closed && !listeners.isEmpty()) {
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
                changes = pending;
                pending = new LinkedHashSet<>();
            }
            for (Consumer<Collection<StoreChange>> l : listeners) {
                try {
                    l.accept(changes);
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
