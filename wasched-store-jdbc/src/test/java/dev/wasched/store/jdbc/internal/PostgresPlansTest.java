package dev.wasched.store.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.wasched.PageRequest;
import dev.wasched.contact.Contact;
import dev.wasched.contact.PhoneNumber;
import dev.wasched.contact.Registration;
import dev.wasched.delivery.Delivery;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * EXPLAIN for every hot statement on PostgreSQL, against a realistic table (50,000 deliveries: mostly sent history,
 * a pending backlog, a few in flight, dead and uncertain) after ANALYZE. Each statement is planned twice: with its
 * values (the custom plan) and as the generic plan PostgreSQL caches for a prepared statement (the JDBC driver
 * prepares statements on the server after a few executions). Both must use the intended index. The plans are written
 * to {@code target/explain-plans.md} for the README.
 */
class PostgresPlansTest {
    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    private static final int DELIVERIES = 50_000;
    private static final List<String> ACCOUNTS = List.of("acc-1", "acc-2", "acc-3", "acc-4");
    private static HikariDataSource pool;
    private static final StringBuilder report = new StringBuilder();
    private static int prepared;

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
                store.schedules().insert(new Schedule(String.format("s-%04d", i), "s", ACCOUNTS.get(i % 4),
                        Target.tag("t" + (i % 20)), ScheduledMessage.text("hi"),
                        Trigger.every(Duration.ofHours(1), NOW), MisfirePolicy.DEFAULT, null, 0, i % 7 == 0, next, 0,
                        0, null, null, NOW, NOW, 1));
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
                        : DeliveryStatus.CANCELLED;
                boolean leased = status == DeliveryStatus.CLAIMED || status == DeliveryStatus.SENDING;
                boolean sent = status == DeliveryStatus.SENT;
                batch.add(new Delivery(String.format("0190%04x-0000-7000-8000-%012d", i / 100_000, i),
                        String.format("s-%04d", r.nextInt(500)), created,
                        Recipient.contact(c.id(), c.phone().e164(), ZoneId.of("UTC")), account,
                        MessageContent.text("m" + i), status, sent ? 1 : 0,
                        created.plusSeconds(r.nextInt(7200)), null, leased ? "engine-" + r.nextInt(3) : null,
                        null, null, sent ? "wamid." + i : null, null,
                        sent ? created : null, null, null, created, created, sent ? 3 : 0));
                if (batch.size() == 5000) {
                    store.deliveries().insertAll(batch);
                    batch.clear();
                }
            }
            try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
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

    // ---- deliveries -----------------------------------------------------------------------------------------

    @Test
    void claimDueDeliveries() throws SQLException {
        var claim = JdbcDeliveries.claim("acc-2", NOW, new Lease("session:acc-2", "engine-9", 1), 50);
        List<Object> params = new ArrayList<>(claim.setParams());
        params.addAll(claim.whereParams());
        params.add(claim.limit());
        expect("claim due deliveries of an account", PostgresDialect.claimSql(claim), params,
                "wasched_delivery_due_idx");
    }

    @Test
    void earliestDueDelivery() throws SQLException {
        expect("earliest due delivery (per account)", JdbcDeliveries.earliestSql(2), List.of("acc-1", "acc-3"),
                "wasched_delivery_due_idx");
    }

    @Test
    void countDue() throws SQLException {
        expect("deliveries due now (queue depth)", JdbcDeliveries.COUNT_DUE, List.of("acc-1", NOW),
                "wasched_delivery_due_idx");
    }

    @Test
    void historyByContact() throws SQLException {
        List<Object> params = new ArrayList<>();
        String sql = JdbcDeliveries.historySql(DeliveryQuery.all().forContact("c-00042"), PageRequest.first(50), params);
        expect("history of a contact, newest first", sql, params, "wasched_delivery_contact_idx");
        params.clear();
        sql = JdbcDeliveries.historySql(DeliveryQuery.all().forContact("c-00042")
                .between(NOW.minus(Duration.ofDays(7)), NOW), PageRequest.after("01900000-0000-7000-8000-000000040000", 50),
                params);
        expect("history of a contact in a time range, next page", sql, params, "wasched_delivery_contact_idx");
    }

    @Test
    void historyBySchedule() throws SQLException {
        List<Object> params = new ArrayList<>();
        String sql = JdbcDeliveries.historySql(DeliveryQuery.all().forSchedule("s-0007"), PageRequest.first(50), params);
        expect("history of a schedule", sql, params, "wasched_delivery_schedule_idx");
    }

    @Test
    void deadLetterAndUncertainPerAccount() throws SQLException {
        List<Object> params = new ArrayList<>();
        String sql = JdbcDeliveries.historySql(DeliveryQuery.status(DeliveryStatus.UNCERTAIN).forAccount("acc-1"),
                PageRequest.first(100), params);
        expect("UNCERTAIN deliveries of an account (settling)", sql, params, "wasched_delivery_attention_idx");
        params.clear();
        sql = JdbcDeliveries.historySql(DeliveryQuery.status(DeliveryStatus.DEAD, DeliveryStatus.UNCERTAIN)
                .forAccount("acc-1"), PageRequest.first(100), params);
        expect("dead-letter queue of an account", sql, params, "wasched_delivery_attention_idx");
    }

    @Test
    void byTransportMessageId() throws SQLException {
        expect("delivery by WhatsApp message id (acks)", JdbcDeliveries.BY_MESSAGE_ID, List.of("acc-1", "wamid.77"),
                "wasched_delivery_message_idx");
    }

    @Test
    void leases() throws SQLException {
        expect("deliveries leased by an instance", JdbcDeliveries.LEASED_BY, List.of("engine-1", 10_000),
                "wasched_delivery_lease_owner_idx");
        expect("in-flight deliveries of an account (takeover)", JdbcDeliveries.IN_FLIGHT_OF, List.of("acc-1", 500),
                "wasched_delivery_in_flight_idx");
    }

    @Test
    void sentToAndPending() throws SQLException {
        expect("was anything sent to this number", JdbcDeliveries.SENT_TO, List.of("acc-1", "+4915100000042"),
                "wasched_delivery_sent_to_idx");
        expect("pending deliveries of a schedule", JdbcDeliveries.PENDING_OF_SCHEDULE, List.of("s-0007", 500),
                "wasched_delivery_pending_schedule_idx");
        expect("pending deliveries of a contact", JdbcDeliveries.PENDING_OF_CONTACT, List.of("c-00042", 500),
                "wasched_delivery_contact_idx");
    }

    @Test
    void purge() throws SQLException {
        expect("retention: oldest finished deliveries", JdbcDeliveries.PURGE_CANDIDATES,
                List.of(NOW.minus(Duration.ofHours(10)), 1000), "wasched_delivery_finished_idx");
    }

    // ---- schedules, contacts, leases --------------------------------------------------------------------------

    @Test
    void dueSchedules() throws SQLException {
        var claim = JdbcSchedules.claim(NOW, NOW.plusSeconds(60), "engine-9", NOW.plusSeconds(30), 100);
        List<Object> params = new ArrayList<>(claim.setParams());
        params.addAll(claim.whereParams());
        params.add(claim.limit());
        expect("claim due schedules", PostgresDialect.claimSql(claim), params, "wasched_schedule_due_idx");
        expect("earliest due schedule", JdbcSchedules.EARLIEST, List.of(), "wasched_schedule_due_idx");
    }

    @Test
    void contacts() throws SQLException {
        expect("contact by phone", "SELECT * FROM wasched_contact WHERE phone = ?", List.of("+4915100000042"),
                "wasched_contact_phone_uq");
        expect("contacts with a tag, by id", JdbcContacts.BY_TAG, List.of("t3", "", 501), "wasched_contact_tag_pkey",
                true);
    }

    @Test
    void sessionLease() throws SQLException {
        try (Connection c = pool.getConnection()) {
            for (int i = 0; i < 50; i++) {
                Sql.update(c, "INSERT INTO wasched_lease (name, lease_owner, lease_until, epoch) VALUES (?, ?, ?, 1)",
                        "session:acc-" + i, "engine-" + (i % 3), NOW);
            }
            Sql.update(c, "ANALYZE wasched_lease");
        }
        // A few dozen rows fit one page, where a sequential scan is the better plan; show that the key is used
        // once the table is larger.
        expect("renew a session lease (sequential scans off: the table is tiny)", "/*+ seqscan off */ UPDATE"
                + " wasched_lease SET lease_until = CURRENT_TIMESTAMP WHERE " + JdbcLeases.HELD,
                List.of("session:acc-1", "engine-1", 1L), "wasched_lease_pkey");
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    private static void expect(String title, String sql, List<Object> params, String index) throws SQLException {
        expect(title, sql, params, index, false);
    }

    /** @param joinMayScan the planner may read a small joined table whole (at this size that is cheaper) */
    private static void expect(String title, String sql, List<Object> params, String index, boolean joinMayScan)
            throws SQLException {
        String custom = explain(sql, params);
        String generic = explainGeneric(sql, params);
        synchronized (report) {
            report.append("\n## ").append(title).append("\n\n```sql\n").append(sql).append("\n```\n\n```\n")
                    .append(custom).append("```\n");
            if (!generic.equals(custom)) {
                report.append("\nGeneric plan (prepared statement):\n\n```\n").append(generic).append("```\n");
            }
        }
        assertThat(custom).as("plan of %s", title).contains(index);
        // The fence's lookup of one lease row may scan wasched_lease, one row per account: for a table that small a
        // scan is the better plan, and sessionLease() shows the key is used once it is larger.
        assertThat(withoutLeaseScan(generic)).as("generic plan of %s", title).contains(index)
                .doesNotContain("Seq Scan");
        if (!joinMayScan) {
            assertThat(withoutLeaseScan(custom)).as("plan of %s", title).doesNotContain("Seq Scan");
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

    /** A statement marked {@code seqscan off} is planned with {@code enable_seqscan = off}. */
    private static void seqscan(Connection c, String sql) throws SQLException {
        if (sql.startsWith("/*+ seqscan off */")) {
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
        return v instanceof Number ? v.toString() : "'" + v.toString().replace("'", "''") + "'";
    }
}
