package dev.wasched.store.jdbc.internal;

import dev.wasched.delivery.Delivery;
import dev.wasched.delivery.DeliveryStatus;
import dev.wasched.spi.store.DispatchCycle;
import dev.wasched.spi.store.Lease;
import dev.wasched.spi.store.StoreChange;
import dev.wasched.store.jdbc.spi.ClaimStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A dispatch cycle in one transaction: the outcomes as one batch, the pacing state, the claim into SENDING (due
 * deliveries that must not go out are skipped by the claim's own condition and cancelled by a second statement), the
 * first-contact check and the account's next due time. One commit per cycle.
 */
public final class JdbcDispatch {
    /** Only what a transition can change; ids, recipient and content never do. */
    static final String OUTCOME = "UPDATE wasched_delivery SET status = ?, attempts = ?, due_at = ?, lease_owner = ?,"
            + " lease_until = ?, last_error = ?, transport_message_id = ?, send_marker = ?, sent_at = ?,"
            + " delivered_at = ?, read_at = ?, updated_at = ?, version = ? WHERE id = ? AND version = ?";
    private static final String SCHEDULE_LIVE = "EXISTS (SELECT 1 FROM wasched_schedule s"
            + " WHERE s.id = wasched_delivery.schedule_id AND NOT s.paused)";
    private static final String CONTACT_LIVE = "(wasched_delivery.contact_id IS NULL OR EXISTS (SELECT 1 FROM"
            + " wasched_contact k WHERE k.id = wasched_delivery.contact_id AND NOT k.opted_out))";
    /** A due delivery that may still go out: its schedule exists and runs, its contact (if any) exists, opted in. */
    static final String SENDABLE = SCHEDULE_LIVE + " AND " + CONTACT_LIVE;
    private static final String TO_SENDING = "status = 'SENDING', attempts = attempts + 1, lease_owner = ?,"
            + " lease_until = NULL, send_marker = NULL, transport_message_id = NULL, updated_at = ?";
    /** The reasons in the order {@link DispatchCycle#cancellationReason} checks them. */
    private static final String TO_CANCELLED = "status = 'CANCELLED', lease_owner = NULL, lease_until = NULL,"
            + " updated_at = ?, last_error = CASE"
            + " WHEN contact_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM wasched_contact k"
            + " WHERE k.id = wasched_delivery.contact_id) THEN ?"
            + " WHEN contact_id IS NOT NULL AND EXISTS (SELECT 1 FROM wasched_contact k"
            + " WHERE k.id = wasched_delivery.contact_id AND k.opted_out) THEN ?"
            + " WHEN NOT EXISTS (SELECT 1 FROM wasched_schedule s WHERE s.id = wasched_delivery.schedule_id) THEN ?"
            + " ELSE ? END";
    /** The most due deliveries one cycle cancels; more wait for the next cycle, which follows at once. */
    private static final int MAX_CANCELLED = 1000;
    /** Due deliveries up to and including the last one claimed, in claim order. */
    private static final String UP_TO = "(due_at < ? OR (due_at = ? AND id <= ?))";

    private final Db db;
    private final JdbcPacing pacing;

    public JdbcDispatch(Db db, JdbcPacing pacing) {
        this.db = db;
        this.pacing = pacing;
    }

    public DispatchCycle.Result run(DispatchCycle cycle) {
        return db.inTransaction("dispatch cycle", c -> {
            List<Delivery> recorded = new ArrayList<>();
            List<Delivery> notRecorded = new ArrayList<>();
            writeOutcomes(c, cycle, recorded, notRecorded);
            boolean pacingSaved = cycle.pacing() != null && pacing.save(c, cycle.pacing());
            List<Delivery> sending = List.of();
            List<Delivery> cancelled = List.of();
            Set<String> first = Set.of();
            if (cycle.claimLimit() > 0) {
                sending = db.dialect().claim(c, claim(cycle), JdbcDeliveries::map);
                cancelled = cancel(c, cycle, sending);
                first = cycle.markFirstContact() ? firstContacts(c, cycle.account(), sending) : Set.of();
            }
            Instant nextDue = Sql.queryOne(c, JdbcDeliveries.EARLIEST_ONE, rs -> Sql.instant(rs, 1),
                    cycle.account()).orElse(null);
            return new DispatchCycle.Result(recorded, notRecorded, pacingSaved, sending, first, cancelled, nextDue);
        });
    }

    private void writeOutcomes(Connection c, DispatchCycle cycle, List<Delivery> recorded,
                               List<Delivery> notRecorded) throws SQLException {
        if (cycle.outcomes().isEmpty()) {
            return;
        }
        int[] counts;
        try (PreparedStatement ps = c.prepareStatement(OUTCOME)) {
            for (Delivery d : cycle.outcomes()) {
                Sql.bindAll(ps, 1, Arrays.asList(d.status().name(), d.attempts(), d.dueAt(), d.leaseOwner(),
                        d.leaseUntil(), d.lastError(), d.transportMessageId(), d.sendMarker(), d.sentAt(),
                        d.deliveredAt(), d.readAt(), d.updatedAt(), d.version(), d.id(), d.version() - 1));
                ps.addBatch();
            }
            counts = ps.executeBatch(); // one round trip for the whole batch
        }
        boolean dueAgain = false;
        for (int i = 0; i < counts.length; i++) {
            Delivery d = cycle.outcomes().get(i);
            if (counts[i] == 1 || counts[i] == Statement.SUCCESS_NO_INFO) {
                recorded.add(d);
                dueAgain |= d.status() == DeliveryStatus.PENDING;
            } else {
                notRecorded.add(d);
            }
        }
        if (dueAgain) {
            // Retried or given back: due again, perhaps for an engine elsewhere should this one stop.
            db.changed(c, StoreChange.deliveries(cycle.account()));
        }
    }

    private static ClaimStatement claim(DispatchCycle cycle) {
        List<Object> where = new ArrayList<>(Arrays.asList(cycle.account(), cycle.now()));
        where.addAll(JdbcLeases.fenceParams(cycle.fence()));
        return new ClaimStatement("wasched_delivery", JdbcDeliveries.DUE + " AND " + JdbcLeases.FENCE + " AND "
                + SENDABLE, where, "due_at, id", TO_SENDING, Arrays.asList(cycle.fence().owner(), cycle.now()),
                cycle.claimLimit());
    }

    /**
     * Cancels due deliveries the claim passed over because they must not go out: up to the last one claimed when the
     * claim was full (so the scan stays as short as the claim's), else among all due ones; at most {@link
     * #MAX_CANCELLED}.
     */
    private List<Delivery> cancel(Connection c, DispatchCycle cycle, List<Delivery> sending) throws SQLException {
        Lease fence = cycle.fence();
        List<Object> where = new ArrayList<>(Arrays.asList(cycle.account(), cycle.now()));
        where.addAll(JdbcLeases.fenceParams(fence));
        String condition = JdbcDeliveries.DUE + " AND " + JdbcLeases.FENCE + " AND NOT (" + SENDABLE + ")";
        if (sending.size() >= cycle.claimLimit()) {
            Delivery last = sending.get(sending.size() - 1);
            condition += " AND " + UP_TO;
            where.addAll(Arrays.asList(last.dueAt(), last.dueAt(), last.id()));
        }
        List<Object> set = Arrays.asList(cycle.now(), DispatchCycle.CANCELLED_CONTACT_DELETED,
                DispatchCycle.CANCELLED_CONTACT_OPTED_OUT, DispatchCycle.CANCELLED_SCHEDULE_DELETED,
                DispatchCycle.CANCELLED_SCHEDULE_PAUSED);
        return db.dialect().claim(c, new ClaimStatement("wasched_delivery", condition, where, "due_at, id",
                TO_CANCELLED, set, MAX_CANCELLED), JdbcDeliveries::map);
    }

    /** The claimed deliveries to a contact address this account has never sent to: one query for the batch. */
    private static Set<String> firstContacts(Connection c, String account, List<Delivery> sending)
            throws SQLException {
        Set<String> addresses = new LinkedHashSet<>();
        for (Delivery d : sending) {
            if (d.recipient().contactId() != null) {
                addresses.add(d.recipient().address());
            }
        }
        if (addresses.isEmpty()) {
            return Set.of();
        }
        List<Object> params = new ArrayList<>();
        params.add(account);
        params.addAll(addresses);
        Set<String> known = new HashSet<>(Sql.query(c, "SELECT DISTINCT recipient_address FROM wasched_delivery"
                + " WHERE account = ? AND recipient_address IN (" + Sql.placeholders(addresses.size()) + ")"
                + " AND status IN ('SENT', 'DELIVERED', 'READ')", rs -> rs.getString(1), params));
        Set<String> first = new HashSet<>();
        for (Delivery d : sending) {
            if (d.recipient().contactId() != null && !known.contains(d.recipient().address())) {
                first.add(d.id());
            }
        }
        return first;
    }
}
