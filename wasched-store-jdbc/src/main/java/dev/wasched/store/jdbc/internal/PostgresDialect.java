package dev.wasched.store.jdbc.internal;

import dev.wasched.store.jdbc.spi.ClaimStatement;
import dev.wasched.store.jdbc.spi.RowMapper;
import dev.wasched.store.jdbc.spi.SqlDialect;
import dev.wasched.store.jdbc.spi.SqlWork;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * PostgreSQL: a claim is one statement ({@code FOR UPDATE SKIP LOCKED}, so concurrent claimers take different rows
 * instead of waiting for each other), duplicates are skipped with {@code ON CONFLICT DO NOTHING}, migrations are
 * serialised with an advisory lock, and changes are announced with NOTIFY.
 */
public final class PostgresDialect implements SqlDialect {
    public static final PostgresDialect INSTANCE = new PostgresDialect();

    /** Advisory lock key for migrations: "wasched" in ASCII, so it is recognisable in pg_locks. */
    static final long MIGRATION_LOCK_KEY = 0x77617363686564L;
    /** PostgreSQL allows 65535 bind parameters per statement; stay well below. */
    private static final int MAX_PARAMS = 30_000;
    private static final Pattern CHANNEL = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private PostgresDialect() {
    }

    @Override
    public String name() {
        return "postgresql";
    }

    @Override
    public String nowPlusMillis() {
        return "CURRENT_TIMESTAMP + ? * INTERVAL '1 millisecond'";
    }

    @Override
    public Optional<String> selectUpdated(String update, String columns) {
        return Optional.of("WITH updated AS (" + update + " RETURNING " + columns + ") SELECT " + columns
                + " FROM updated");
    }

    @Override
    public List<String> migrations() {
        return List.of("db/wasched/postgresql/V1__init.sql", "db/wasched/postgresql/V2__fencing.sql",
                "db/wasched/postgresql/V3__delivery_expiry.sql", "db/wasched/postgresql/V4__lean_indexes.sql",
                "db/wasched/postgresql/V5__hot_updates.sql", "db/wasched/postgresql/V6__inbound.sql",
                "db/wasched/postgresql/V7__replied.sql", "db/wasched/postgresql/V8__dismissed.sql",
                "db/wasched/postgresql/V9__webhooks.sql", "db/wasched/postgresql/V10__accounts.sql",
                "db/wasched/postgresql/V11__access.sql");
    }

    @Override
    public boolean transactionalDdl() {
        return true;
    }

