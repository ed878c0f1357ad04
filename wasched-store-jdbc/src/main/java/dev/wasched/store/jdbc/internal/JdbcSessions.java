package dev.wasched.store.jdbc.internal;

import dev.wasched.spi.store.Lease;
import dev.wasched.spi.store.SessionRepository;
import dev.wasched.spi.store.SessionSnapshot;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Session snapshots in {@code wasched_session}, one row per account. A replace is a single statement (an insert for
 * version 1, else an update guarded by the previous version), so readers see the old or the new snapshot, never a
 * mix. Quarantine moves the row to {@code wasched_session_quarantine} in one transaction.
 */
public final class JdbcSessions implements SessionRepository {
    private static final List<String> COLUMNS = List.of("account", "data", "sha256", "encrypted", "saved_at", "version");

    private final Db db;

    public JdbcSessions(Db db) {
        this.db = db;
    }

    static SessionSnapshot map(ResultSet rs) throws SQLException {
        return new SessionSnapshot(rs.getString("account"), rs.getBytes("data"), rs.getString("sha256"),
                rs.getBoolean("encrypted"), Sql.instant(rs, "saved_at"), rs.getLong("version"));
    }

    @Override
    public Optional<SessionSnapshot> load(String account) {
        return db.call("load session", c ->
                Sql.queryOne(c, "SELECT * FROM wasched_session WHERE account = ?", JdbcSessions::map, account));
    }

    @Override
    public Optional<Instant> savedAt(String account) {
        return db.call("read session save time", c -> Sql.queryOne(c,
                "SELECT saved_at FROM wasched_session WHERE account = ?", rs -> Sql.instant(rs, 1), account));
    }

    @Override
    public boolean replace(SessionSnapshot s) {
        return db.call("replace session", c -> {
            if (s.version() == 1) {
                // Version 1 means "none stored": it only goes in when no row exists.
                return db.dialect().insertIgnoringDuplicates(c, "wasched_session", COLUMNS, List.<Object[]>of(
                        new Object[]{s.account(), s.data(), s.sha256(), s.encrypted(), s.savedAt(), s.version()})) == 1;
            }
            return Sql.update(c, "UPDATE wasched_session SET data = ?, sha256 = ?, encrypted = ?, saved_at = ?,"
                    + " version = ? WHERE account = ? AND version = ?", s.data(), s.sha256(), s.encrypted(),
                    s.savedAt(), s.version(), s.account(), s.version() - 1) == 1;
        });
    }

    @Override
    public boolean replace(SessionSnapshot s, Lease fence) {
        List<Object> fenceParams = JdbcLeases.fenceParams(fence);
        return db.call("replace session (fenced)", c -> {
            if (s.version() == 1) {
                // An insert that selects its one row from the held lease: no lease, no row.
                List<Object> params = new ArrayList<>(List.of(s.account(), s.data(), s.sha256(), s.encrypted(),
                        s.savedAt(), s.version(), fence.epoch()));
                params.addAll(fenceParams);
                try {
                    return Sql.update(c, "INSERT INTO wasched_session (account, data, sha256, encrypted, saved_at,"
                            + " version, fence_epoch) SELECT ?, ?, ?, ?, ?, ?, ? FROM wasched_lease WHERE "
                            + JdbcLeases.HELD, params) == 1;
                } catch (SQLException e) {
                    if ("23505".equals(e.getSQLState())) {
                        return false; // a snapshot exists already
                    }
                    throw e;
                }
            }
            List<Object> params = new ArrayList<>(List.of(s.data(), s.sha256(), s.encrypted(), s.savedAt(),
                    s.version(), fence.epoch(), s.account(), s.version() - 1, fence.epoch()));
            params.addAll(fenceParams);
            return Sql.update(c, "UPDATE wasched_session SET data = ?, sha256 = ?, encrypted = ?, saved_at = ?,"
                    + " version = ?, fence_epoch = ? WHERE account = ? AND version = ? AND fence_epoch <= ? AND "
                    + JdbcLeases.FENCE, params) == 1;
        });
    }

    @Override
    public int purgeQuarantined(Instant before) {
        return db.call("purge quarantined sessions", c ->
                Sql.update(c, "DELETE FROM wasched_session_quarantine WHERE quarantined_at < ?", before));
    }

    @Override
    public void quarantine(String account, String reason, Instant now) {
        db.inTransaction("quarantine session", c -> {
            // Lock the row first so a concurrent replace cannot slip between the copy and the delete.
            if (Sql.queryOne(c, "SELECT version FROM wasched_session WHERE account = ? FOR UPDATE",
                    rs -> rs.getLong(1), account).isEmpty()) {
                return null;
            }
            Sql.update(c, "INSERT INTO wasched_session_quarantine (account, data, sha256, encrypted, saved_at, version,"
                    + " reason, quarantined_at) SELECT account, data, sha256, encrypted, saved_at, version, ?, ?"
                    + " FROM wasched_session WHERE account = ?", reason == null ? "" : reason, now, account);
            Sql.update(c, "DELETE FROM wasched_session WHERE account = ?", account);
            return null;
        });
    }

    @Override
    public int quarantinedCount(String account) {
        return db.call("count quarantined sessions", c -> Sql.queryOne(c,
                "SELECT COUNT(*) FROM wasched_session_quarantine WHERE account = ?", rs -> rs.getInt(1), account)
                .orElse(0));
    }

    @Override
    public void delete(String account) {
        db.call("delete session", c -> Sql.update(c, "DELETE FROM wasched_session WHERE account = ?", account));
    }
}
