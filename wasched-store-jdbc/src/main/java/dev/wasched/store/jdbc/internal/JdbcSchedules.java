package dev.wasched.store.jdbc.internal;

import dev.wasched.Page;
import dev.wasched.PageRequest;
import dev.wasched.delivery.Delivery;
import dev.wasched.schedule.Schedule;
import dev.wasched.spi.store.DuplicateKeyException;
import dev.wasched.spi.store.ScheduleRepository;
import dev.wasched.spi.store.StoreCodec;
import dev.wasched.spi.store.StoreChange;
import dev.wasched.store.jdbc.spi.ClaimStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Schedules in {@code wasched_schedule}; fan-out writes deliveries and the advanced schedule in one transaction. */
public final class JdbcSchedules implements ScheduleRepository {
    static final List<String> COLUMN_LIST = List.of("id", "name", "account", "target", "message", "fire_trigger",
            "misfire", "end_at", "max_runs", "paused", "next_fire_at", "runs", "skipped_runs", "lease_owner",
            "lease_until", "created_at", "updated_at", "version", "accounts");
    static final String COLUMNS = String.join(", ", COLUMN_LIST);
    static final String INSERT = "INSERT INTO wasched_schedule (" + COLUMNS + ") VALUES ("
            + Sql.placeholders(COLUMN_LIST.size()) + ")";
    /** An edit, a claim or a fan-out changes any column but these two, which the insert wrote once. */
    static final List<String> MUTABLE = COLUMN_LIST.stream()
            .filter(col -> !col.equals("id") && !col.equals("created_at")).toList();
    static final String UPDATE = "UPDATE wasched_schedule SET " + Sql.assignments(MUTABLE)
            + " WHERE id = ? AND version = ?";
    /** Due, not paused, lease free or expired. Matches the partial index wasched_schedule_due_idx on PostgreSQL. */
    static final String DUE = "NOT paused AND next_fire_at IS NOT NULL AND next_fire_at <= ?"
            + " AND (lease_until IS NULL OR lease_until <= ?)";
    static final String EARLIEST = "SELECT MIN(next_fire_at) FROM wasched_schedule"
            + " WHERE NOT paused AND next_fire_at IS NOT NULL";

    private final Db db;
    private final JdbcDeliveries deliveries;

    public JdbcSchedules(Db db, JdbcDeliveries deliveries) {
        this.db = db;
        this.deliveries = deliveries;
    }

    static Schedule map(ResultSet rs) throws SQLException {
        return Schedule.builder().id(rs.getString("id")).name(rs.getString("name")).account(rs.getString("account"))
                .target(StoreCodec.target(rs.getString("target"))).message(StoreCodec.message(rs.getString("message")))
                .trigger(StoreCodec.trigger(rs.getString("fire_trigger")))
                .misfire(StoreCodec.misfire(rs.getString("misfire"))).endAt(Sql.instant(rs, "end_at"))
                .maxRuns(rs.getLong("max_runs")).paused(rs.getBoolean("paused"))
                .nextFireAt(Sql.instant(rs, "next_fire_at")).runs(rs.getLong("runs"))
                .skippedRuns(rs.getLong("skipped_runs")).leaseOwner(rs.getString("lease_owner"))
                .leaseUntil(Sql.instant(rs, "lease_until")).createdAt(Sql.instant(rs, "created_at"))
                .updatedAt(Sql.instant(rs, "updated_at")).version(rs.getLong("version"))
                .accounts(StoreCodec.accounts(rs.getString("accounts"))).build();
    }

    /** Every column, in {@link #COLUMN_LIST} order. */
    private static Object[] values(Schedule s) {
        return new Object[]{s.id(), s.name(), s.account(), StoreCodec.target(s.target()),
                StoreCodec.message(s.message()), StoreCodec.trigger(s.trigger()), StoreCodec.misfire(s.misfire()),
                s.endAt(), s.maxRuns(), s.paused(), s.nextFireAt(), s.runs(), s.skippedRuns(), s.leaseOwner(),
                s.leaseUntil(), s.createdAt(), s.updatedAt(), s.version(), StoreCodec.accounts(s)};
    }

    private static List<Object> updateParams(Schedule s) {
        List<Object> p = Sql.pick(COLUMN_LIST, values(s), MUTABLE);
        p.add(s.id());
        p.add(s.version() - 1);
        return p;
    }

    @Override
    public void insert(Schedule s) {
        db.call("insert schedule", c -> {
            insert(c, s);
            return null;
        });
    }

    /**
     * A new schedule and the deliveries of its first occurrences, in one transaction: a one-time message to listed
     * contacts due soon is written whole, never as a schedule without its deliveries.
     */
    public void insertWithDeliveries(Schedule s, List<Delivery> list) {
        db.inTransaction("insert schedule with deliveries", c -> {
            insert(c, s);
            if (deliveries.insertAll(c, list) > 0) {
                db.written(c, list);
            }
            return null;
        });
    }

    private void insert(Connection c, Schedule s) throws SQLException {
        try {
            Sql.update(c, INSERT, values(s));
        } catch (SQLException e) {
            if (db.isUniqueViolation(e)) {
                throw new DuplicateKeyException("schedule " + s.id() + " exists");
            }
            throw e;
        }
        if (s.nextFireAt() != null) {
            db.changed(c, StoreChange.SCHEDULES); // one written whole (its deliveries with it) is no scheduler's work
        }
    }

