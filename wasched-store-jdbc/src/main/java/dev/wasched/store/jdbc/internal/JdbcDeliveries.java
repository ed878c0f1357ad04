package dev.wasched.store.jdbc.internal;

import dev.wasched.Page;
import dev.wasched.PageRequest;
import dev.wasched.delivery.Delivery;
import dev.wasched.delivery.DeliveryQuery;
import dev.wasched.delivery.DeliveryStatus;
import dev.wasched.spi.store.DeliveryRepository;
import dev.wasched.spi.store.DueTimes;
import dev.wasched.spi.store.Lease;
import dev.wasched.spi.store.StoreChange;
import dev.wasched.spi.store.StoreCodec;
import dev.wasched.store.jdbc.spi.ClaimStatement;
import dev.wasched.store.jdbc.spi.RowMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Deliveries in {@code wasched_delivery}. Fixed statuses appear in the SQL as literals (they come from the
 * {@link DeliveryStatus} enum, never from input), so PostgreSQL can match the partial indexes even in the generic
 * plans it uses for prepared statements; everything else is a parameter.
 */
public final class JdbcDeliveries implements DeliveryRepository {
    static final List<String> COLUMNS = List.of("id", "schedule_id", "fire_at", "recipient_key", "recipient",
            "contact_id", "recipient_address", "account", "content", "status", "attempts", "due_at", "lease_owner",
            "lease_until", "last_error", "transport_message_id", "send_marker", "sent_at", "delivered_at", "read_at", "created_at",
            "updated_at", "version", "expires_at", "replied_at");
    /**
     * What a transition can change. The rest (ids, schedule, occurrence, recipient, account, content, creation time) is
     * written once, by the insert: an update that rewrote it would only send it again. Not {@code replied_at} either:
     * only {@link #REPLIED} sets it, so a transition made from a row read before the reply cannot clear it.
     */
    static final List<String> MUTABLE = List.of("status", "attempts", "due_at", "lease_owner", "lease_until",
            "last_error", "transport_message_id", "send_marker", "sent_at", "delivered_at", "read_at", "updated_at",
            "version", "expires_at");
    /** A transition as {@link dev.wasched.store.jdbc.spi.SqlDialect#updateVersioned} writes it: what it changes, the id. */
    static final List<String> TRANSITION = Stream.concat(MUTABLE.stream(), Stream.of("id")).toList();
    static final String UPDATE = VersionedUpdates.singleRowSql("wasched_delivery", TRANSITION);
    static final String IN_FLIGHT = statusIn(EnumSet.of(DeliveryStatus.CLAIMED, DeliveryStatus.SENDING));
    static final String PENDING = statusIn(EnumSet.of(DeliveryStatus.PENDING));
    static final String DUE = PENDING + " AND account = ? AND due_at <= ?";
    static final String COUNT_DUE = "SELECT COUNT(*) FROM wasched_delivery WHERE " + DUE;
    static final String COUNT_DUE_ALL = "SELECT COUNT(*) FROM wasched_delivery WHERE " + PENDING + " AND due_at <= ?";
    static final String FENCED_UPDATE = UPDATE + " AND " + JdbcLeases.FENCE;
    static final String EVIDENCE = "UPDATE wasched_delivery SET send_marker = COALESCE(?, send_marker),"
            + " transport_message_id = COALESCE(?, transport_message_id) WHERE id = ? AND version = ?"
            + " AND status = 'SENDING'";
    static final String REPLIED = "UPDATE wasched_delivery SET replied_at = ? WHERE id = ? AND replied_at IS NULL";
    /** Through the partial index of replied deliveries, which holds nothing else. */
    static final String COUNT_REPLIED = "SELECT COUNT(*) FROM wasched_delivery WHERE replied_at IS NOT NULL AND account = ?";
    static final String COUNT_REPLIED_ALL = "SELECT COUNT(*) FROM wasched_delivery WHERE replied_at IS NOT NULL";
    /**
     * Through the due index: an account's open rows, its in-flight ones among them. With no index of their own (one
     * would cost every claim its HOT update) a takeover or hand-back reads the account's backlog once.
     */
    static final String IN_FLIGHT_OF = "SELECT * FROM wasched_delivery WHERE " + IN_FLIGHT + " AND account = ?"
            + " ORDER BY due_at, id LIMIT ?";
    static final String LEASED_BY = "SELECT * FROM wasched_delivery WHERE lease_owner = ? AND " + IN_FLIGHT
            + " ORDER BY id LIMIT ?";
    static final String EARLIEST_ONE = "SELECT MIN(due_at) AS m FROM wasched_delivery WHERE " + PENDING
            + " AND account = ?";
    static final String BY_MESSAGE_ID = "SELECT * FROM wasched_delivery WHERE account = ? AND transport_message_id = ?";
    static final String SENT = statusIn(EnumSet.of(DeliveryStatus.SENT, DeliveryStatus.DELIVERED, DeliveryStatus.READ));
    static final String SENT_TO = "SELECT 1 FROM wasched_delivery WHERE account = ? AND recipient_address = ?"
            + " AND " + SENT + " LIMIT 1";
    static final String PENDING_OF_SCHEDULE = "SELECT * FROM wasched_delivery WHERE " + PENDING
            + " AND schedule_id = ? ORDER BY id LIMIT ?";
    static final String PENDING_OF_CONTACT = "SELECT * FROM wasched_delivery WHERE " + PENDING
            + " AND contact_id = ? ORDER BY id LIMIT ?";
    static final String FINISHED = statusIn(EnumSet.of(DeliveryStatus.SENT, DeliveryStatus.DELIVERED,
            DeliveryStatus.READ, DeliveryStatus.CANCELLED, DeliveryStatus.DISMISSED));
    /** Finished and last changed before the cut-off, oldest first by creation (which never changes: see V5). */
    static final String PURGE_CANDIDATES = "SELECT id FROM wasched_delivery WHERE " + FINISHED
            + " AND created_at < ? AND updated_at < ? ORDER BY created_at LIMIT ?";
    /**
     * A schedule's deliveries by occurrence and status, with the answered ones, in one statement through the fan-out
     * key {@code (schedule_id, fire_at, recipient_key)}. No index of its own: one holding the status would cost every
     * transition its HOT update (see V5).
     */
    static final String BY_OCCURRENCE = "SELECT fire_at, status, COUNT(*), COUNT(replied_at) FROM wasched_delivery"
            + " WHERE schedule_id = ? GROUP BY fire_at, status";
    static final String OF_OCCURRENCE = "SELECT fire_at, status, COUNT(*), COUNT(replied_at) FROM wasched_delivery"
            + " WHERE schedule_id = ? AND fire_at = ? GROUP BY fire_at, status";
    /** Accounts per earliest-due query; each account is one index probe. */
    private static final int ACCOUNTS_PER_QUERY = 100;

