package dev.wasched.store.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.wasched.PageRequest;
import dev.wasched.contact.Contact;
import dev.wasched.contact.PhoneNumber;
import dev.wasched.contact.Registration;
import dev.wasched.delivery.Delivery;
import dev.wasched.spi.store.DispatchCycle;
import dev.wasched.spi.store.Lease;
import dev.wasched.delivery.DeliveryQuery;
import dev.wasched.delivery.DeliveryStatus;
import dev.wasched.delivery.Recipient;
import dev.wasched.message.MessageContent;
import dev.wasched.schedule.MisfirePolicy;
import dev.wasched.schedule.Schedule;
import dev.wasched.schedule.ScheduledMessage;
import dev.wasched.schedule.Target;
import dev.wasched.schedule.Trigger;
import dev.wasched.store.jdbc.JdbcStore;
import dev.wasched.store.jdbc.TestPostgres;
import dev.wasched.store.jdbc.spi.ClaimStatement;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * EXPLAIN for every hot statement on PostgreSQL, against a realistic table (50,000 deliveries: mostly sent history,
 * a pending backlog, a few in flight, dead and uncertain) after ANALYZE. Each statement is planned twice: with its
 * values (the custom plan) and as the generic plan PostgreSQL caches for a prepared statement (the JDBC driver
 * prepares statements on the server after a few executions). Both must use the intended index. Every index in the
 * schema must be named by a plan here, or be a key with a stated purpose: an index nothing needs only costs writes.
 * The plans are written to {@code target/explain-plans.md} for the README.
 */
class PostgresPlansTest {
    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    private static final int DELIVERIES = 50_000;
    private static final List<String> ACCOUNTS = List.of("acc-1", "acc-2", "acc-3", "acc-4");
    private static HikariDataSource pool;
    private static final StringBuilder report = new StringBuilder();
    private static int prepared;
    private static final String SEQSCAN_OFF = "/*+ seqscan off */ ";

