package dev.wasched.store.jdbc.internal;

import dev.wasched.store.jdbc.spi.SqlDialect;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds one connection that LISTENs on the change channel and signals the feed when notifications arrive. The
 * connection comes from {@link ListenerConnections} (its own, outside the store's pool, where that can be arranged)
 * and is kept while someone is subscribed; when it breaks, the listener reconnects with a growing pause and signals
 * once after reconnecting, since notifications may have been missed.
 */
final class PgListener implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PgListener.class);
    /** How long one wait for notifications lasts; also bounds how long close() waits for the thread. */
    private static final Duration POLL = Duration.ofMillis(250);
    private static final long MAX_PAUSE_MS = 30_000;
    private static final Duration READY_WAIT = Duration.ofSeconds(5);

    private final ListenerConnections.Source connections;
    private final SqlDialect dialect;
    private final ChangeFeed feed;
    private final Thread thread;
    private final CountDownLatch listening = new CountDownLatch(1);
    private volatile boolean stopped;

    private PgListener(ListenerConnections.Source connections, SqlDialect dialect, ChangeFeed feed) {
        this.connections = connections;
        this.dialect = dialect;
        this.feed = feed;
        this.thread = new Thread(this::loop, "wasched-jdbc-listen");
        this.thread.setDaemon(true);
    }

    /**
     * Starts listening and returns once the LISTEN is in place (so a write right after subscribing is not missed),
     * or after {@code READY_WAIT} when the database cannot be reached: then engines poll until it can.
     */
    static PgListener start(ListenerConnections.Source connections, SqlDialect dialect, ChangeFeed feed) {
        PgListener l = new PgListener(connections, dialect, feed);
        l.thread.start();
        try {
            l.listening.await(READY_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return l;
    }

    private void loop() {
        long pause = 0;
        boolean first = true;
        while (!stopped) {
            try (Connection c = connections.open()) {
                c.setAutoCommit(true);
                dialect.listen(c, Db.CHANNEL);
                listening.countDown();
                if (!first || pause > 0) {
                    log.info("listening for store changes again");
                    feed.signal();
                }
                first = false;
                pause = 0;
                while (!stopped) {
                    for (String payload : dialect.awaitNotificationPayloads(c, POLL)) {
                        feed.signal(Db.change(payload));
                    }
                }
                // When the connection came from a pool, it goes back there: it must not keep listening.
                dialect.unlisten(c, Db.CHANNEL);
            } catch (SQLException | RuntimeException e) {
                if (stopped) {
                    return;
                }
                pause = pause == 0 ? 1000 : Math.min(MAX_PAUSE_MS, pause * 2);
                if (pause == 1000) {
                    log.warn("cannot listen for store changes (engines fall back to polling): {}", e.toString());
                }
                sleep(pause);
            }
        }
    }

    private void sleep(long ms) {
        long until = System.currentTimeMillis() + ms;
        while (!stopped && System.currentTimeMillis() < until) {
            try {
                Thread.sleep(Math.min(100, Math.max(1, until - System.currentTimeMillis())));
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void close() {
        stopped = true;
        if (thread != Thread.currentThread()) {
            try {
                thread.join(POLL.toMillis() * 8);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
