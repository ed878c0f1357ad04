package dev.wasched.store.mongo.internal;

import com.mongodb.MongoCommandException;
import com.mongodb.client.MongoDatabase;
import java.time.Instant;
import java.util.Date;
import org.bson.Document;

/**
 * The MongoDB server's clock, so that leases are judged on one clock for all instances whatever their own clocks say.
 * The server reports its time in the handshake answer ({@code localTime} of {@code isMaster} / {@code hello}); the
 * offset to this JVM's clock is measured on each lease operation (which asks the server anyway, once per heartbeat)
 * and at least every {@link #REFRESH_NANOS}, so a fence check in between costs no extra round trip. The offset is
 * taken at the start of the round trip, so the estimate errs early, never late.
 */
public final class ServerClock {
    private static final long REFRESH_NANOS = 2_000_000_000L;

    private final MongoDatabase db;
    private volatile long serverMillis;
    private volatile long measuredAt;
    private volatile boolean measured;
    private volatile boolean useHello;

    public ServerClock(MongoDatabase db) {
        this.db = db;
    }

    /** The server's time now, measured afresh. */
    public Instant measure() {
        long before = System.nanoTime();
        Document answer;
        try {
            answer = db.runCommand(new Document(useHello ? "hello" : "isMaster", 1));
        } catch (MongoCommandException e) {
            if (useHello) {
                throw e;
            }
            useHello = true; // a server that dropped the old handshake command
            answer = db.runCommand(new Document("hello", 1));
        }
        Date server = answer.getDate("localTime");
        if (server == null) {
            throw new IllegalStateException("the MongoDB server did not report its time (localTime)");
        }
        serverMillis = server.getTime();
        measuredAt = before;
        measured = true;
        return server.toInstant();
    }

    /**
     * The server's time now: measured when the last measurement is old, else the last one plus the time passed since
     * on this JVM's monotonic clock (a step of this machine's wall clock does not move it).
     */
    public Instant now() {
        if (!measured || System.nanoTime() - measuredAt > REFRESH_NANOS) {
            return measure();
        }
        return Instant.ofEpochMilli(serverMillis + (System.nanoTime() - measuredAt) / 1_000_000);
    }
}