    @Override
    public <T> T withMigrationLock(DataSource dataSource, SqlWork<T> work) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            // Session-level lock: it survives the commits of the scripts and ends at the latest with the session.
            Sql.query(c, "SELECT pg_advisory_lock(?)", rs -> null, MIGRATION_LOCK_KEY);
            try {
                return work.run(c);
            } finally {
                if (!c.getAutoCommit()) {
                    c.rollback();
                    c.setAutoCommit(true);
                }
                Sql.query(c, "SELECT pg_advisory_unlock(?)", rs -> null, MIGRATION_LOCK_KEY);
            }
        }
    }

    @Override
    public int insertIgnoringDuplicates(Connection c, String table, List<String> columns, List<Object[]> rows)
            throws SQLException {
        if (rows.isEmpty()) {
            return 0;
        }
        // Multi-row VALUES: one round trip per chunk, and the command's row count is exactly the rows inserted.
        int perChunk = Math.max(1, MAX_PARAMS / columns.size());
        String row = "(" + Sql.placeholders(columns.size()) + ")";
        int inserted = 0;
        for (int from = 0; from < rows.size(); from += perChunk) {
            List<Object[]> chunk = rows.subList(from, Math.min(rows.size(), from + perChunk));
            String sql = "INSERT INTO " + table + " (" + String.join(", ", columns) + ") VALUES "
                    + String.join(", ", java.util.Collections.nCopies(chunk.size(), row)) + " ON CONFLICT DO NOTHING";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                int i = 1;
                for (Object[] values : chunk) {
                    for (Object v : values) {
                        Sql.bind(ps, i++, v);
                    }
                }
                inserted += ps.executeUpdate();
            }
        }
        return inserted;
    }

    /** One statement joining the new values: the per-row work of a batch (bind, plan, execute) is paid once. */
    @Override
    public boolean[] updateVersioned(Connection c, String table, List<String> columns, List<Object[]> rows)
            throws SQLException {
        return VersionedUpdates.joined(c, table, columns, rows);
    }

    /**
     * {@code UPDATE … WHERE id = ANY (ARRAY(SELECT … LIMIT n FOR UPDATE SKIP LOCKED)) RETURNING …}, wrapped so the
     * rows come back in claim order (RETURNING itself has none). {@code = ANY (ARRAY(…))} rather than
     * {@code IN (…)}: the candidates become one array computed first, so the update is always a primary-key probe;
     * with {@code IN} the generic plan of the prepared statement may hash-join against a scan of the whole table.
     * A split claim picks the candidates once, with its condition judged per candidate, and updates each side by
     * its own assignments: two updates of disjoint rows in one statement.
     */
    static String claimSql(ClaimStatement claim) {
        String candidates = " FROM " + claim.table() + " WHERE " + claim.where() + " ORDER BY " + claim.orderBy()
                + " LIMIT ? FOR UPDATE SKIP LOCKED";
        if (claim.split() == null) {
            return "WITH claimed AS (" + update(claim.table(), claim.set(), "SELECT id" + candidates) + ")"
                    + " SELECT * FROM claimed ORDER BY " + claim.orderBy();
        }
        return "WITH picked AS (SELECT id, COALESCE((" + claim.split().condition() + "), FALSE) AS chosen"
                + candidates + ")," + splitUpdates(claim.table(), claim.set(), claim.split().otherSet(), claim.orderBy());
    }

    /**
     * The end of a split claim, after a CTE {@code picked (id, chosen)}: the chosen rows updated by {@code set}, the
     * others by {@code otherSet}, all returned in {@code orderBy} order. Binds the parameters of {@code set}, then of
     * {@code otherSet}.
     */
    static String splitUpdates(String table, String set, String otherSet, String orderBy) {
        return " chosen AS (" + update(table, set, "SELECT id FROM picked WHERE chosen") + "),"
                + " other AS (" + update(table, otherSet, "SELECT id FROM picked WHERE NOT chosen")
                + ") SELECT * FROM chosen UNION ALL SELECT * FROM other ORDER BY " + orderBy;
    }

    private static String update(String table, String set, String ids) {
        return "UPDATE " + table + " SET " + set + ", version = version + 1 WHERE id = ANY (ARRAY(" + ids + "))"
                + " RETURNING *";
    }

    /** The parameters of {@link #claimSql} in binding order. */
    static List<Object> claimParams(ClaimStatement claim) {
        List<Object> params = new ArrayList<>();
        if (claim.split() == null) {
            params.addAll(claim.setParams());
        } else {
            params.addAll(claim.split().conditionParams());
        }
        params.addAll(claim.whereParams());
        params.add(claim.limit());
        if (claim.split() != null) {
            params.addAll(claim.setParams());
            params.addAll(claim.split().otherSetParams());
        }
        return params;
    }

    @Override
    public <T> List<T> claim(Connection c, ClaimStatement claim, RowMapper<T> mapper) throws SQLException {
        return Sql.query(c, claimSql(claim), mapper, claimParams(claim));
    }

    @Override
    public boolean supportsNotifications() {
        return true;
    }

    @Override
    public void notify(Connection c, String channel, String payload) throws SQLException {
        Sql.query(c, "SELECT pg_notify(?, ?)", rs -> null, channel, payload);
    }

    @Override
    public void listen(Connection c, String channel) throws SQLException {
        if (!CHANNEL.matcher(channel).matches()) {
            throw new IllegalArgumentException("channel must be a plain lower-case identifier: " + channel);
        }
        // LISTEN takes an identifier, not a parameter; the name was checked above.
        try (Statement s = c.createStatement()) {
            s.execute("LISTEN " + channel);
        }
    }

    @Override
    public void unlisten(Connection c, String channel) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("UNLISTEN *");
        }
        // Drop what arrived meanwhile, so the next borrower of the connection does not inherit it.
        PgNotifications.drain(c);
    }

    @Override
    public int awaitNotifications(Connection c, Duration timeout) throws SQLException {
        return PgNotifications.await(c, (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis())));
    }

    @Override
    public List<String> awaitNotificationPayloads(Connection c, Duration timeout) throws SQLException {
        return PgNotifications.payloads(c, (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis())));
    }

    /** Kept apart so the PostgreSQL driver is only needed once notifications are used. */
    private static final class PgNotifications {
        static int await(Connection c, int millis) throws SQLException {
            return payloads(c, millis).size();
        }

        static List<String> payloads(Connection c, int millis) throws SQLException {
            org.postgresql.PGNotification[] got = c.unwrap(org.postgresql.PGConnection.class).getNotifications(millis);
            List<String> payloads = new ArrayList<>();
            if (got != null) {
                for (org.postgresql.PGNotification n : got) {
                    payloads.add(n.getParameter());
                }
            }
            return payloads;
        }

        static void drain(Connection c) throws SQLException {
            c.unwrap(org.postgresql.PGConnection.class).getNotifications();
        }
    }

    @Override
    public String toString() {
        return "PostgresDialect";
    }
}