    /**
     * The phase the schema derives from a status (the generated column {@code phase}, see V5__hot_updates.sql):
     * the partial indexes name the phase, never the status, so that an update changing only the status can stay
     * on its page without new index entries.
     */
    static String phase(DeliveryStatus status) {
        return switch (status) {
            case PENDING, CLAIMED, SENDING, FAILED -> "open";
            case SENT, DELIVERED, READ -> "sent";
            case DEAD, UNCERTAIN -> "attention";
            case CANCELLED, DISMISSED -> "cancelled";
        };
    }

    /**
     * A condition for "the status is one of these", written with the phases they belong to as well, so PostgreSQL
     * can use the partial indexes: the status alone is left out when the phases hold exactly these statuses. Enum
     * names, never input, so they are literals.
     */
    static String statusIn(Set<DeliveryStatus> statuses) {
        Set<String> phases = new TreeSet<>();
        statuses.forEach(s -> phases.add(phase(s)));
        String phase = phases.size() == 1 ? "phase = '" + phases.iterator().next() + "'"
                : phases.stream().map(p -> "'" + p + "'").collect(Collectors.joining(", ", "phase IN (", ")"));
        boolean wholePhases = Arrays.stream(DeliveryStatus.values())
                .allMatch(s -> phases.contains(phase(s)) == statuses.contains(s));
        if (wholePhases) {
            return phase;
        }
        String names = statuses.stream().sorted().map(s -> "'" + s.name() + "'").collect(Collectors.joining(", "));
        return phase + " AND " + (statuses.size() == 1 ? "status = " + names : "status IN (" + names + ")");
    }

