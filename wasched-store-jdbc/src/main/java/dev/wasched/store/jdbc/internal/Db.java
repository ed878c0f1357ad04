package dev.wasched.store.jdbc.internal;

import dev.wasched.delivery.Delivery;
import dev.wasched.spi.store.StoreChange;
import dev.wasched.spi.store.StoreException;
import dev.wasched.store.jdbc.spi.SqlDialect;
import dev.wasched.store.jdbc.spi.SqlWork;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import javax.sql.DataSource;

/**
 * How the repositories reach the database: a connection per call (never held between calls, so never across a
 * transport call), an optional transaction, SQLExceptions turned into {@link StoreException}, and change
 * announcements that other store objects turn into engine wake-ups.
 */
public final class Db {
    /** The LISTEN/NOTIFY channel. Payloads say what changed (see {@link #payload}). */
    public static final String CHANNEL = "wasched_changes";
    private static final int MAX_PAYLOAD = 200;
    private static final String SCHEDULES = "schedule";
    private static final String DELIVERIES = "delivery:";
    /** Deliveries of an account with their earliest due time: {@code due:<epoch millis>:<account>}. */
    private static final String DUE = "due:";

    private final DataSource dataSource;
    private final SqlDialect dialect;
    private final boolean notifyThroughDatabase;
    private final String localBusKey;
    /** Filled by {@link #changed} during a call that cannot notify through the database; published after commit. */
    private final ThreadLocal<Set<StoreChange>> changedInCall = new ThreadLocal<>();

    public Db(DataSource dataSource, SqlDialect dialect, boolean notifyThroughDatabase, String localBusKey) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.notifyThroughDatabase = notifyThroughDatabase;
        this.localBusKey = localBusKey;
    }

    public SqlDialect dialect() {
        return dialect;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** Runs {@code work} on an auto-commit connection. */
    public <T> T call(String operation, SqlWork<T> work) {
        return run(operation, false, work);
    }

    /** Runs {@code work} in one transaction: committed when it returns, rolled back when it throws. */
    public <T> T inTransaction(String operation, SqlWork<T> work) {
        return run(operation, true, work);
    }

    private <T> T run(String operation, boolean transaction, SqlWork<T> work) {
        Set<StoreChange> changed = new LinkedHashSet<>();
        Set<StoreChange> outer = changedInCall.get();
        changedInCall.set(changed);
        T result;
        try (Connection c = dataSource.getConnection()) {
            if (!transaction) {
                if (!c.getAutoCommit()) {
                    c.setAutoCommit(true);
                }
                result = work.run(c);
            } else {
                c.setAutoCommit(false);
                try {
                    result = work.run(c);
                    c.commit();
                } catch (SQLException | RuntimeException | Error e) {
                    rollbackQuietly(c, e);
                    throw e;
                } finally {
                    c.setAutoCommit(true);
                }
            }
        } catch (SQLException e) {
            throw new StoreException(operation + " failed: " + e.getMessage(), e);
        } finally {
            changedInCall.set(outer);
        }
        if (!changed.isEmpty()) {
            LocalChangeBus.publish(localBusKey, changed);
        }
        return result;
    }

    private static void rollbackQuietly(Connection c, Throwable cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    /** Announces new deliveries: one change per account, with its earliest due time ({@link StoreChange#written}). */
    public void written(Connection c, Collection<Delivery> deliveries) throws SQLException {
        for (StoreChange change : StoreChange.written(deliveries)) {
            changed(c, change);
        }
    }

    /**
     * Announces that schedules or deliveries changed so other engines look now. On PostgreSQL this is a NOTIFY in
     * the caller's transaction (sent on commit, dropped on rollback); otherwise store objects in this JVM on the
     * same database are told once the call has committed.
     */
    public void changed(Connection c, StoreChange change) throws SQLException {
        if (notifyThroughDatabase) {
            dialect.notify(c, CHANNEL, payload(change));
        } else {
            Set<StoreChange> inCall = changedInCall.get();
            if (inCall != null) {
                inCall.add(change);
            }
        }
    }

    /**
     * The notification payload for a change: {@code schedule}; {@code delivery:} and the account; or, with the
     * earliest due time known, {@code due:}, that time in epoch milliseconds, {@code :} and the account. Cut to what a
     * notification carries (a cut one reads back as {@link StoreChange#ANYTHING}).
     */
    static String payload(StoreChange change) {
        String p = switch (change.kind()) {
            case SCHEDULES -> SCHEDULES;
            case DELIVERIES -> change.dueAt() == null ? DELIVERIES + change.account()
                    : DUE + change.dueAt().toEpochMilli() + ":" + change.account();
            case ANYTHING -> "";
        };
        return p.length() > MAX_PAYLOAD ? p.substring(0, MAX_PAYLOAD) : p;
    }

    /** The change a notification payload names; {@link StoreChange#ANYTHING} when it names none (or was cut). */
    static StoreChange change(String payload) {
        if (SCHEDULES.equals(payload)) {
            return StoreChange.SCHEDULES;
        }
        if (payload != null && payload.startsWith(DELIVERIES) && payload.length() > DELIVERIES.length()
                && payload.length() < MAX_PAYLOAD) {
            return StoreChange.deliveries(payload.substring(DELIVERIES.length()));
        }
        if (payload != null && payload.startsWith(DUE) && payload.length() < MAX_PAYLOAD) {
            int colon = payload.indexOf(':', DUE.length());
            if (colon > DUE.length() && colon < payload.length() - 1) {
                try {
                    long millis = Long.parseLong(payload.substring(DUE.length(), colon));
                    return StoreChange.deliveries(payload.substring(colon + 1), Instant.ofEpochMilli(millis));
                } catch (NumberFormatException e) {
                    return StoreChange.ANYTHING;
                }
            }
        }
        return StoreChange.ANYTHING;
    }

    /** Whether a unique or primary key was violated. */
    public boolean isUniqueViolation(SQLException e) {
        return dialect.isUniqueViolation(e);
    }
}
