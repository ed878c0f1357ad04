package dev.wasched.store.jdbc.internal;

import dev.wasched.spi.store.PacingRepository;
import dev.wasched.spi.store.PacingState;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** Pacing state in {@code wasched_pacing}, one row per account, compare-and-set on version. */
public final class JdbcPacing implements PacingRepository {
    private static final List<String> COLUMNS = List.of("account", "next_allowed_at", "hour_start", "hour_count",
            "day_start", "day_count", "new_contact_count", "version");

    private final Db db;

    public JdbcPacing(Db db) {
        this.db = db;
    }

    @Override
    public Optional<PacingState> load(String account) {
        return db.call("load pacing", c -> Sql.queryOne(c, "SELECT * FROM wasched_pacing WHERE account = ?",
                rs -> new PacingState(rs.getString("account"), Sql.instant(rs, "next_allowed_at"),
                        Sql.instant(rs, "hour_start"), rs.getInt("hour_count"), Sql.instant(rs, "day_start"),
                        rs.getInt("day_count"), rs.getInt("new_contact_count"), rs.getLong("version")), account));
    }

    @Override
    public boolean save(PacingState p) {
        return db.call("save pacing", c -> save(c, p));
    }

    /** Saves on the caller's connection (inside its transaction), compare-and-set on version. */
    boolean save(Connection c, PacingState p) throws SQLException {
        if (p.version() == 1) {
            return db.dialect().insertIgnoringDuplicates(c, "wasched_pacing", COLUMNS, List.<Object[]>of(
                    new Object[]{p.account(), p.nextAllowedAt(), p.hourStart(), p.hourCount(), p.dayStart(),
                            p.dayCount(), p.newContactCount(), p.version()})) == 1;
        }
        return Sql.update(c, "UPDATE wasched_pacing SET next_allowed_at = ?, hour_start = ?, hour_count = ?,"
                + " day_start = ?, day_count = ?, new_contact_count = ?, version = ?"
                + " WHERE account = ? AND version = ?", p.nextAllowedAt(), p.hourStart(), p.hourCount(),
                p.dayStart(), p.dayCount(), p.newContactCount(), p.version(), p.account(), p.version() - 1) == 1;
    }
}