    private final Db db;

    public JdbcDeliveries(Db db) {
        this.db = db;
    }

    static Delivery map(ResultSet rs) throws SQLException {
        return Delivery.builder().id(rs.getString("id")).scheduleId(rs.getString("schedule_id"))
                .fireAt(Sql.instant(rs, "fire_at")).recipient(StoreCodec.recipient(rs.getString("recipient")))
                .account(rs.getString("account")).content(StoreCodec.content(rs.getString("content")))
                .status(DeliveryStatus.valueOf(rs.getString("status"))).attempts(rs.getInt("attempts"))
                .dueAt(Sql.instant(rs, "due_at")).expiresAt(Sql.instant(rs, "expires_at"))
                .leaseOwner(rs.getString("lease_owner")).leaseUntil(Sql.instant(rs, "lease_until"))
                .lastError(rs.getString("last_error")).transportMessageId(rs.getString("transport_message_id"))
                .sendMarker(rs.getString("send_marker")).sentAt(Sql.instant(rs, "sent_at"))
                .deliveredAt(Sql.instant(rs, "delivered_at")).readAt(Sql.instant(rs, "read_at"))
                .repliedAt(Sql.instant(rs, "replied_at")).createdAt(Sql.instant(rs, "created_at"))
                .updatedAt(Sql.instant(rs, "updated_at")).version(rs.getLong("version")).build();
    }

    /** The parameters of {@link #UPDATE}: the columns a transition can change, then id and expected version. */
    static List<Object> updateParams(Delivery d) {
        List<Object> params = new ArrayList<>(Arrays.asList(mutableValues(d)));
        params.add(d.id());
        params.add(d.version() - 1);
        return params;
    }

    /** The values of {@link #TRANSITION} for a delivery. */
    static Object[] transition(Delivery d) {
        Object[] values = Arrays.copyOf(mutableValues(d), TRANSITION.size());
        values[values.length - 1] = d.id();
        return values;
    }

    /**
     * The values of {@link #MUTABLE}, in its order. Built directly, not picked from {@link #values}: that would encode
     * the recipient and content as JSON for every transition only to drop them.
     */
    static Object[] mutableValues(Delivery d) {
        return new Object[]{d.status().name(), d.attempts(), d.dueAt(), d.leaseOwner(), d.leaseUntil(), d.lastError(),
                d.transportMessageId(), d.sendMarker(), d.sentAt(), d.deliveredAt(), d.readAt(), d.updatedAt(),
                d.version(), d.expiresAt()};
    }

    /** Every column, in {@link #COLUMNS} order. */
    static Object[] values(Delivery d) {
        return new Object[]{d.id(), d.scheduleId(), d.fireAt(), d.recipient().key(),
                StoreCodec.recipient(d.recipient()), d.recipient().contactId(), d.recipient().address(), d.account(),
                StoreCodec.content(d.content()), d.status().name(), d.attempts(), d.dueAt(), d.leaseOwner(),
                d.leaseUntil(), d.lastError(), d.transportMessageId(), d.sendMarker(), d.sentAt(), d.deliveredAt(), d.readAt(),
                d.createdAt(), d.updatedAt(), d.version(), d.expiresAt(), d.repliedAt()};
    }

