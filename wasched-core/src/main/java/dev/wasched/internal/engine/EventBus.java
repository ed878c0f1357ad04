package dev.wasched.internal.engine;

import dev.wasched.event.WaschedEvent;
import dev.wasched.event.WaschedListener;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Hands events to listeners on one engine-owned thread, so listeners never hold up sending. */
public final class EventBus implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EventBus.class);

    private final List<WaschedListener> listeners = new CopyOnWriteArrayList<>();
    private final ExecutorService executor = Executors.newSingleThreadExecutor(Threads.named("wasched-events"));

    public void add(WaschedListener listener) {
        listeners.add(listener);
    }

    public void remove(WaschedListener listener) {
        listeners.remove(listener);
    }

    public void publish(WaschedEvent event) {
        if (listeners.isEmpty() || executor.isShutdown()) {
            return;
        }
        try {
            executor.execute(() -> deliver(event));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            log.debug("event dropped after close: {}", event.getClass().getSimpleName());
        }
    }

    private void deliver(WaschedEvent event) {
        for (WaschedListener l : listeners) {
            try {
                l.onEvent(event);
            } catch (RuntimeException | Error e) {
                log.warn("listener {} failed on {}", l.getClass().getName(), event.getClass().getSimpleName(), e);
            }
        }
    }

    /** Waits until every event published so far reached the listeners (for deterministic tests). */
    public void flush() {
        if (executor.isShutdown()) {
            return;
        }
        try {
            executor.submit(() -> { }).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | java.util.concurrent.RejectedExecutionException e) {
            log.warn("event flush did not complete", e);
        }
    }

    @Override
    public void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