    @BeforeAll
    static void fill() throws SQLException {
        pool = TestPostgres.pool("plans", 4, true);
        try (JdbcStore store = JdbcStore.builder(pool).autoMigrate(true).build()) {
            Random r = new Random(42);
            List<Contact> contacts = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                contacts.add(new Contact(String.format("c-%05d", i), "Person " + i,
                        new PhoneNumber(String.format("+4915%09d", 100_000_000 + i)), Set.of("t" + (i % 20)), Map.of(),
                        false, Registration.UNKNOWN, null, NOW, NOW, 1));
            }
            contacts.forEach(store.contacts()::insert);
            for (int i = 0; i < 500; i++) {
                Instant next = i % 10 == 0 ? null : NOW.plusSeconds(r.nextInt(86_400 * 30) - 3600);
                store.schedules().insert(Schedule.builder().id(String.format("s-%04d", i)).name("s")
                        .account(ACCOUNTS.get(i % 4)).target(Target.tag("t" + (i % 20)))
                        .message(ScheduledMessage.text("hi")).trigger(Trigger.every(Duration.ofHours(1), NOW))
                        .misfire(MisfirePolicy.DEFAULT).paused(i % 7 == 0).nextFireAt(next).createdAt(NOW)
                        .updatedAt(NOW).version(1).build());
            }
            List<Delivery> batch = new ArrayList<>();
            for (int i = 0; i < DELIVERIES; i++) {
                Contact c = contacts.get(r.nextInt(contacts.size()));
                String account = ACCOUNTS.get(r.nextInt(4));
                Instant created = NOW.minusSeconds(DELIVERIES - i);
                int roll = r.nextInt(100);
                DeliveryStatus status = roll < 80 ? DeliveryStatus.SENT : roll < 92 ? DeliveryStatus.PENDING
                        : roll < 94 ? DeliveryStatus.CLAIMED : roll < 95 ? DeliveryStatus.SENDING
                        : roll < 97 ? DeliveryStatus.DEAD : roll < 98 ? DeliveryStatus.UNCERTAIN
                        : roll < 99 ? DeliveryStatus.CANCELLED : DeliveryStatus.DISMISSED;
                boolean leased = status == DeliveryStatus.CLAIMED || status == DeliveryStatus.SENDING;
                boolean sent = status == DeliveryStatus.SENT;
                batch.add(Delivery.builder().id(String.format("0190%04x-0000-7000-8000-%012d", i / 100_000, i))
                        .scheduleId(String.format("s-%04d", r.nextInt(500))).fireAt(created)
                        .recipient(Recipient.contact(c.id(), c.phone().e164(), ZoneId.of("UTC"))).account(account)
                        .content(MessageContent.text("m" + i)).status(status).attempts(sent ? 1 : 0)
                        .dueAt(created.plusSeconds(r.nextInt(7200)))
                        .leaseOwner(leased ? "engine-" + r.nextInt(3) : null)
                        .transportMessageId(sent ? "wamid." + i : null).sentAt(sent ? created : null)
                        .repliedAt(sent && i % 50 == 0 ? created.plusSeconds(60) : null).createdAt(created)
                        .updatedAt(created).version(sent ? 3 : 0).build());
                if (batch.size() == 5000) {
                    store.deliveries().insertAll(batch);
                    batch.clear();
                }
            }
            for (int i = 0; i < 3000; i++) {
                Contact c = contacts.get(r.nextInt(contacts.size()));
                store.inbound().insert(new dev.wasched.inbound.InboundMessage(
                        // received by a fleet of 50 accounts: one account's messages are a small share
                        String.format("0190%04x-0000-7000-8000-%012d", 1, i), "acc-" + r.nextInt(50), "in." + i,
                        c.phone().e164(), c.phone().digits() + "@c.us", i % 5 == 0 ? null : c.id(), "ok " + i, null,
                        null, NOW, NOW, null));
            }
            try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
                for (int i = 0; i < 50; i++) {
                    Sql.update(c, "INSERT INTO wasched_lease (name, lease_owner, lease_until, epoch) VALUES (?, ?, ?, 1)",
                            "session:acc-" + i, "engine-" + (i % 3), NOW);
                }
                s.execute("ANALYZE");
            }
        }
        report.append("# EXPLAIN of the hot statements (PostgreSQL ").append(serverVersion()).append(", ")
                .append(DELIVERIES).append(" deliveries, 2,000 contacts, 500 schedules, after ANALYZE)\n");
    }

    @AfterAll
    static void writeReport() throws Exception {
        Path out = Path.of("target", "explain-plans.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report.toString());
        pool.close();
    }

    private static String serverVersion() throws SQLException {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SHOW server_version")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /**
     * A statement and the indexes its plans must use.
     *
     * @param joinMayScan the planner may read a small joined table whole (at this size that is cheaper)
     */
    record Plan(String title, String sql, List<Object> params, List<String> indexes, boolean joinMayScan) {
        Plan(String title, String sql, List<Object> params, String... indexes) {
            this(title, sql, params, List.of(indexes), false);
        }

        @Override
        public String toString() {
            return title;
        }
    }

    /** A claim's statement with its parameters in binding order. */
    private static Plan claim(String title, ClaimStatement claim, String... indexes) {
        return new Plan(title, PostgresDialect.claimSql(claim), PostgresDialect.claimParams(claim), indexes);
    }

    private static Plan history(String title, DeliveryQuery query, PageRequest page, String index) {
        List<Object> params = new ArrayList<>();
        String sql = JdbcDeliveries.historySql(query, page, params);
        return new Plan(title, sql, params, index);
    }

    /**
     * Every statement the store runs on a path that repeats (dispatch, fan-out, acks, heartbeats, purge) or that
     * pages through history, with the index it needs. Statements on tables of a few rows (leases, sessions, pacing,
     * instances, templates, media) are planned with sequential scans off: at that size a scan is the better plan,
     * and what is shown is that the key is there for them once the table grows.
     */
    static List<Plan> plans() {
        Delivery d = Delivery.pending("01900000-0000-7000-8000-000000000001", "s-0007", NOW,
                Recipient.contact("c-00042", "+4915100000042", ZoneId.of("UTC")), "acc-1", MessageContent.text("m"), NOW)
                .claim("engine-1", null, NOW).startSending(NOW);
        Lease fence = new Lease("session:acc-1", "engine-1", 1);
        List<Object> update = Sql.pick(JdbcDeliveries.COLUMNS, JdbcDeliveries.values(d), JdbcDeliveries.MUTABLE);
        update.addAll(List.of(d.id(), d.version() - 1));
        update.addAll(JdbcLeases.fenceParams(fence));
        return List.of(
                // deliveries: dispatch
                claim("claim due deliveries of an account",
                        JdbcDeliveries.claim("acc-2", NOW, new Lease("session:acc-2", "engine-9", 1), 50),
                        "wasched_delivery_due_idx", "wasched_delivery_pkey"),
                claim("dispatch cycle: claim due deliveries into SENDING, cancel those that must not go out",
                        JdbcDispatch.claim(new DispatchCycle("acc-2", NOW, new Lease("session:acc-2", "engine-9", 1),
                                List.of(), null, 16, false), 16),
                        "wasched_delivery_due_idx", "wasched_delivery_pkey", "wasched_schedule_pkey",
                        "wasched_contact_pkey"),
                new Plan("dispatch cycles of several accounts: their claims, one statement",
                        JdbcDispatch.combinedClaimSql(2), JdbcDispatch.combinedClaimParams(List.of(
                                new DispatchCycle("acc-2", NOW, new Lease("session:acc-2", "engine-9", 1), List.of(),
                                        null, 16, false),
                                new DispatchCycle("acc-3", NOW, new Lease("session:acc-3", "engine-9", 1), List.of(),
                                        null, 1, false))),
                        "wasched_delivery_due_idx", "wasched_delivery_pkey", "wasched_schedule_pkey",
                        "wasched_contact_pkey"),
                new Plan("dispatch cycle: the outcomes, one statement", VersionedUpdates.joinedSql("wasched_delivery",
                        JdbcDeliveries.TRANSITION), List.of(VersionedUpdates.json(JdbcDeliveries.TRANSITION, List.of(
                        JdbcDeliveries.transition(d), JdbcDeliveries.transition(d.sent("wamid.1", NOW, NOW))))),
                        "wasched_delivery_pkey"),
                new Plan("dispatch cycle: which of the claimed addresses were sent to (first-message pacing)",
                        JdbcDispatch.sentToAnySql(2), List.of("acc-1", "+4915100000042", "+4915100000043"),
                        "wasched_delivery_sent_to_idx"),
                new Plan("dispatch cycle: next due time after a full claim", JdbcDispatch.EARLIEST_AFTER,
                        List.of("acc-1", NOW, "01900000-0000-7000-8000-000000000001"), "wasched_delivery_due_idx"),
                new Plan("earliest due delivery (per account)", JdbcDeliveries.earliestSql(2), List.of("acc-1", "acc-3"),
                        "wasched_delivery_due_idx"),
                new Plan("earliest due delivery of each account", JdbcDeliveries.earliestByAccountSql(2),
                        List.of("acc-1", "acc-1", "acc-3", "acc-3"), "wasched_delivery_due_idx"),
                new Plan("deliveries due now (queue depth)", JdbcDeliveries.COUNT_DUE, List.of("acc-1", NOW),
                        "wasched_delivery_due_idx"),
                new Plan("a transition, fenced (compare-and-set on the version)", JdbcDeliveries.FENCED_UPDATE, update,
                        "wasched_delivery_pkey"),
                new Plan("send evidence", JdbcDeliveries.EVIDENCE, List.of("m-1", "wamid.1", d.id(), 2L),
                        "wasched_delivery_pkey"),
                new Plan("a reply marks the delivery it answers", JdbcDeliveries.REPLIED, List.of(NOW, d.id()),
                        "wasched_delivery_pkey"),
                new Plan("was anything sent to this number (first-message pacing)", JdbcDeliveries.SENT_TO,
                        List.of("acc-1", "+4915100000042"), "wasched_delivery_sent_to_idx"),
                new Plan("delivery by WhatsApp message id (acks)", JdbcDeliveries.BY_MESSAGE_ID,
                        List.of("acc-1", "wamid.77"), "wasched_delivery_message_idx"),
                new Plan("in-flight deliveries of an account (takeover)", JdbcDeliveries.IN_FLIGHT_OF,
                        List.of("acc-1", 500), "wasched_delivery_due_idx"),
                // Not here: findLeasedBy, which no engine path calls (hand-back goes per account, as the takeover).
                history("UNCERTAIN deliveries of an account (settling)",
                        DeliveryQuery.status(DeliveryStatus.UNCERTAIN).forAccount("acc-1"), PageRequest.first(100),
                        "wasched_delivery_attention_idx"),
                // deliveries: fan-out, cancelling, retention
                new Plan("pending deliveries of a schedule (backlog limit, pause, delete)",
                        JdbcDeliveries.PENDING_OF_SCHEDULE, List.of("s-0007", 500),
                        "wasched_delivery_pending_schedule_idx"),
                new Plan("a pending delivery replaced by a schedule's edit", JdbcDeliveries.DELETE_PENDING,
                        List.of(d.id(), 0L), "wasched_delivery_pkey"),
                new Plan("pending deliveries of a contact (opt-out, delete)", JdbcDeliveries.PENDING_OF_CONTACT,
                        List.of("c-00042", 500), "wasched_delivery_contact_idx"),
                new Plan("retention: oldest finished deliveries", JdbcDeliveries.PURGE_CANDIDATES,
                        List.of(NOW.minus(Duration.ofHours(10)), NOW.minus(Duration.ofHours(10)), 1000),
                        "wasched_delivery_finished_idx"),
                // deliveries: history pages
                history("history of a contact, newest first", DeliveryQuery.all().forContact("c-00042"),
                        PageRequest.first(50), "wasched_delivery_contact_idx"),
                history("history of a contact in a time range, next page", DeliveryQuery.all().forContact("c-00042")
                                .between(NOW.minus(Duration.ofDays(7)), NOW),
                        PageRequest.after("01900000-0000-7000-8000-000000040000", 50), "wasched_delivery_contact_idx"),
                history("history of a schedule", DeliveryQuery.all().forSchedule("s-0007"), PageRequest.first(50),
                        "wasched_delivery_schedule_idx"),
                new Plan("report of a schedule: deliveries by occurrence and status", JdbcDeliveries.BY_OCCURRENCE,
                        // Both indexes lead with schedule_id; the planner takes either (the generic plan the key).
                        List.of("s-0007"), "wasched_delivery_schedule_idx|wasched_delivery_key_uq"),
                new Plan("report of one occurrence", JdbcDeliveries.OF_OCCURRENCE, List.of("s-0007", NOW),
                        "wasched_delivery_key_uq"),
                new Plan("replied deliveries of an account (count)", JdbcDeliveries.COUNT_REPLIED, List.of("acc-1"),
                        "wasched_delivery_replied_idx"),
                new Plan("replied deliveries (count)", JdbcDeliveries.COUNT_REPLIED_ALL, List.of(),
                        "wasched_delivery_replied_idx"),
                history("replied deliveries of an account", DeliveryQuery.all().forAccount("acc-1").replied(),
                        PageRequest.first(50), "wasched_delivery_replied_idx"),
                history("dead-letter queue of an account",
                        DeliveryQuery.status(DeliveryStatus.DEAD, DeliveryStatus.UNCERTAIN).forAccount("acc-1"),
                        PageRequest.first(100), "wasched_delivery_attention_idx"),
                // received messages
                new Plan("received message by WhatsApp id (heard twice?)", JdbcInbound.FIND,
                        List.of("acc-1", "in.77"), "wasched_inbound_message_key"),
                new Plan("received messages, newest first", JdbcInbound.listSql(false, false, true),
                        List.of("01900001-0000-7000-8000-000000002000", 50), "wasched_inbound_pkey"),
                new Plan("received messages of an account, newest first", JdbcInbound.listSql(true, false, false),
                        List.of("acc-1", 50), "wasched_inbound_account_idx"),
                new Plan("received messages of a contact, newest first", JdbcInbound.listSql(false, true, false),
                        List.of("c-00042", 50), "wasched_inbound_contact_idx"),
                // schedules
                claim("claim due schedules", JdbcSchedules.claim(NOW, NOW.plusSeconds(60), "engine-9", NOW.plusSeconds(30), 100),
                        "wasched_schedule_due_idx", "wasched_schedule_pkey"),
                new Plan("earliest due schedule", JdbcSchedules.EARLIEST, List.of(), "wasched_schedule_due_idx"),
                // contacts
                new Plan("contact by phone", "SELECT * FROM wasched_contact WHERE phone = ?", List.of("+4915100000042"),
                        "wasched_contact_phone_uq"),
                new Plan("contact by id", "SELECT * FROM wasched_contact WHERE id = ?", List.of("c-00042"),
                        "wasched_contact_pkey"),
                new Plan("contacts with a tag, by id", JdbcContacts.BY_TAG, List.of("t3", "", 501),
                        List.of("wasched_contact_tag_pkey"), true),
                // small tables, by key
                new Plan("renew a session lease", SEQSCAN_OFF + "UPDATE wasched_lease SET lease_until = CURRENT_TIMESTAMP"
                        + " WHERE " + JdbcLeases.HELD, List.of("session:acc-1", "engine-1", 1L), "wasched_lease_pkey"),
                new Plan("session snapshot of an account", SEQSCAN_OFF + "SELECT * FROM wasched_session WHERE account = ?",
                        List.of("acc-1"), "wasched_session_pkey"),
                new Plan("pacing state of an account", SEQSCAN_OFF + "SELECT * FROM wasched_pacing WHERE account = ?",
                        List.of("acc-1"), "wasched_pacing_pkey"),
                new Plan("heartbeat", SEQSCAN_OFF + JdbcInstances.UPDATE, List.of("h", NOW, NOW, NOW, 1, "engine-1"),
                        "wasched_instance_pkey"),
                new Plan("account by name", SEQSCAN_OFF + "SELECT * FROM wasched_account WHERE name = ?",
                        List.of("shop-2"), "wasched_account_pkey"),
                new Plan("webhook endpoint by id", SEQSCAN_OFF + "SELECT * FROM wasched_webhook_endpoint WHERE id = ?",
                        List.of("ep-1"), "wasched_webhook_endpoint_pkey"),
                new Plan("webhook claim: an earlier pending event of the same endpoint and subject", SEQSCAN_OFF
                        + "SELECT 1 FROM wasched_webhook_outbox earlier WHERE earlier.endpoint_id = ?"
                        + " AND earlier.order_key = ? AND earlier.status = 'PENDING' AND earlier.event_id < ?",
                        List.of("ep-1", "delivery:d-1", "019e0000-0000-7000-8000-000000000001"),
                        "wasched_webhook_outbox_sequence_idx|wasched_webhook_outbox_due_idx"),
                new Plan("webhook event delivered (by its claim)", SEQSCAN_OFF + "UPDATE wasched_webhook_outbox"
                        + " SET status = 'DELIVERED', done_at = ?, lease_owner = NULL, lease_until = NULL,"
                        + " version = version + 1 WHERE id = ? AND lease_owner = ? AND status = 'PENDING'",
                        // An empty table: either index finds the row.
                        List.of(NOW, "o-1", "engine-1"), "wasched_webhook_outbox_pkey|wasched_webhook_outbox_due_idx"),
                new Plan("webhook outbox retention", SEQSCAN_OFF + "DELETE FROM wasched_webhook_outbox"
                        + " WHERE status = 'DELIVERED' AND done_at < ?", List.of(NOW), "wasched_webhook_outbox_done_idx"),
                new Plan("user by name", SEQSCAN_OFF + "SELECT * FROM wasched_user WHERE name = ?",
                        List.of("ana"), "wasched_user_pkey"),
                new Plan("API key by id", SEQSCAN_OFF + "SELECT * FROM wasched_api_key WHERE id = ?",
                        List.of("k1"), "wasched_api_key_pkey"),
                new Plan("API key by the hash of the key presented", SEQSCAN_OFF
                        + "SELECT * FROM wasched_api_key WHERE secret_hash = ?", List.of("ab12"),
                        "wasched_api_key_secret_key"),
                new Plan("audit log page, newest first", SEQSCAN_OFF
                        + "SELECT * FROM wasched_audit WHERE id < ? ORDER BY id DESC LIMIT ?", List.of("01J", 51),
                        "wasched_audit_pkey"),
                new Plan("template by name", SEQSCAN_OFF + "SELECT * FROM wasched_template WHERE name = ?",
                        List.of("greeting"), "wasched_template_pkey"),
                new Plan("media by SHA-256", SEQSCAN_OFF + "SELECT data FROM wasched_media WHERE sha256 = ?",
                        List.of("ab12"), "wasched_media_pkey"));
    }

    /** Keys that no statement reads by, with what they are for. */
    static final Map<String, String> KEYS_WITHOUT_A_QUERY = Map.of(
            "wasched_schema_history_pkey", "one row per schema version: a second migrator applying it fails",
            "wasched_session_quarantine_pkey", "row identity (logical replication needs one to replicate the purge)",
            "wasched_webhook_outbox_event_key", "one row per event and endpoint: an event written twice (a retried"
                    + " batch) is written once");

    @ParameterizedTest(name = "{0}")
    @MethodSource("plans")
    void usesItsIndex(Plan plan) throws SQLException {
        expect(plan);
    }

    @Test
    void everyIndexIsNamedByAPlanOrIsAKey() throws SQLException {
        Set<String> named = new TreeSet<>(KEYS_WITHOUT_A_QUERY.keySet());
        plans().forEach(p -> p.indexes().forEach(i -> named.addAll(List.of(i.split("\\|")))));
        try (Connection c = pool.getConnection()) {
            List<String> indexes = Sql.query(c, "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()"
                    + " ORDER BY 1", rs -> rs.getString(1));
            assertThat(indexes).as("indexes in the schema that no plan names (drop them, or name the statement"
                    + " that needs them)").isSubsetOf(named);
            assertThat(named).as("indexes named here that the schema lacks").isSubsetOf(indexes);
            List<String> keys = Sql.query(c, "SELECT i.relname FROM pg_constraint k JOIN pg_class i ON i.oid = k.conindid"
                    + " WHERE k.contype IN ('p', 'u') AND k.connamespace = current_schema()::regnamespace",
                    rs -> rs.getString(1));
            assertThat(keys).as("keys").containsAll(KEYS_WITHOUT_A_QUERY.keySet());
        }
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    private static void expect(Plan plan) throws SQLException {
        String custom = explain(plan.sql(), plan.params());
        String generic = explainGeneric(plan.sql(), plan.params());
        synchronized (report) {
            report.append("\n## ").append(plan.title()).append("\n\n```sql\n").append(plan.sql())
                    .append("\n```\n\n```\n").append(custom).append("```\n");
            if (!generic.equals(custom)) {
                report.append("\nGeneric plan (prepared statement):\n\n```\n").append(generic).append("```\n");
            }
        }
        for (String index : plan.indexes()) {
            // "a|b": either index serves the statement equally well.
            String[] either = index.split("\\|");
            assertThat(custom).as("plan of %s", plan.title()).containsAnyOf(either);
            assertThat(generic).as("generic plan of %s", plan.title()).containsAnyOf(either);
        }
        // The fence's lookup of one lease row may scan wasched_lease, one row per account: for a table that small a
        // scan is the better plan, and the lease renewal shows the key is used once it is larger.
        assertThat(withoutLeaseScan(generic)).as("generic plan of %s", plan.title()).doesNotContain("Seq Scan");
        if (!plan.joinMayScan()) {
            assertThat(withoutLeaseScan(custom)).as("plan of %s", plan.title()).doesNotContain("Seq Scan");
        }
    }

    private static String withoutLeaseScan(String plan) {
        return plan.replace("Seq Scan on wasched_lease", "Lease lookup");
    }

    private static String explain(String sql, List<Object> params) throws SQLException {
        try (Connection c = pool.getConnection()) {
            seqscan(c, sql);
            try (PreparedStatement ps = c.prepareStatement("EXPLAIN (COSTS OFF) " + sql)) {
                Sql.bindAll(ps, 1, params);
                return lines(ps.executeQuery());
            } finally {
                Sql.update(c, "RESET enable_seqscan");
            }
        }
    }

    /** A statement marked {@link #SEQSCAN_OFF} is planned with {@code enable_seqscan = off}. */
    private static void seqscan(Connection c, String sql) throws SQLException {
        if (sql.startsWith(SEQSCAN_OFF)) {
            Sql.update(c, "SET enable_seqscan = off");
        }
    }

    private static String explainGeneric(String sql, List<Object> params) throws SQLException {
        String name = "plan_" + (++prepared);
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("SET plan_cache_mode = force_generic_plan");
            seqscan(c, sql);
            try {
                s.execute("PREPARE " + name + " AS " + dollarParams(sql));
                // EXECUTE takes expressions, not bind parameters: the values go in as literals (test data only).
                String args = params.isEmpty() ? "" : "(" + String.join(", ", params.stream()
                        .map(PostgresPlansTest::literal).toList()) + ")";
                try (Statement ex = c.createStatement()) {
                    return lines(ex.executeQuery("EXPLAIN (COSTS OFF) EXECUTE " + name + args));
                }
            } finally {
                s.execute("DEALLOCATE ALL");
                s.execute("RESET plan_cache_mode");
                s.execute("RESET enable_seqscan");
            }
        }
    }

    private static String lines(ResultSet rs) throws SQLException {
        StringBuilder b = new StringBuilder();
        while (rs.next()) {
            b.append(rs.getString(1)).append('\n');
        }
        rs.close();
        return b.toString();
    }

    /** {@code ?} to {@code $1, $2, …} (the statements have no question marks in literals). */
    private static String dollarParams(String sql) {
        StringBuilder b = new StringBuilder();
        int n = 0;
        for (char ch : sql.toCharArray()) {
            if (ch == '?') {
                b.append('$').append(++n);
            } else {
                b.append(ch);
            }
        }
        return b.toString();
    }

    private static String literal(Object v) {
        if (v == null) {
            return "NULL";
        }
        return v instanceof Number ? v.toString() : "'" + v.toString().replace("'", "''") + "'";
    }
}