    @Override
    public int insertAll(List<Delivery> list) {
        if (list.isEmpty()) {
            return 0;
        }
        return db.inTransaction("insert deliveries", c -> {
            int n = insertAll(c, list);
            if (n > 0) {
                db.written(c, list);
            }
            return n;
        });
    }

    /** Inserts on the caller's connection, skipping duplicates of the id or of the unique key. */
    int insertAll(Connection c, List<Delivery> list) throws SQLException {
        List<Object[]> rows = new ArrayList<>(list.size());
        for (Delivery d : list) {
            rows.add(values(d));
        }
        return db.dialect().insertIgnoringDuplicates(c, "wasched_delivery", COLUMNS, rows);
    }

    @Override
    public boolean update(Delivery d) {
        return update(d, null);
    }

    @Override
    public boolean update(Delivery d, Lease fence) {
        return db.call("update delivery", c -> {
            List<Object> params = updateParams(d);
            if (fence != null) {
                params.addAll(JdbcLeases.fenceParams(fence));
            }
            boolean ok = Sql.update(c, fence == null ? UPDATE : FENCED_UPDATE, params) == 1;
            if (ok && d.status() == DeliveryStatus.PENDING) {
                // Released, retried or requeued: due again, perhaps for an engine elsewhere.
                db.changed(c, StoreChange.deliveries(d.account()));
            }
            return ok;
        });
    }

    static final String REASSIGN = "UPDATE wasched_delivery SET account = ?, updated_at = ?, version = ? WHERE id = ?"
            + " AND version = ? AND " + PENDING;

    @Override
    public boolean reassignPending(Delivery pending, String account, Instant now) {
        Delivery moved = pending.reassigned(account, now);
        return db.call("reassign delivery", c -> {
            boolean ok = Sql.update(c, REASSIGN, account, moved.updatedAt(), moved.version(), pending.id(),
                    pending.version()) == 1;
            if (ok) {
                db.changed(c, StoreChange.deliveries(account));
            }
            return ok;
        });
    }

    /** A delivery that never started, removed only while PENDING in the version given (the key is free again). */
    static final String DELETE_PENDING = "DELETE FROM wasched_delivery WHERE id = ? AND version = ? AND " + PENDING;

    @Override
    public boolean deletePending(String id, long version) {
        return db.call("delete pending delivery", c -> Sql.update(c, DELETE_PENDING, id, version) == 1);
    }

    /** {@link #deletePending(String, long)} for each, as one batch on {@code c}; returns those removed. */
    List<Delivery> deletePending(Connection c, List<Delivery> list) throws SQLException {
        List<Delivery> removed = new ArrayList<>();
        if (list.isEmpty()) {
            return removed;
        }
        try (PreparedStatement ps = c.prepareStatement(DELETE_PENDING)) {
            for (Delivery d : list) {
                ps.setString(1, d.id());
                ps.setLong(2, d.version());
                ps.addBatch();
            }
            int[] counts = ps.executeBatch();
            for (int i = 0; i < counts.length; i++) {
                if (counts[i] == 1) {
                    removed.add(list.get(i));
                }
            }
        }
        return removed;
    }

    @Override
    public Optional<Delivery> findById(String id) {
        return db.call("find delivery", c ->
                Sql.queryOne(c, "SELECT * FROM wasched_delivery WHERE id = ?", JdbcDeliveries::map, id));
    }

    @Override
    public Optional<Delivery> findByTransportMessageId(String account, String transportMessageId) {
        return db.call("find delivery by message id", c ->
                Sql.queryOne(c, BY_MESSAGE_ID, JdbcDeliveries::map, account, transportMessageId));
    }

