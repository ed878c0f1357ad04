package dev.wasched.store.jdbc.internal;

import dev.wasched.spi.store.InstanceInfo;
import dev.wasched.spi.store.Lease;
import dev.wasched.spi.store.LeaseRenewal;
import dev.wasched.spi.store.LeaseRepository;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Named leases in {@code wasched_lease}, judged on the database's clock ({@code CURRENT_TIMESTAMP}). Taking a lease is
 * one guarded update (free, released or expired: a new epoch), else an insert that skips an existing row: whichever
 * of several racing instances changes the row first wins, the others see zero rows changed. A release keeps the row
 * (owner NULL), so epochs never repeat.
 */
public final class JdbcLeases implements LeaseRepository {
    /** The condition "held by this owner with this epoch, not expired", on a lease row; also used to fence writes. */
    static final String HELD = "name = ? AND lease_owner = ? AND epoch = ? AND lease_until > CURRENT_TIMESTAMP";
    /** A fence for other tables' statements: binds name, owner, epoch. */
    static final String FENCE = "EXISTS (SELECT 1 FROM wasched_lease WHERE " + HELD + ")";

    private final Db db;
    private final String renewOwn;
    private final String take;
    private final String renew;

    public JdbcLeases(Db db) {
        this.db = db;
        String until = db.dialect().nowPlusMillis();
        this.renewOwn = "UPDATE wasched_lease SET lease_until = " + until
                + " WHERE name = ? AND lease_owner = ? AND lease_until > CURRENT_TIMESTAMP";
        this.take = "UPDATE wasched_lease SET lease_owner = ?, lease_until = " + until + ", epoch = epoch + 1"
                + " WHERE name = ? AND (lease_owner IS NULL OR lease_until <= CURRENT_TIMESTAMP)";
        this.renew = "UPDATE wasched_lease SET lease_until = " + until + " WHERE " + HELD;
    }

    static List<Object> fenceParams(Lease fence) {
        return List.of(fence.name(), fence.owner(), fence.epoch());
    }

    @Override
    public Optional<Lease> acquire(String name, String owner, Duration ttl) {
        long ms = ttl.toMillis();
        return db.call("acquire lease", c -> {
            if (Sql.update(c, renewOwn, ms, name, owner) == 1 || Sql.update(c, take, owner, ms, name) == 1) {
                return epochOf(c, name, owner);
            }
            // No row yet: the first insert wins; a racer that inserted first makes ours a duplicate.
            if (db.dialect().insertIgnoringDuplicates(c, "wasched_lease", List.of("name", "lease_owner", "lease_until",
                    "epoch"), List.<Object[]>of(new Object[]{name, owner, java.time.Instant.EPOCH, 0L})) == 1) {
                return Sql.update(c, take, owner, ms, name) == 1 ? epochOf(c, name, owner) : Optional.empty();
            }
            return Optional.empty();
        });
    }

    /** The epoch of a lease this owner has just taken or renewed (nobody else can change it while it is held). */
    private static Optional<Lease> epochOf(Connection c, String name, String owner) throws SQLException {
        return Sql.queryOne(c, "SELECT epoch FROM wasched_lease WHERE name = ? AND lease_owner = ?",
                rs -> new Lease(name, owner, rs.getLong(1)), name, owner);
    }

    @Override
    public boolean renew(Lease lease, Duration ttl) {
        return db.call("renew lease", c ->
                Sql.update(c, renew, ttl.toMillis(), lease.name(), lease.owner(), lease.epoch()) == 1);
    }

    /**
     * One statement: an update that renews every held lease, whose changed rows come back marked 1, followed by the
     * leases read, marked 0.
     */
    @Override
    public LeaseRenewal renewAll(Collection<Lease> held, Duration ttl, Collection<String> read) {
        List<Object> params = new ArrayList<>();
        StringBuilder sql = new StringBuilder();
        if (!held.isEmpty()) {
            Optional<String> select = db.dialect().selectUpdated(renewal(held.size()),
                    "name, lease_owner, epoch, 1 AS renewed");
            if (select.isEmpty()) {
                return LeaseRepository.super.renewAll(held, ttl, read);
            }
            sql.append(select.get());
            params.add(ttl.toMillis());
            held.forEach(l -> params.addAll(fenceParams(l)));
        }
        if (!read.isEmpty()) {
            sql.append(sql.length() == 0 ? "" : " UNION ALL ").append(reading(read.size()));
            params.addAll(read);
        }
        if (sql.length() == 0) {
            return new LeaseRenewal(Set.of(), Map.of());
        }
        return renewalResult(sql.toString(), params, null);
    }