    @Override
    public boolean update(Schedule s) {
        return db.call("update schedule", c -> {
            boolean ok = Sql.update(c, UPDATE, updateParams(s)) == 1;
            if (ok) {
                db.changed(c, StoreChange.SCHEDULES);
            }
            return ok;
        });
    }

    @Override
    public Optional<Schedule> findById(String id) {
        return db.call("find schedule", c ->
                Sql.queryOne(c, "SELECT * FROM wasched_schedule WHERE id = ?", JdbcSchedules::map, id));
    }

    @Override
    public boolean delete(String id) {
        return db.call("delete schedule", c -> Sql.update(c, "DELETE FROM wasched_schedule WHERE id = ?", id) > 0);
    }

    @Override
    public Page<Schedule> list(PageRequest page) {
        return db.call("list schedules", c -> Page.of(Sql.query(c,
                "SELECT * FROM wasched_schedule WHERE id > ? ORDER BY id LIMIT ?", JdbcSchedules::map,
                JdbcContacts.cursor(page), page.limit() + 1), page.limit(), Schedule::id));
    }

    static ClaimStatement claim(Instant now, Instant horizon, String owner, Instant leaseUntil, int limit) {
        return new ClaimStatement("wasched_schedule", DUE, Arrays.asList(horizon, now), "next_fire_at, id",
                "lease_owner = ?, lease_until = ?, updated_at = ?", Arrays.asList(owner, leaseUntil, now), limit);
    }

    @Override
    public List<Schedule> claimDue(Instant now, String owner, Instant leaseUntil, int limit) {
        return claimDue(now, now, owner, leaseUntil, limit);
    }

    @Override
    public List<Schedule> claimDue(Instant now, Instant horizon, String owner, Instant leaseUntil, int limit) {
        return db.call("claim due schedules", c ->
                db.dialect().claim(c, claim(now, horizon, owner, leaseUntil, limit), JdbcSchedules::map));
    }

    @Override
    public Optional<Instant> earliestDue() {
        return db.call("earliest due schedule", c -> Sql.queryOne(c, EARLIEST, rs -> Sql.instant(rs, 1)));
    }

    /**
     * One transaction: the schedule's compare-and-set first (when it fails nothing else happens), then the replaced
     * deliveries removed, each only while still PENDING in the version read, as one batch.
     */
    public Optional<List<Delivery>> edit(Schedule edited, List<Delivery> replaced) {
        return db.inTransaction("edit schedule", c -> {
            if (Sql.update(c, UPDATE, updateParams(edited)) != 1) {
                c.rollback();
                return Optional.empty();
            }
            db.changed(c, StoreChange.SCHEDULES);
            return Optional.of(deliveries.deletePending(c, replaced));
        });
    }

    /**
     * The schedule's compare-and-set comes first: when it fails the transaction ends at once and nothing is
     * inserted; when it succeeds the row stays locked until commit, so a second fan-out of the same schedule waits
     * and then fails its own compare-and-set.
     */
    @Override
    public FanOutResult fanOut(Schedule advanced, List<Delivery> list) {
        return db.inTransaction("fan out schedule", c -> {
            if (Sql.update(c, UPDATE, updateParams(advanced)) != 1) {
                c.rollback();
                return new FanOutResult(0, false);
            }
            int inserted = deliveries.insertAll(c, list);
            if (inserted > 0) {
                db.written(c, list);
            }
            return new FanOutResult(inserted, true);
        });
    }

    /**
     * One transaction: the schedules' compare-and-sets as one JDBC batch (in id order, so two instances' batches
     * lock rows in the same order and cannot deadlock), then the deliveries of the schedules written, each
     * schedule's as one batched insert. A failed compare-and-set changed nothing, so the others go on.
     */
    @Override
    public List<FanOutResult> fanOutAll(List<FanOutItem> items) {
        if (items.isEmpty()) {
            return List.of();
        }
        List<FanOutItem> byId = new ArrayList<>(items);
        byId.sort(Comparator.comparing(item -> item.advanced().id()));
        return db.inTransaction("fan out schedules", c -> {
            boolean[] updated = updateAll(c, byId);
            List<Delivery> written = new ArrayList<>();
            java.util.Map<FanOutItem, FanOutResult> results = new java.util.IdentityHashMap<>();
            for (int i = 0; i < byId.size(); i++) {
                FanOutItem item = byId.get(i);
                int inserted = updated[i] ? deliveries.insertAll(c, item.deliveries()) : 0;
                if (inserted > 0) {
                    written.addAll(item.deliveries());
                }
                results.put(item, new FanOutResult(inserted, updated[i]));
            }
            db.written(c, written);
            return items.stream().map(results::get).toList();
        });
    }

    /** The compare-and-sets of {@code items} in one batch; which of them matched. */
    private static boolean[] updateAll(Connection c, List<FanOutItem> items) throws SQLException {
        int[] counts;
        try (PreparedStatement ps = c.prepareStatement(UPDATE)) {
            for (FanOutItem item : items) {
                Sql.bindAll(ps, 1, updateParams(item.advanced()));
                ps.addBatch();
            }
            counts = ps.executeBatch();
        }
        boolean[] updated = new boolean[items.size()];
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] == Statement.SUCCESS_NO_INFO) {
                // Without counts nobody can tell which compare-and-set matched: undo all, the schedules come again.
                throw new SQLException("the JDBC driver did not report update counts for a batch");
            }
            updated[i] = counts[i] == 1;
        }
        return updated;
    }
}