    /** A claim fenced by the account's session lease: the lease check is part of the claim's own condition. */
    static ClaimStatement claim(String account, Instant now, Lease fence, int limit) {
        List<Object> where = new ArrayList<>(Arrays.asList(account, now));
        where.addAll(JdbcLeases.fenceParams(fence));
        return new ClaimStatement("wasched_delivery", DUE + " AND " + JdbcLeases.FENCE, where, "due_at, id",
                "status = 'CLAIMED', lease_owner = ?, lease_until = NULL, updated_at = ?",
                Arrays.asList(fence.owner(), now), limit);
    }

    @Override
    public List<Delivery> claimDue(String account, Instant now, Lease fence, int limit) {
        return db.call("claim due deliveries", c ->
                db.dialect().claim(c, claim(account, now, fence, limit), JdbcDeliveries::map));
    }

    @Override
    public boolean recordEvidence(String deliveryId, long version, String sendMarker, String messageId) {
        return db.call("record send evidence", c ->
                Sql.update(c, EVIDENCE, sendMarker, messageId, deliveryId, version) == 1);
    }

    @Override
    public boolean markReplied(String deliveryId, Instant at) {
        return db.call("mark delivery replied", c -> Sql.update(c, REPLIED, at, deliveryId) == 1);
    }

    @Override
    public List<Delivery> findInFlight(String account, int limit) {
        return db.call("find in-flight deliveries", c ->
                Sql.query(c, IN_FLIGHT_OF, JdbcDeliveries::map, account, limit));
    }

    @Override
    public List<Delivery> findLeasedBy(String owner, int limit) {
        return db.call("find leased deliveries", c -> Sql.query(c, LEASED_BY, JdbcDeliveries::map, owner, limit));
    }

    /** One MIN per account, so each is answered by the first entry of that account in the due index. */
    static String earliestSql(int accounts) {
        return "SELECT MIN(m) FROM (" + String.join(" UNION ALL ", java.util.Collections.nCopies(accounts, EARLIEST_ONE))
                + ") due";
    }

    @Override
    public Optional<Instant> earliestDue(List<String> accounts) {
        List<String> distinct = List.copyOf(new LinkedHashSet<>(accounts));
        if (distinct.isEmpty()) {
            return Optional.empty();
        }
        return db.call("earliest due delivery", c -> {
            Instant min = null;
            for (int from = 0; from < distinct.size(); from += ACCOUNTS_PER_QUERY) {
                List<String> part = distinct.subList(from, Math.min(distinct.size(), from + ACCOUNTS_PER_QUERY));
                Instant m = Sql.queryOne(c, earliestSql(part.size()), rs -> Sql.instant(rs, 1), part.toArray())
                        .orElse(null);
                if (m != null && (min == null || m.isBefore(min))) {
                    min = m;
                }
            }
            return Optional.ofNullable(min);
        });
    }

    /** One row per account, its MIN answered by the first entry of that account in the due index. */
    static String earliestByAccountSql(int accounts) {
        return String.join(" UNION ALL ", java.util.Collections.nCopies(accounts,
                "SELECT CAST(? AS VARCHAR) AS account, (" + EARLIEST_ONE + ") AS m"));
    }

    @Override
    public Map<String, Instant> earliestDueByAccount(Collection<String> accounts) {
        if (accounts.isEmpty()) {
            return new HashMap<>();
        }
        return db.call("earliest due delivery by account", c -> due(c, accounts, false).deliveries());
    }

    /** The fallback poll in one statement (per hundred accounts): the next schedule fire time rides in the first. */
    public DueTimes dueTimes(Collection<String> accounts) {
        return db.call("due times", c -> due(c, accounts, true));
    }

