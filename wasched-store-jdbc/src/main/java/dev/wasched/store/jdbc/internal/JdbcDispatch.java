package dev.wasched.store.jdbc.internal;

import dev.wasched.delivery.Delivery;
import dev.wasched.delivery.DeliveryStatus;
import dev.wasched.spi.store.DispatchCycle;
import dev.wasched.spi.store.PacingState;
import dev.wasched.spi.store.StoreChange;
import dev.wasched.store.jdbc.spi.ClaimStatement;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
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
    /**
     * The most accounts whose cycles run together on PostgreSQL: enough for every account of a busy instance, few
     * enough that the combined statement stays small.
     */
    public static final int COMBINED_CLAIM_LIMIT = 32;
    /** The most due deliveries one cycle cancels; more wait for the next cycle, which follows at once. */
    private static final int MAX_CANCELLED = 1000;

    private final Db db;
    private final JdbcPacing pacing;

    public JdbcDispatch(Db db, JdbcPacing pacing) {
        this.db = db;
        this.pacing = pacing;
    }

    public DispatchCycle.Result run(DispatchCycle cycle) {
        return runAll(List.of(cycle)).get(0);
    }

    /**
     * Several accounts' cycles in one transaction (one account each): their outcomes in one statement, their claims
     * in one (on PostgreSQL, {@link #COMBINED_CLAIM_LIMIT} accounts at most; a single cycle uses the dialect's own
     * claim), their next due times in one. Pacing states and the first-contact check stay a statement per account
     * that needs them.
     */
    public List<DispatchCycle.Result> runAll(List<DispatchCycle> cycles) {
        if (cycles.size() > 1 && !combinesClaims()) {
            throw new IllegalStateException(db.dialect().name() + " runs one dispatch cycle at a time");
        }
        return db.inTransaction(cycles.size() == 1 ? "dispatch cycle" : "dispatch cycles", c -> {
            int n = cycles.size();
            List<List<Delivery>> recorded = lists(n);
            List<List<Delivery>> notRecorded = lists(n);
            writeOutcomes(c, cycles, recorded, notRecorded);
            boolean[] pacingSaved = new boolean[n];
            for (int i = 0; i < n; i++) {
                PacingState p = cycles.get(i).pacing();
                pacingSaved[i] = p != null && pacing.save(c, p);
            }
            List<List<Delivery>> sending = lists(n);
            List<List<Delivery>> cancelled = lists(n);
            Delivery[] lastOfFullClaim = claimAll(c, cycles, sending, cancelled);
            Instant[] nextDue = nextDue(c, cycles, lastOfFullClaim, sending, cancelled);
            List<DispatchCycle.Result> results = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                DispatchCycle cycle = cycles.get(i);
                Set<String> first = cycle.markFirstContact() && !sending.get(i).isEmpty()
                        ? firstContacts(c, cycle.account(), sending.get(i)) : Set.of();
                results.add(new DispatchCycle.Result(recorded.get(i), notRecorded.get(i), pacingSaved[i],
                        sending.get(i), first, cancelled.get(i), nextDue[i]));
            }
            return results;
        });
    }

    /** Whether {@link #runAll} takes several cycles: only PostgreSQL has the combined claim. */
    public boolean combinesClaims() {
        return db.dialect() instanceof PostgresDialect;
    }

    private static List<List<Delivery>> lists(int n) {
        List<List<Delivery>> lists = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            lists.add(new ArrayList<>());
        }
        return lists;
    }

    /**
     * The claims of every cycle that claims: one statement for all of them where the dialect has it, then, for a
     * cycle whose first round took all it asked for but had to cancel some, more rounds of its own.
     *
     * @return per cycle, the last delivery taken when its last round took all it asked for, else null
     */
    private Delivery[] claimAll(Connection c, List<DispatchCycle> cycles, List<List<Delivery>> sending,
                                List<List<Delivery>> cancelled) throws SQLException {
        Delivery[] last = new Delivery[cycles.size()];
        List<Integer> claiming = new ArrayList<>();
        for (int i = 0; i < cycles.size(); i++) {
            if (cycles.get(i).claimLimit() > 0) {
                claiming.add(i);
            }
        }
        if (claiming.size() == 1) {
            int i = claiming.get(0);
            last[i] = claim(c, cycles.get(i), sending.get(i), cancelled.get(i));
            return last;
        }
        if (claiming.isEmpty()) {
            return last;
        }
        List<DispatchCycle> claims = new ArrayList<>();
        claiming.forEach(i -> claims.add(cycles.get(i)));
        Map<String, List<Delivery>> taken = combinedClaim(c, claims);
        for (int i : claiming) {
            DispatchCycle cycle = cycles.get(i);
            List<Delivery> mine = taken.getOrDefault(cycle.account(), List.of());
            mine.forEach(d -> (d.status() == DeliveryStatus.SENDING ? sending.get(i) : cancelled.get(i)).add(d));
            last[i] = mine.size() >= cycle.claimLimit() ? mine.get(mine.size() - 1) : null;
            if (last[i] != null && !cancelled.get(i).isEmpty()) {
                last[i] = claim(c, cycle, sending.get(i), cancelled.get(i)); // cancelled ones did not count
            }
        }
        return last;
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

    private void writeOutcomes(Connection c, List<DispatchCycle> cycles, List<List<Delivery>> recorded,
                               List<List<Delivery>> notRecorded) throws SQLException {
        List<Object[]> rows = new ArrayList<>();
        for (DispatchCycle cycle : cycles) {
            for (Delivery d : cycle.outcomes()) {
                rows.add(JdbcDeliveries.transition(d));
            }
        }
        if (rows.isEmpty()) {
            return;
        }
        boolean[] written = db.dialect().updateVersioned(c, "wasched_delivery", JdbcDeliveries.TRANSITION, rows);
        int row = 0;
        for (int i = 0; i < cycles.size(); i++) {
            boolean dueAgain = false;
            for (Delivery d : cycles.get(i).outcomes()) {
                if (written[row++]) {
                    recorded.get(i).add(d);
                    dueAgain |= d.status() == DeliveryStatus.PENDING;
                } else {
                    notRecorded.get(i).add(d);
                }
            }
            if (dueAgain) {
                // Retried or given back: due again, perhaps for an engine elsewhere should this one stop.
                db.changed(c, StoreChange.deliveries(cycles.get(i).account()));
            }
        }
    }

    /**
     * Each account's earliest due time after the cycle, for the cycles that want it ({@link
     * DispatchCycle#wantsNextDue}: the engine's do not once they took some). After a full claim only past the last
     * delivery taken: the rows before it were claimed or cancelled by this cycle, and skipping them keeps the scan off
     * the front of the due index, where the entries of deliveries already sent wait for vacuum. A due row another
     * transaction held locked during the claim is the exception; its writer's change notification or the fallback
     * poll finds it.
     */
    private static Instant[] nextDue(Connection c, List<DispatchCycle> cycles, Delivery[] lastOfFullClaim,
                                     List<List<Delivery>> sending, List<List<Delivery>> cancelled)
            throws SQLException {
        Instant[] next = new Instant[cycles.size()];
        if (cycles.size() == 1) {
            if (!cycles.get(0).wantsNextDue(sending.get(0), cancelled.get(0))) {
                return next;
            }
            Delivery last = lastOfFullClaim[0];
            String account = cycles.get(0).account();
            next[0] = (last != null
                    ? Sql.queryOne(c, EARLIEST_AFTER, rs -> Sql.instant(rs, 1), account, last.dueAt(), last.id())
                    : Sql.queryOne(c, JdbcDeliveries.EARLIEST_ONE, rs -> Sql.instant(rs, 1), account)).orElse(null);
            return next;
        }
        // One statement: a row per cycle that wants it, in order.
        List<String> parts = new ArrayList<>();
        List<Object> params = new ArrayList<>();
        for (int i = 0; i < cycles.size(); i++) {
            if (!cycles.get(i).wantsNextDue(sending.get(i), cancelled.get(i))) {
                continue;
            }
            Delivery last = lastOfFullClaim[i];
            params.add(i);
            params.add(cycles.get(i).account());
            if (last != null) {
                parts.add("SELECT CAST(? AS INTEGER) AS k, (" + EARLIEST_AFTER + ") AS m");
                params.add(last.dueAt());
                params.add(last.id());
            } else {
                parts.add("SELECT CAST(? AS INTEGER) AS k, (" + JdbcDeliveries.EARLIEST_ONE + ") AS m");
            }
        }
        if (!parts.isEmpty()) {
            Sql.query(c, String.join(" UNION ALL ", parts), rs -> next[rs.getInt(1)] = Sql.instant(rs, 2), params);
        }
        return next;
    }

    /**
     * The claims of several accounts in one statement: each account's candidates picked as {@link #claim} picks them
     * (due, in due order, fenced by its own lease, locked with SKIP LOCKED, up to its own limit), then all of them
     * taken into SENDING or CANCELLED by two updates, as the split claim does. All cycles share the claims' owner
     * (this instance) and {@code updated_at} (the latest of their times).
     *
     * @return each account's deliveries taken, in due order
     */
    private static Map<String, List<Delivery>> combinedClaim(Connection c, List<DispatchCycle> cycles)
            throws SQLException {
        Map<String, List<Delivery>> taken = new HashMap<>();
        Sql.query(c, combinedClaimSql(cycles.size()), rs -> {
            Delivery d = JdbcDeliveries.map(rs);
            taken.computeIfAbsent(d.account(), a -> new ArrayList<>()).add(d);
            return d;
        }, combinedClaimParams(cycles));
        return taken;
    }

    /** The parameters of {@link #combinedClaimSql} in binding order. */
    static List<Object> combinedClaimParams(List<DispatchCycle> cycles) {
        String owner = cycles.get(0).fence().owner();
        Instant now = cycles.get(0).now();
        List<Object> params = new ArrayList<>();
        for (DispatchCycle cycle : cycles) {
            if (!cycle.fence().owner().equals(owner)) {
                throw new IllegalArgumentException("combined cycles must share one owner: " + owner + ", "
                        + cycle.fence().owner());
            }
            now = cycle.now().isAfter(now) ? cycle.now() : now;
            params.addAll(List.of(cycle.account(), cycle.claimUntil(), cycle.claimLimit(), cycle.fence().name(),
                    cycle.fence().epoch()));
        }
        params.add(owner);
        params.addAll(List.of(owner, now));
        params.addAll(List.of(now, DispatchCycle.CANCELLED_CONTACT_DELETED, DispatchCycle.CANCELLED_CONTACT_OPTED_OUT,
                DispatchCycle.CANCELLED_SCHEDULE_DELETED, DispatchCycle.CANCELLED_SCHEDULE_PAUSED));
        return params;
    }

    /** See {@link #combinedClaim}: the claims of {@code cycles} accounts. */
    static String combinedClaimSql(int cycles) {
        List<String> rows = new ArrayList<>(java.util.Collections.nCopies(cycles, "(?, ?, ?, ?, ?)"));
        rows.set(0, "(CAST(? AS VARCHAR), CAST(? AS TIMESTAMPTZ), CAST(? AS INTEGER), CAST(? AS VARCHAR),"
                + " CAST(? AS BIGINT))");
        return "WITH cycle (account, claim_until, claim_limit, lease_name, lease_epoch) AS (VALUES "
                + String.join(", ", rows) + "),"
                + " picked AS (SELECT p.id, p.chosen FROM cycle CROSS JOIN LATERAL (SELECT id, COALESCE((" + SENDABLE
                + "), FALSE) AS chosen FROM wasched_delivery WHERE " + JdbcDeliveries.PENDING
                + " AND account = cycle.account AND due_at <= cycle.claim_until AND EXISTS (SELECT 1 FROM wasched_lease l"
                + " WHERE l.name = cycle.lease_name AND l.lease_owner = ? AND l.epoch = cycle.lease_epoch"
                + " AND l.lease_until > CURRENT_TIMESTAMP) ORDER BY due_at, id LIMIT cycle.claim_limit"
                + " FOR UPDATE SKIP LOCKED) p),"
                + PostgresDialect.splitUpdates("wasched_delivery", TO_SENDING, TO_CANCELLED, "account, due_at, id");
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
