package dev.wasched.store.jdbc.spi;

import dev.wasched.store.jdbc.internal.H2Dialect;
import dev.wasched.store.jdbc.internal.PostgresDialect;
import dev.wasched.store.jdbc.internal.VersionedUpdates;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * What differs between databases for the JDBC store: the schema scripts, the migration lock, inserting while
 * ignoring duplicates, claiming rows atomically, and change notifications. Everything else the store does is
 * plain parameterised SQL that every supported database understands.
 *
 * <p>{@link #detect(DatabaseMetaData)} picks {@link #postgres()} or {@link #h2()} from the connection metadata;
 * {@code JdbcStore.builder(dataSource).dialect(...)} overrides it. Implementations are stateless and thread-safe.
 */
public interface SqlDialect {
    /** Short lower-case name; also the folder of the migration scripts, {@code db/wasched/<name>/}. */
    String name();

    /**
     * The schema migration scripts as class-path resources, in version order. Names follow Flyway's
     * {@code V<version>__<description>.sql}, so hosts that run their own migrations can point Flyway at the folder.
     */
    List<String> migrations();

    /**
     * An SQL expression for the database's current time plus a number of milliseconds bound to its one {@code ?}:
     * leases are judged on the database's clock, so instances whose clocks differ agree on when one ends.
     */
    String nowPlusMillis();

    /** Whether DDL is transactional, so each migration script can run in one transaction. */
    boolean transactionalDdl();

    /**
     * Runs {@code work} while holding a lock that keeps other store instances (in this or other processes) from
     * migrating the same schema at the same time. Blocks until the lock is free.
     */
    <T> T withMigrationLock(DataSource dataSource, SqlWork<T> work) throws SQLException;

    /**
     * Inserts {@code rows} into {@code table}, silently skipping every row that would break the primary key or a
     * unique key. Runs on the caller's connection and in its transaction, if any.
     *
     * @param rows one array of values per row, in the order of {@code columns}
     * @return how many rows were inserted
     */
    int insertIgnoringDuplicates(Connection connection, String table, List<String> columns, List<Object[]> rows)
            throws SQLException;

    /**
     * Claims rows so that no row is claimed by two callers, even from several processes. The connection is in
     * auto-commit mode; what was claimed is committed when this returns.
     *
     * @return the claimed rows as stored after the change, in the claim's order
     */
    <T> List<T> claim(Connection connection, ClaimStatement claim, RowMapper<T> mapper) throws SQLException;

    /**
     * Writes several rows of {@code table} at once, each to its own values, with optimistic locking: a row is written
     * only where its stored {@code version} is one below the new one it carries. {@code columns} name the values of
     * each row and include {@code id} and {@code version}; the other columns are the ones written. Runs on the caller's
     * connection and in its transaction. The default is one JDBC batch of single-row updates; a database that can
     * join the new values in one statement saves the per-statement work of each row.
     *
     * @param rows one array of values per row, in the order of {@code columns}; an id may appear more than once, and
     *             its rows are then applied in list order
     * @return for each row, whether it was written
     */
    default boolean[] updateVersioned(Connection connection, String table, List<String> columns, List<Object[]> rows)
            throws SQLException {
        return VersionedUpdates.inBatch(connection, table, columns, rows);
    }

    /**
     * A query whose rows are {@code columns} of the rows {@code update} changed, as they are after it, written so that
     * {@code UNION ALL SELECT …} can follow it: one statement that writes and reads. Empty when the database cannot;
     * the store then makes several statements instead.
     */
    default Optional<String> selectUpdated(String update, String columns) {
        return Optional.empty();
    }

    /** Whether the exception (or one chained to it) reports a violated primary or unique key. */
    default boolean isUniqueViolation(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s) {
                for (SQLException n = s; n != null; n = n.getNextException()) {
                    if ("23505".equals(n.getSQLState())) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** Whether {@link #notify}, {@link #listen} and {@link #awaitNotifications} reach other processes. */
    default boolean supportsNotifications() {
        return false;
    }

    /** Announces a change on {@code channel}; delivered to listeners when the connection's transaction commits. */
    default void notify(Connection connection, String channel, String payload) throws SQLException {
        throw new SQLFeatureNotSupportedException(name() + " has no notifications");
    }

    /** Makes this connection receive the notifications of {@code channel}. */
    default void listen(Connection connection, String channel) throws SQLException {
        throw new SQLFeatureNotSupportedException(name() + " has no notifications");
    }

    /** Stops this connection's notifications, so it can go back to a pool. */
    default void unlisten(Connection connection, String channel) throws SQLException {
        throw new SQLFeatureNotSupportedException(name() + " has no notifications");
    }

    /**
     * Waits up to {@code timeout} for notifications on a connection that {@link #listen listens}.
     *
     * @return how many arrived (0 after the timeout)
     */
    default int awaitNotifications(Connection connection, Duration timeout) throws SQLException {
        throw new SQLFeatureNotSupportedException(name() + " has no notifications");
    }

    /**
     * Like {@link #awaitNotifications}, returning the payload of each notification that arrived (an empty list after
     * the timeout), so a listener can tell what changed. The default reports null payloads: "something changed".
     */
    default List<String> awaitNotificationPayloads(Connection connection, Duration timeout) throws SQLException {
        return java.util.Collections.nCopies(awaitNotifications(connection, timeout), null);
    }

    /** PostgreSQL (9.5 or later): {@code SKIP LOCKED} claims, advisory-lock migrations, LISTEN/NOTIFY. */
    static SqlDialect postgres() {
        return PostgresDialect.INSTANCE;
    }

    /** H2 (2.x): optimistic claims by version, a row lock for migrations, no cross-process notifications. */
    static SqlDialect h2() {
        return H2Dialect.INSTANCE;
    }

    /** The dialect for the database behind the metadata, or empty when none fits. */
    static Optional<SqlDialect> detect(DatabaseMetaData metadata) throws SQLException {
        String product = metadata.getDatabaseProductName().toLowerCase(Locale.ROOT);
        if (product.contains("postgresql")) {
            return Optional.of(postgres());
        }
        if (product.equals("h2")) {
            return Optional.of(h2());
        }
        return Optional.empty();
    }
}