    /**
     * An instance's whole heartbeat in one statement where the database allows several updates in one (PostgreSQL's
     * data-modifying CTEs): the instance row's update rides along with the renewal and the reads. Elsewhere, and on an
     * instance's first beat (no row to update yet), the instance row is written by its own call.
     */
    public LeaseRenewal heartbeat(InstanceInfo instance, Collection<Lease> held, Duration ttl, Collection<String> read,
                                  JdbcInstances instances) {
        if (!db.dialect().name().equals("postgresql")) {
            instances.heartbeat(instance);
            return renewAll(held, ttl, read);
        }
        List<Object> params = new ArrayList<>(JdbcInstances.updateParams(instance));
        StringBuilder sql = new StringBuilder("WITH beat AS (" + JdbcInstances.UPDATE + " RETURNING id)");
        if (!held.isEmpty()) {
            sql.append(", updated AS (").append(renewal(held.size())).append(" RETURNING name, lease_owner, epoch)");
            params.add(ttl.toMillis());
            held.forEach(l -> params.addAll(fenceParams(l)));
        }
        sql.append(" SELECT id, CAST(NULL AS TEXT), CAST(0 AS BIGINT), 2 FROM beat");
        if (!held.isEmpty()) {
            sql.append(" UNION ALL SELECT name, lease_owner, epoch, 1 FROM updated");
        }
        if (!read.isEmpty()) {
            sql.append(" UNION ALL ").append(reading(read.size()));
            params.addAll(read);
        }
        boolean[] beat = {false};
        LeaseRenewal renewal = renewalResult(sql.toString(), params, beat);
        if (!beat[0]) {
            instances.heartbeat(instance); // the first beat: the row is inserted
        }
        return renewal;
    }

    /** Renews the leases named by {@code n} (name, owner, epoch) triples, still held; the ttl is the first parameter. */
    private String renewal(int n) {
        return "UPDATE wasched_lease SET lease_until = " + db.dialect().nowPlusMillis()
                + " WHERE lease_until > CURRENT_TIMESTAMP AND ("
                + String.join(" OR ", Collections.nCopies(n, "(name = ? AND lease_owner = ? AND epoch = ?)")) + ")";
    }

    /** Reads {@code n} leases by name, those held and not expired. */
    private static String reading(int n) {
        return "SELECT name, lease_owner, epoch, 0 AS renewed FROM wasched_lease WHERE name IN ("
                + Sql.placeholders(n) + ") AND lease_owner IS NOT NULL AND lease_until > CURRENT_TIMESTAMP";
    }

    /** Rows of (name, owner, epoch, kind): 1 renewed, 0 read, 2 the instance row's update (noted in {@code beat}). */
    private LeaseRenewal renewalResult(String sql, List<Object> params, boolean[] beat) {
        Set<Lease> renewed = new HashSet<>();
        Map<String, Lease> current = new HashMap<>();
        db.call("renew leases", c -> Sql.query(c, sql, rs -> {
            int kind = rs.getInt(4);
            if (kind == 2) {
                beat[0] = true;
                return null;
            }
            Lease l = new Lease(rs.getString(1), rs.getString(2), rs.getLong(3));
            if (kind == 1) {
                renewed.add(l);
            } else {
                current.put(l.name(), l);
            }
            return l;
        }, params));
        return new LeaseRenewal(renewed, current);
    }

    @Override
    public void release(String name, String owner) {
        db.call("release lease", c -> Sql.update(c, "UPDATE wasched_lease SET lease_owner = NULL,"
                + " lease_until = CURRENT_TIMESTAMP WHERE name = ? AND lease_owner = ?", name, owner));
    }

    @Override
    public Optional<String> owner(String name) {
        return current(name).map(Lease::owner);
    }

    @Override
    public Optional<Lease> current(String name) {
        return db.call("current lease", c -> Sql.queryOne(c, "SELECT lease_owner, epoch FROM wasched_lease"
                        + " WHERE name = ? AND lease_owner IS NOT NULL AND lease_until > CURRENT_TIMESTAMP",
                rs -> new Lease(name, rs.getString(1), rs.getLong(2)), name));
    }
}
