package dev.wasched.store.jdbc.internal;

import dev.wasched.spi.store.LeaseRepository;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Named leases in {@code wasched_lease}. Taking a lease is one guarded update (ours, or expired), else an insert
 * that skips an existing row: whichever of several racing instances inserts or updates first wins, the others
 * see zero rows changed.
 */
public final class JdbcLeases implements LeaseRepository {
    static final String TAKE = "UPDATE wasched_lease SET lease_owner = ?, lease_until = ?"
            + " WHERE name = ? AND (lease_owner = ? OR lease_until <= ?)";

    private final Db db;

    public JdbcLeases(Db db) {
        this.db = db;
    }

    @Override
    public boolean tryAcquire(String name, String owner, Instant now, Instant until) {
        return db.call("acquire lease", c -> {
            if (Sql.update(c, TAKE, owner, until, name, owner, now) == 1) {
                return true;
            }
            return db.dialect().insertIgnoringDuplicates(c, "wasched_lease", List.of("name", "lease_owner",
                    "lease_until"), List.<Object[]>of(new Object[]{name, owner, until})) == 1;
        });
    }

    @Override
    public boolean renew(String name, String owner, Instant until) {
        return db.call("renew lease", c -> Sql.update(c,
                "UPDATE wasched_lease SET lease_until = ? WHERE name = ? AND lease_owner = ?", until, name, owner) == 1);
    }

    @Override
    public void release(String name, String owner) {
        db.call("release lease", c ->
                Sql.update(c, "DELETE FROM wasched_lease WHERE name = ? AND lease_owner = ?", name, owner));
    }

    @Override
    public Optional<String> owner(String name, Instant now) {
        return db.call("lease owner", c -> Sql.queryOne(c,
                "SELECT lease_owner FROM wasched_lease WHERE name = ? AND lease_until > ?", rs -> rs.getString(1),
                name, now));
    }
}
