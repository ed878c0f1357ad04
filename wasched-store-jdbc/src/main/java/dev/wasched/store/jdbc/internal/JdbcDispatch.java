package dev.wasched.store.jdbc.internal;

import dev.wasched.delivery.Delivery;
import dev.wasched.delivery.DeliveryStatus;
import dev.wasched.spi.store.DispatchCycle;
import dev.wasched.spi.store.StoreChange;
import dev.wasched.store.jdbc.spi.ClaimStatement;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A dispatch cycle in one transaction: the outcomes written together ({@link
 * dev.wasched.store.jdbc.spi.SqlDialect#updateVersioned}), the pacing state, the claim into SENDING (due
 * deliveries that must not go out are cancelled by the same statement), the first-contact check and the account's
 * next due time. One commit per cycle.
 */
public final class JdbcDispatch {
    /*
     * Scalar subqueries, not EXISTS: each is a primary-key probe per candidate row, where an EXISTS under OR or NOT
     * is planned as a hash of the whole contacts or schedules table, built again in every cycle.
     */
    private static final String CONTACT_OPTED_OUT = "(SELECT k.opted_out FROM wasched_contact k"
            + " WHERE k.id = wasched_delivery.contact_id)";
    private static final String SCHEDULE_PAUSED = "(SELECT s.paused FROM wasched_schedule s"
            + " WHERE s.id = wasched_delivery.schedule_id)";
    /** A due delivery that may still go out: its schedule exists and runs, its contact (if any) exists, opted in. */
    static final String SENDABLE = "NOT COALESCE(" + SCHEDULE_PAUSED + ", TRUE) AND NOT COALESCE(" + CONTACT_OPTED_OUT
            + ", wasched_delivery.contact_id IS NOT NULL)";
    private static final String TO_SENDING = "status = 'SENDING', attempts = attempts + 1, lease_owner = ?,"
            + " lease_until = NULL, send_marker = NULL, transport_message_id = NULL, updated_at = ?";
    /** The reasons in the order {@link DispatchCycle#cancellationReason} checks them. */
    private static final String TO_CANCELLED = "status = 'CANCELLED', lease_owner = NULL, lease_until = NULL,"
            + " updated_at = ?, last_error = CASE"
            + " WHEN contact_id IS NOT NULL AND " + CONTACT_OPTED_OUT + " IS NULL THEN ?"
            + " WHEN contact_id IS NOT NULL AND " + CONTACT_OPTED_OUT + " THEN ?"
            + " WHEN " + SCHEDULE_PAUSED + " IS NULL THEN ?"
            + " ELSE ? END";
    /**
     * The earliest due time past a delivery, in the due index's order. Not MIN(due_at): PostgreSQL adds "due_at IS
     * NOT NULL" to a MIN and may then start the index scan at that key instead of the row comparison.
     */
    static final String EARLIEST_AFTER = "SELECT due_at FROM wasched_delivery WHERE "
            + JdbcDeliveries.PENDING + " AND account = ? AND (due_at, id) > (?, ?) ORDER BY due_at, id LIMIT 1";
    /** The most due deliveries one cycle cancels; more wait for the next cycle, which follows at once. */
    private static final int MAX_CANCELLED = 1000;

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
            List<Delivery> sending = new ArrayList<>();
            List<Delivery> cancelled = new ArrayList<>();
            Delivery lastOfFullClaim = claim(c, cycle, sending, cancelled);
            Set<String> first = cycle.markFirstContact() && !sending.isEmpty()
                    ? firstContacts(c, cycle.account(), sending) : Set.of();
            Instant nextDue = nextDue(c, cycle, lastOfFullClaim);
            return new DispatchCycle.Result(recorded, notRecorded, pacingSaved, sending, first, cancelled, nextDue);
        });
    }

    /**
     * Claims into {@code sending} and cancels into {@code cancelled}, one split claim per round: a round that had to
     * cancel some of what it took claims again for the rest (cancellations do not count against the limit), up to
     * {@link #MAX_CANCELLED} cancellations per cycle.
     *
     * @return the last delivery taken when the last round took all it asked for (more may be due past it), else null
     */
    private Delivery claim(Connection c, DispatchCycle cycle, List<Delivery> sending, List<Delivery> cancelled)
            throws SQLException {
        Delivery lastOfFullClaim = null;
        while (sending.size() < cycle.claimLimit() && cancelled.size() < MAX_CANCELLED) {
            int want = cycle.claimLimit() - sending.size();
            int cancelledBefore = cancelled.size();
            List<Delivery> taken = db.dialect().claim(c, claim(cycle, want), JdbcDeliveries::map);
            taken.forEach(d -> (d.status() == DeliveryStatus.SENDING ? sending : cancelled).add(d));
            lastOfFullClaim = taken.size() >= want ? taken.get(taken.size() - 1) : null;
            if (lastOfFullClaim == null || cancelled.size() == cancelledBefore) {
                break;
            }
        }
        return lastOfFullClaim;
    }

    private void writeOutcomes(Connection c, DispatchCycle cycle, List<Delivery> recorded,
                               List<Delivery> notRecorded) throws SQLException {
        if (cycle.outcomes().isEmpty()) {
            return;
        }
        List<Object[]> rows = new ArrayList<>(cycle.outcomes().size());
        for (Delivery d : cycle.outcomes()) {
            rows.add(JdbcDeliveries.transition(d));
        }
        boolean[] written = db.dialect().updateVersioned(c, "wasched_delivery", JdbcDeliveries.TRANSITION, rows);
        boolean dueAgain = false;
        for (int i = 0; i < written.length; i++) {
            Delivery d = cycle.outcomes().get(i);
            if (written[i]) {
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

    /**
     * The account's earliest due time after the cycle. After a full claim only past the last delivery taken: the
     * rows before it were claimed or cancelled by this cycle, and skipping them keeps the scan off the front of the
     * due index, where the entries of deliveries already sent wait for vacuum. A due row another transaction held
     * locked during the claim is the exception; its writer's change notification or the fallback poll finds it.
     */
    private static Instant nextDue(Connection c, DispatchCycle cycle, Delivery lastOfFullClaim) throws SQLException {
        if (lastOfFullClaim != null) {
            return Sql.queryOne(c, EARLIEST_AFTER, rs -> Sql.instant(rs, 1), cycle.account(), lastOfFullClaim.dueAt(),
                    lastOfFullClaim.id()).orElse(null);
        }
        return Sql.queryOne(c, JdbcDeliveries.EARLIEST_ONE, rs -> Sql.instant(rs, 1), cycle.account()).orElse(null);
    }

    /**
     * Up to {@code limit} due deliveries, fenced and in due order, in one statement: those that may still go out
     * into SENDING, the others (contact deleted or opted out, schedule deleted or paused) CANCELLED with the reason.
     */
    static ClaimStatement claim(DispatchCycle cycle, int limit) {
        List<Object> where = new ArrayList<>(Arrays.asList(cycle.account(), cycle.claimUntil()));
        where.addAll(JdbcLeases.fenceParams(cycle.fence()));
        List<Object> cancelledSet = Arrays.asList(cycle.now(), DispatchCycle.CANCELLED_CONTACT_DELETED,
                DispatchCycle.CANCELLED_CONTACT_OPTED_OUT, DispatchCycle.CANCELLED_SCHEDULE_DELETED,
                DispatchCycle.CANCELLED_SCHEDULE_PAUSED);
        return new ClaimStatement("wasched_delivery", JdbcDeliveries.DUE + " AND " + JdbcLeases.FENCE, where,
                "due_at, id", TO_SENDING, Arrays.asList(cycle.fence().owner(), cycle.now()), limit,
                new ClaimStatement.Split(SENDABLE, List.of(), TO_CANCELLED, cancelledSet));
    }

    /** Which of {@code n} addresses this account has sent to (parameters: the account, then the addresses). */
    static String sentToAnySql(int n) {
        return "SELECT DISTINCT recipient_address FROM wasched_delivery WHERE account = ? AND recipient_address IN ("
                + Sql.placeholders(n) + ") AND " + JdbcDeliveries.SENT;
    }

    /** The claimed deliveries to a contact address this account has never sent to: one query for the batch. */
    private static Set<String> firstContacts(Connection c, String account, List<Delivery> sending)
            throws SQLException {
        Set<String> addresses = new LinkedHashSet<>();
        for (Delivery d : sending) {
            if (d.recipient().isPhone()) {
                addresses.add(d.recipient().address());
            }
        }
        if (addresses.isEmpty()) {
            return Set.of();
        }
        List<Object> params = new ArrayList<>();
        params.add(account);
        params.addAll(addresses);
        Set<String> known = new HashSet<>(Sql.query(c, sentToAnySql(addresses.size()), rs -> rs.getString(1),
                params));
        Set<String> first = new HashSet<>();
        for (Delivery d : sending) {
            if (d.recipient().isPhone() && !known.contains(d.recipient().address())) {
                first.add(d.id());
            }
        }
        return first;
    }
}
