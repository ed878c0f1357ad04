package dev.wasched.telegram.internal;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.telegram.telegrambots.longpolling.interfaces.LongPollingUpdateConsumer;
import org.telegram.telegrambots.meta.api.objects.Update;

/**
 * Takes the updates TelegramBots polled and hands them, in order, to the controller's own single update thread
 * (TelegramBots' {@code LongPollingSingleThreadUpdateConsumer} would use one static thread shared by every bot in
 * the JVM, which never ends). When that thread falls far behind, the polling thread runs the update itself, which
 * slows polling down instead of dropping updates.
 */
public final class UpdateReceiver implements LongPollingUpdateConsumer {
    private static final Logger log = LoggerFactory.getLogger(UpdateReceiver.class);
    private final UpdateHandler handler;
    private final ThreadPoolExecutor executor;
    private final AtomicInteger lastUpdateId = new AtomicInteger();

    public UpdateReceiver(UpdateHandler handler) {
        this.handler = handler;
        this.executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(1000),
                NamedThreads.factory("updates"), (r, pool) -> {
                    if (!pool.isShutdown()) {
                        r.run();
                    } else {
                        log.debug("Update dropped: the Telegram controller is closing");
                    }
                });
    }

    @Override
    public void consume(List<Update> updates) {
        for (Update u : updates) {
            if (u.getUpdateId() != null) {
                lastUpdateId.accumulateAndGet(u.getUpdateId(), Math::max);
            }
            executor.execute(() -> handler.handle(u));
        }
    }

    /** The highest update id handed over so far (0 for none): confirmed to Telegram on close. */
    public int lastUpdateId() {
        return lastUpdateId.get();
    }

    @Override
    public void close() {
        // TelegramBots calls this when its session stops; the controller ends the thread itself (see shutdown)
    }

    /** Lets queued updates finish for up to {@code grace}, then stops the update thread. */
    public void shutdown(Duration grace) {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                executor.shutdownNow();
                executor.awaitTermination(1, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