    private static DueTimes due(Connection c, Collection<String> accounts, boolean withSchedules) throws SQLException {
        List<String> distinct = List.copyOf(new LinkedHashSet<>(accounts));
        Map<String, Instant> due = new HashMap<>();
        Instant[] schedules = {null};
        boolean first = withSchedules;
        for (int from = 0; from < distinct.size() || first; from += ACCOUNTS_PER_QUERY) {
            List<String> part = distinct.subList(Math.min(from, distinct.size()),
                    Math.min(distinct.size(), from + ACCOUNTS_PER_QUERY));
            List<Object> params = new ArrayList<>();
            part.forEach(a -> params.addAll(List.of(a, a)));
            String sql = part.isEmpty() ? "" : earliestByAccountSql(part.size());
            if (first) {
                sql = "SELECT CAST(NULL AS VARCHAR) AS account, (" + JdbcSchedules.EARLIEST + ") AS m"
                        + (sql.isEmpty() ? "" : " UNION ALL " + sql);
                first = false;
            }
            Sql.query(c, sql, rs -> {
                Instant m = Sql.instant(rs, 2);
                if (rs.getString(1) == null) {
                    schedules[0] = m;
                } else if (m != null) {
                    due.put(rs.getString(1), m);
                }
                return m;
            }, params);
        }
        return new DueTimes(schedules[0], due);
    }

