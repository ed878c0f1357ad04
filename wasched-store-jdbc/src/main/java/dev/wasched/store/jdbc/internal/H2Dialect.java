package dev.wasched.store.jdbc.internal;

import dev.wasched.store.jdbc.spi.ClaimStatement;
import dev.wasched.store.jdbc.spi.RowMapper;
import dev.wasched.store.jdbc.spi.SqlDialect;
import dev.wasched.store.jdbc.spi.SqlWork;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * H2 2.x: claims are optimistic (read candidates, then {@code UPDATE … WHERE id = ? AND version = ?} each and keep
 * the ones that succeeded), duplicates are skipped row by row (H2 rolls back only the failed statement), and
 * migrations are serialised with a row lock held by a second connection, because H2 commits on every DDL statement.
 */
public final class H2Dialect implements SqlDialect {
    public static final H2Dialect INSTANCE = new H2Dialect();

    /** H2's error code for "timeout trying to lock table". */
    private static final int LOCK_TIMEOUT = 50200;
    private static final long MIGRATION_LOCK_WAIT_MS = 120_000;
    /** Rounds of re-reading candidates when other claimers took the ones we read. */
    private static final int CLAIM_ROUNDS = 4;

    private H2Dialect() {
    }

    @Override
    public String name() {
        return "h2";
    }

    @Override
    public String nowPlusMillis() {
        return "DATEADD(MILLISECOND, ?, CURRENT_TIMESTAMP)";
    }

    @Override
    public Optional<String> selectUpdated(String update, String columns) {
        return Optional.of("SELECT " + columns + " FROM FINAL TABLE (" + update + ")");
    }

    @Override
    public List<String> migrations() {
        return List.of("db/wasched/h2/V1__init.sql", "db/wasched/h2/V2__fencing.sql",
                "db/wasched/h2/V3__delivery_expiry.sql", "db/wasched/h2/V4__lean_indexes.sql",
                "db/wasched/h2/V5__hot_updates.sql", "db/wasched/h2/V6__inbound.sql",
                "db/wasched/h2/V7__replied.sql", "db/wasched/h2/V8__dismissed.sql",
                "db/wasched/h2/V9__webhooks.sql", "db/wasched/h2/V10__accounts.sql",
                "db/wasched/h2/V11__access.sql");
    }

    @Override
    public boolean transactionalDdl() {
        return false;
    }

    @Override
    public <T> T withMigrationLock(DataSource dataSource, SqlWork<T> work) throws SQLException {
        try (Connection lock = dataSource.getConnection()) {
            lock.setAutoCommit(true);
            Sql.update(lock, "CREATE TABLE IF NOT EXISTS wasched_schema_lock (id INTEGER PRIMARY KEY)");
            insertIgnoringDuplicates(lock, "wasched_schema_lock", List.of("id"), List.<Object[]>of(new Object[]{1}));
            lock.setAutoCommit(false);
            try {
                lockRow(lock);
                try (Connection c = dataSource.getConnection()) {
                    c.setAutoCommit(true);
                    return work.run(c);
                }
            } finally {
                lock.rollback();
                lock.setAutoCommit(true);
            }
        }
    }

    private static void lockRow(Connection lock) throws SQLException {
        long deadline = System.currentTimeMillis() + MIGRATION_LOCK_WAIT_MS;
        while (true) {
            try {
                Sql.query(lock, "SELECT id FROM wasched_schema_lock WHERE id = 1 FOR UPDATE", rs -> null);
                return;
            } catch (SQLException e) {
                // Another instance is migrating; its scripts are short, so wait for it rather than fail.
                if (e.getErrorCode() != LOCK_TIMEOUT || System.currentTimeMillis() > deadline) {
                    throw e;
                }
            }
        }
    }

    @Override
    public int insertIgnoringDuplicates(Connection c, String table, List<String> columns, List<Object[]> rows)
            throws SQLException {
        if (rows.isEmpty()) {
            return 0;
        }
        String sql = "INSERT INTO " + table + " (" + String.join(", ", columns) + ") VALUES ("
                + Sql.placeholders(columns.size()) + ")";
        int inserted = 0;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (Object[] values : rows) {
                for (int i = 0; i < values.length; i++) {
                    Sql.bind(ps, i + 1, values[i]);
                }
                try {
                    inserted += ps.executeUpdate();
                } catch (SQLException e) {
                    if (!isUniqueViolation(e)) {
                        throw e;
                    }
                }
            }
        }
        return inserted;
    }

    @Override
    public <T> List<T> claim(Connection c, ClaimStatement claim, RowMapper<T> mapper) throws SQLException {
        ClaimStatement.Split split = claim.split();
        String chosen = split == null ? "1" : "CASE WHEN " + split.condition() + " THEN 1 ELSE 0 END";
        String select = "SELECT id, version, " + chosen + " FROM " + claim.table() + " WHERE " + claim.where()
                + " ORDER BY " + claim.orderBy() + " LIMIT ?";
        List<String> claimed = new ArrayList<>();
        try (PreparedStatement take = c.prepareStatement(versionedUpdate(claim, claim.set()));
             PreparedStatement other = split == null ? null
                     : c.prepareStatement(versionedUpdate(claim, split.otherSet()))) {
            for (int round = 0; round < CLAIM_ROUNDS && claimed.size() < claim.limit(); round++) {
                List<Object> params = new ArrayList<>(split == null ? List.of() : split.conditionParams());
                params.addAll(claim.whereParams());
                params.add(claim.limit() - claimed.size());
                boolean lostAny = false;
                for (Object[] row : Sql.query(c, select,
                        rs -> new Object[]{rs.getString(1), rs.getLong(2), rs.getInt(3) == 1}, params)) {
                    boolean taken = (Boolean) row[2];
                    PreparedStatement up = taken ? take : other;
                    int i = 1;
                    for (Object v : taken ? claim.setParams() : split.otherSetParams()) {
                        Sql.bind(up, i++, v);
                    }
                    Sql.bind(up, i++, row[0]);
                    Sql.bind(up, i++, row[1]);
                    for (Object v : claim.whereParams()) {
                        Sql.bind(up, i++, v);
                    }
                    if (up.executeUpdate() == 1) {
                        claimed.add((String) row[0]);
                    } else {
                        lostAny = true;
                    }
                }
                if (!lostAny) {
                    break;
                }
            }
        }
        if (claimed.isEmpty()) {
            return List.of();
        }
        return Sql.query(c, "SELECT * FROM " + claim.table() + " WHERE id IN (" + Sql.placeholders(claimed.size())
                + ") ORDER BY " + claim.orderBy(), mapper, claimed);
    }

    /** The condition is checked again so a row that changed without a version bump is not taken. */
    private static String versionedUpdate(ClaimStatement claim, String set) {
        return "UPDATE " + claim.table() + " SET " + set + ", version = version + 1 WHERE id = ? AND version = ? AND ("
                + claim.where() + ")";
    }

    @Override
    public String toString() {
        return "H2Dialect";
    }
}