    /** The history statement for a query; fills {@code params}. Package-visible for the plan tests. */
    static String historySql(DeliveryQuery q, PageRequest page, List<Object> params) {
        List<String> where = new ArrayList<>();
        if (q.scheduleId() != null) {
            where.add("schedule_id = ?");
            params.add(q.scheduleId());
        }
        if (q.contactId() != null) {
            where.add("contact_id = ?");
            params.add(q.contactId());
        }
        if (q.account() != null) {
            where.add("account = ?");
            params.add(q.account());
        }
        Set<DeliveryStatus> statuses = q.statuses();
        if (!statuses.isEmpty()) {
            where.add(statusIn(statuses));
        }
        if (q.repliedOnly()) {
            where.add("replied_at IS NOT NULL");
        }
        if (q.from() != null) {
            where.add("created_at >= ?");
            params.add(Sql.ceilMillis(q.from()));
        }
        if (q.to() != null) {
            where.add("created_at < ?");
            params.add(Sql.ceilMillis(q.to()));
        }
        if (page.cursor() != null) {
            where.add("id < ?");
            params.add(page.cursor());
        }
        params.add(page.limit() + 1);
        return "SELECT * FROM wasched_delivery" + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where))
                + " ORDER BY id DESC LIMIT ?";
    }

    @Override
    public Page<Delivery> history(DeliveryQuery query, PageRequest page) {
        List<Object> params = new ArrayList<>();
        String sql = historySql(query, page, params);
        return db.call("delivery history", c ->
                Page.of(Sql.query(c, sql, JdbcDeliveries::map, params), page.limit(), Delivery::id));
    }

    @Override
    public List<Delivery> findPending(String scheduleId, String contactId, int limit) {
        // The SPI passes one of the two; both or neither still work (both filters, or every pending delivery).
        String sql = scheduleId != null && contactId == null ? PENDING_OF_SCHEDULE
                : contactId != null && scheduleId == null ? PENDING_OF_CONTACT
                : "SELECT * FROM wasched_delivery WHERE " + PENDING
                        + (scheduleId != null ? " AND schedule_id = ? AND contact_id = ?" : "") + " ORDER BY id LIMIT ?";
        List<Object> params = new ArrayList<>();
        if (scheduleId != null) {
            params.add(scheduleId);
        }
        if (contactId != null) {
            params.add(contactId);
        }
        params.add(limit);
        return db.call("find pending deliveries", c -> Sql.query(c, sql, JdbcDeliveries::map, params));
    }

    @Override
    public boolean wasSentTo(String account, String address) {
        return db.call("was sent to", c -> Sql.queryOne(c, SENT_TO, rs -> true, account, address).isPresent());
    }

    @Override
    public Map<DeliveryStatus, Long> countByStatus(String account) {
        return db.call("count deliveries by status", c -> {
            Map<DeliveryStatus, Long> counts = new EnumMap<>(DeliveryStatus.class);
            List<Object[]> rows = account == null
                    ? Sql.query(c, "SELECT status, COUNT(*) FROM wasched_delivery GROUP BY status",
                            rs -> new Object[]{rs.getString(1), rs.getLong(2)})
                    : Sql.query(c, "SELECT status, COUNT(*) FROM wasched_delivery WHERE account = ? GROUP BY status",
                            rs -> new Object[]{rs.getString(1), rs.getLong(2)}, account);
            for (Object[] r : rows) {
                counts.put(DeliveryStatus.valueOf((String) r[0]), (Long) r[1]);
            }
            return counts;
        });
    }

    @Override
    public Map<DeliveryStatus, Long> countByStatus(String account, Set<DeliveryStatus> only) {
        if (only.isEmpty()) {
            return new EnumMap<>(DeliveryStatus.class);
        }
        String sql = "SELECT status, COUNT(*) FROM wasched_delivery WHERE " + statusIn(only)
                + (account == null ? "" : " AND account = ?") + " GROUP BY status";
        return db.call("count open deliveries", c -> {
            Map<DeliveryStatus, Long> counts = new EnumMap<>(DeliveryStatus.class);
            List<Object[]> rows = account == null
                    ? Sql.query(c, sql, rs -> new Object[]{rs.getString(1), rs.getLong(2)})
                    : Sql.query(c, sql, rs -> new Object[]{rs.getString(1), rs.getLong(2)}, account);
            for (Object[] r : rows) {
                counts.put(DeliveryStatus.valueOf((String) r[0]), (Long) r[1]);
            }
            return counts;
        });
    }

    @Override
    public List<dev.wasched.spi.store.OccurrenceCount> countByOccurrence(String scheduleId, Instant fireAt) {
        RowMapper<dev.wasched.spi.store.OccurrenceCount> row = rs -> new dev.wasched.spi.store.OccurrenceCount(
                Sql.instant(rs, 1), DeliveryStatus.valueOf(rs.getString(2)), rs.getLong(3), rs.getLong(4));
        return db.call("count deliveries by occurrence", c -> fireAt == null
                ? Sql.query(c, BY_OCCURRENCE, row, scheduleId)
                : Sql.query(c, OF_OCCURRENCE, row, scheduleId, dev.wasched.internal.time.Instants.millis(fireAt)));
    }

    @Override
    public long countReplied(String account) {
        return db.call("count replied deliveries", c -> (account == null
                ? Sql.queryOne(c, COUNT_REPLIED_ALL, rs -> rs.getLong(1))
                : Sql.queryOne(c, COUNT_REPLIED, rs -> rs.getLong(1), account)).orElse(0L));
    }

    @Override
    public long countDue(String account, Instant now) {
        return db.call("count due deliveries", c -> (account == null
                ? Sql.queryOne(c, COUNT_DUE_ALL, rs -> rs.getLong(1), now)
                : Sql.queryOne(c, COUNT_DUE, rs -> rs.getLong(1), account, now)).orElse(0L));
    }

    @Override
    public int purge(Instant before, int limit) {
        if (limit < 1) {
            return 0;
        }
        // Two short statements instead of DELETE … LIMIT, which PostgreSQL lacks; the delete checks the status again.
        return db.call("purge deliveries", c -> {
            List<String> ids = Sql.query(c, PURGE_CANDIDATES, rs -> rs.getString(1), Sql.ceilMillis(before),
                    Sql.ceilMillis(before), limit);
            if (ids.isEmpty()) {
                return 0;
            }
            int deleted = 0;
            for (int from = 0; from < ids.size(); from += 1000) {
                List<Object> part = new ArrayList<>(ids.subList(from, Math.min(ids.size(), from + 1000)));
                deleted += Sql.update(c, "DELETE FROM wasched_delivery WHERE id IN (" + Sql.placeholders(part.size())
                        + ") AND " + FINISHED, part);
            }
            return deleted;
        });
    }
}
