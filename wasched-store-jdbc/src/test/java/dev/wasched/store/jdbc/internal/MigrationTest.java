package dev.wasched.store.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.wasched.PageRequest;
import dev.wasched.contact.Contact;
import dev.wasched.contact.PhoneNumber;
import dev.wasched.contact.Registration;
import dev.wasched.delivery.Delivery;
import dev.wasched.delivery.DeliveryQuery;
import dev.wasched.delivery.DeliveryStatus;
import dev.wasched.delivery.Recipient;
import dev.wasched.message.MessageContent;
import dev.wasched.schedule.MisfirePolicy;
import dev.wasched.schedule.Schedule;
import dev.wasched.schedule.ScheduledMessage;
import dev.wasched.schedule.Target;
import dev.wasched.schedule.Trigger;
import dev.wasched.spi.store.StoreCodec;
import dev.wasched.store.jdbc.JdbcStore;
import dev.wasched.store.jdbc.TestH2;
import dev.wasched.store.jdbc.TestPostgres;
import dev.wasched.store.jdbc.spi.SqlDialect;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MigrationTest {
    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "h2"})
    void everyScriptInTheFolderIsListedInVersionOrder(String name) throws IOException {
        SqlDialect dialect = name.equals("h2") ? SqlDialect.h2() : SqlDialect.postgres();
        Path folder = Path.of("src/main/resources/db/wasched", name);
        List<String> files;
        try (Stream<Path> s = Files.list(folder)) {
            files = s.map(p -> "db/wasched/" + name + "/" + p.getFileName()).sorted().toList();
        }
        assertThat(dialect.migrations()).containsExactlyInAnyOrderElementsOf(files);
        assertThat(new Migrator(dialect).scripts()).extracting(Migrator.Script::version).isSorted();
    }

    @Test
    void bothDialectsCreateTheSameTablesAndColumns() throws Exception {
        try (HikariDataSource pg = TestPostgres.pool("columns", 2, true); HikariDataSource h2 = h2("columns")) {
            new Migrator(SqlDialect.postgres()).migrate(pg);
            new Migrator(SqlDialect.h2()).migrate(h2);
            assertThat(columns(h2, "PUBLIC")).isEqualTo(columns(pg, "columns"));
        }
    }

    private static List<String> columns(DataSource ds, String schema) throws SQLException {
        try (Connection c = ds.getConnection()) {
            return Sql.query(c, "SELECT LOWER(table_name) || '.' || LOWER(column_name) FROM information_schema.columns"
                    + " WHERE table_schema = ? AND LOWER(table_name) LIKE 'wasched%' AND LOWER(table_name) <> 'wasched_schema_lock'"
                    + " ORDER BY 1", rs -> rs.getString(1), schema);
        }
    }

    @Test
    void migratingTwiceAppliesNothingTheSecondTime() throws Exception {
        try (HikariDataSource ds = h2("twice")) {
            assertThat(new Migrator(SqlDialect.h2()).migrate(ds)).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
            assertThat(new Migrator(SqlDialect.h2()).migrate(ds)).isEmpty();
            try (Connection c = ds.getConnection()) {
                assertThat(Sql.query(c, "SELECT version, description, script FROM wasched_schema_history ORDER BY version",
                        rs -> rs.getInt(1) + " " + rs.getString(2) + " " + rs.getString(3)))
                        .containsExactly("1 init db/wasched/h2/V1__init.sql", "2 fencing db/wasched/h2/V2__fencing.sql",
                                "3 delivery expiry db/wasched/h2/V3__delivery_expiry.sql",
                                "4 lean indexes db/wasched/h2/V4__lean_indexes.sql",
                                "5 hot updates db/wasched/h2/V5__hot_updates.sql",
                                "6 inbound db/wasched/h2/V6__inbound.sql",
                                "7 replied db/wasched/h2/V7__replied.sql",
                                "8 dismissed db/wasched/h2/V8__dismissed.sql",
                                "9 webhooks db/wasched/h2/V9__webhooks.sql",
                                "10 accounts db/wasched/h2/V10__accounts.sql",
                                "11 access db/wasched/h2/V11__access.sql");
                // A script edited after it was applied is reported, not re-run.
                Sql.update(c, "UPDATE wasched_schema_history SET checksum = 'changed'");
            }
            assertThat(new Migrator(SqlDialect.h2()).migrate(ds)).isEmpty();
        }
    }

    @Test
    void instancesStartingTogetherOnPostgresMigrateOnce() throws Exception {
        try (HikariDataSource first = TestPostgres.pool("together", 2, true)) {
            startTogether(() -> TestPostgres.pool("together", 2, false));
            try (Connection c = first.getConnection()) {
                assertThat(Sql.query(c, "SELECT version FROM wasched_schema_history ORDER BY version",
                        rs -> rs.getInt(1))).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
            }
        }
    }

    @Test
    void instancesStartingTogetherOnH2MigrateOnce() throws Exception {
        try (HikariDataSource keepOpen = h2("together")) {
            startTogether(() -> h2("together"));
            try (Connection c = keepOpen.getConnection()) {
                assertThat(Sql.query(c, "SELECT version FROM wasched_schema_history ORDER BY version",
                        rs -> rs.getInt(1))).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
            }
        }
    }

    private static void startTogether(java.util.function.Supplier<HikariDataSource> pools) throws Exception {
        int n = 4;
        ExecutorService ex = Executors.newFixedThreadPool(n);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> fs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            fs.add(ex.submit(() -> {
                try (HikariDataSource ds = pools.get()) {
                    go.await();
                    JdbcStore.builder(ds).autoMigrate(true).build().close();
                }
                return null;
            }));
        }
        go.countDown();
        for (Future<?> f : fs) {
            f.get(60, TimeUnit.SECONDS);
        }
        ex.shutdown();
    }

    @Test
    void scriptsSplitOutsideQuotesAndComments() {
        List<String> s = SqlScript.statements("""
                -- a comment; with a semicolon
                CREATE TABLE a (x TEXT DEFAULT 'it''s; fine'); /* block; comment */
                CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql;
                SELECT "odd;name" FROM a
                """);
        assertThat(s).containsExactly("CREATE TABLE a (x TEXT DEFAULT 'it''s; fine')",
                "CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql", "SELECT \"odd;name\" FROM a");
    }

    @Test
    void theStoreRefusesAMissingSchemaWithAHint() throws Exception {
        try (HikariDataSource ds = h2("empty")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> JdbcStore.create(ds))
                    .isInstanceOf(dev.wasched.spi.store.StoreException.class)
                    .hasMessageContaining("db/wasched/h2/").hasMessageContaining("autoMigrate(true)");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "h2"})
    void aVersionOneDatabaseKeepsItsLeasesAndSessionsThroughVersionTwo(String name) throws Exception {
        SqlDialect dialect = name.equals("h2") ? SqlDialect.h2() : SqlDialect.postgres();
        SqlDialect firstOnly = withMigrations(dialect, dialect.migrations().subList(0, 1));
        try (HikariDataSource ds = name.equals("h2") ? h2("v1-to-v2") : TestPostgres.pool("v1tov2", 2, true)) {
            assertThat(new Migrator(firstOnly).migrate(ds)).containsExactly(1);
            java.time.Instant past = java.time.Instant.parse("2026-01-01T00:00:00Z");
            try (Connection c = ds.getConnection()) {
                Sql.update(c, "INSERT INTO wasched_lease (name, lease_owner, lease_until) VALUES (?, ?, ?)",
                        "session:shop", "old-instance", past);
                Sql.update(c, "INSERT INTO wasched_session (account, data, sha256, encrypted, saved_at, version)"
                        + " VALUES (?, ?, ?, ?, ?, ?)", "shop", new byte[]{7, 7}, "sha-v1", true, past, 3L);
            }
            assertThat(new Migrator(dialect).migrate(ds)).containsExactly(2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
            try (JdbcStore store = JdbcStore.create(ds)) {
                assertThat(store.sessions().load("shop")).hasValueSatisfying(snap -> {
                    assertThat(snap.data()).containsExactly(7, 7);
                    assertThat(snap.version()).isEqualTo(3);
                });
                var lease = store.leases().acquire("session:shop", "new-instance", java.time.Duration.ofSeconds(30))
                        .orElseThrow();
                assertThat(lease.epoch()).as("the expired V1 lease is taken with a new epoch").isEqualTo(2);
                assertThat(store.sessions().replace(new dev.wasched.spi.store.SessionSnapshot("shop", new byte[]{8},
                        "sha-v2", true, past, 4), lease)).as("a fenced save over a V1 snapshot").isTrue();
            }
        }
    }

    /**
     * A database made by an earlier release (the first {@code scripts} migrations, rows written as that release wrote
     * them, with its columns) is migrated to this release's schema, and the store reads back every contact, schedule
     * and delivery (one in each status) as it was.
     */
    @ParameterizedTest
    @CsvSource({"postgresql, 1", "postgresql, 2", "postgresql, 4", "h2, 1", "h2, 2", "h2, 4"})
    void migratingFromAnEarlierVersionKeepsEveryRow(String name, int scripts) throws Exception {
        SqlDialect dialect = name.equals("h2") ? SqlDialect.h2() : SqlDialect.postgres();
        Instant t = Instant.parse("2026-03-01T08:00:00.123Z");
        List<Contact> contacts = List.of(
                new Contact("c-1", "Ana María", new PhoneNumber("+34600000001"), Set.of("vip", "madrid"),
                        Map.of("city", "Madrid"), false, Registration.checked(true, t), ZoneId.of("Europe/Madrid"),
                        t, t.plusSeconds(5), 3),
                new Contact("c-2", "Bo", new PhoneNumber("+4915100000002"), Set.of(), Map.of(), true,
                        Registration.UNKNOWN, null, t, t, 1));
        List<Schedule> schedules = List.of(
                Schedule.builder().id("s-1").name("daily").account("shop").target(Target.tag("vip"))
                        .message(ScheduledMessage.template("greeting", Map.of("day", "Monday")))
                        .trigger(Trigger.cron("0 9 * * 1-5", ZoneId.of("Europe/Madrid"))).misfire(MisfirePolicy.skip())
                        .endAt(t.plusSeconds(86_400 * 30)).maxRuns(100).nextFireAt(t.plusSeconds(3600)).runs(4)
                        .skippedRuns(1).leaseOwner("old-instance").leaseUntil(t.plusSeconds(30)).createdAt(t)
                        .updatedAt(t.plusSeconds(60)).version(9).build(),
                Schedule.builder().id("s-2").name("once").account("shop").target(Target.contacts("c-1", "c-2"))
                        .message(ScheduledMessage.text("Hi")).trigger(Trigger.once(t)).misfire(MisfirePolicy.DEFAULT)
                        .paused(true).runs(1).createdAt(t).updatedAt(t).version(2).build());
        List<Delivery> deliveries = new ArrayList<>();
        for (DeliveryStatus status : DeliveryStatus.values()) {
            if (status == DeliveryStatus.DISMISSED) {
                continue; // allowed from V8 on: no earlier database holds it
            }
            boolean inFlight = status == DeliveryStatus.CLAIMED || status == DeliveryStatus.SENDING;
            boolean sent = status.compareTo(DeliveryStatus.SENT) >= 0 && status.compareTo(DeliveryStatus.READ) <= 0;
            Instant fire = t.plusSeconds(status.ordinal());
            deliveries.add(Delivery.builder().id("d-" + status).scheduleId("s-1").fireAt(fire)
                    .recipient(Recipient.contact("c-1", "+34600000001", ZoneId.of("Europe/Madrid"))).account("shop")
                    .content(MessageContent.text("Hola " + status)).status(status)
                    .attempts(status == DeliveryStatus.PENDING ? 0 : 2).dueAt(fire.plusSeconds(60))
                    .leaseOwner(inFlight ? "old-instance" : null).leaseUntil(inFlight ? t.plusSeconds(90) : null)
                    .lastError(status == DeliveryStatus.DEAD ? "number not on WhatsApp" : null)
                    .transportMessageId(sent || status == DeliveryStatus.SENDING ? "wamid." + status : null)
                    .sendMarker(scripts >= 2 && status == DeliveryStatus.SENDING ? "marker-7" : null)
                    .sentAt(sent ? fire.plusSeconds(61) : null)
                    .deliveredAt(status.compareTo(DeliveryStatus.DELIVERED) >= 0 && sent ? fire.plusSeconds(62) : null)
                    .readAt(status == DeliveryStatus.READ ? fire.plusSeconds(63) : null).createdAt(t)
                    .updatedAt(t.plusSeconds(64)).version(status.ordinal() + 1).build());
        }
        deliveries.add(Delivery.builder().id("d-group").scheduleId("s-2").fireAt(t)
                .recipient(Recipient.group("Team", null)).account("shop").content(MessageContent.text("Stand-up"))
                .status(DeliveryStatus.PENDING).dueAt(t).createdAt(t).updatedAt(t).build());

        try (HikariDataSource ds = name.equals("h2") ? h2("keep-" + scripts) : TestPostgres.pool("keep" + scripts, 2, true)) {
            List<String> all = dialect.migrations();
            new Migrator(withMigrations(dialect, all.subList(0, scripts))).migrate(ds);
            try (Connection c = ds.getConnection()) {
                for (Contact k : contacts) {
                    insert(c, "wasched_contact", "id", k.id(), "display_name", k.displayName(),
                            "search_name", JdbcContacts.searchable(k.displayName()), "phone", k.phone().e164(),
                            "tags", StoreCodec.tags(k.tags()), "fields", StoreCodec.fields(k.fields()),
                            "opted_out", k.optedOut(), "registration_status", k.registration().status().name(),
                            "registration_checked_at", k.registration().checkedAt(),
                            "time_zone", k.zone() == null ? null : k.zone().getId(), "created_at", k.createdAt(),
                            "updated_at", k.updatedAt(), "version", k.version());
                    for (String tag : k.tags()) {
                        insert(c, "wasched_contact_tag", "tag", tag, "contact_id", k.id());
                    }
                }
                for (Schedule x : schedules) {
                    insert(c, "wasched_schedule", "id", x.id(), "name", x.name(), "account", x.account(),
                            "target", StoreCodec.target(x.target()), "message", StoreCodec.message(x.message()),
                            "fire_trigger", StoreCodec.trigger(x.trigger()), "misfire", StoreCodec.misfire(x.misfire()),
                            "end_at", x.endAt(), "max_runs", x.maxRuns(), "paused", x.paused(),
                            "next_fire_at", x.nextFireAt(), "runs", x.runs(), "skipped_runs", x.skippedRuns(),
                            "lease_owner", x.leaseOwner(), "lease_until", x.leaseUntil(), "created_at", x.createdAt(),
                            "updated_at", x.updatedAt(), "version", x.version());
                }
                for (Delivery d : deliveries) {
                    List<Object> row = new ArrayList<>(List.of("id", d.id(), "schedule_id", d.scheduleId(),
                            "fire_at", d.fireAt(), "recipient_key", d.recipient().key(),
                            "recipient", StoreCodec.recipient(d.recipient()),
                            "recipient_address", d.recipient().address(), "account", d.account(),
                            "content", StoreCodec.content(d.content()), "status", d.status().name(),
                            "attempts", d.attempts(), "due_at", d.dueAt(), "created_at", d.createdAt(),
                            "updated_at", d.updatedAt(), "version", d.version()));
                    row.addAll(Arrays.asList("contact_id", d.recipient().contactId(), "lease_owner", d.leaseOwner(),
                            "lease_until", d.leaseUntil(), "last_error", d.lastError(),
                            "transport_message_id", d.transportMessageId(), "sent_at", d.sentAt(),
                            "delivered_at", d.deliveredAt(), "read_at", d.readAt()));
                    if (scripts >= 2) {
                        row.addAll(Arrays.asList("send_marker", d.sendMarker()));
                    }
                    insert(c, "wasched_delivery", row.toArray());
                }
            }

            assertThat(new Migrator(dialect).migrate(ds)).as("the versions still missing")
                    .hasSize(all.size() - scripts);
            try (JdbcStore store = JdbcStore.create(ds)) {
                for (Contact k : contacts) {
                    assertThat(store.contacts().findById(k.id())).contains(k);
                }
                assertThat(store.contacts().findByTag("vip", PageRequest.first(10)).items()).containsExactly(contacts.get(0));
                for (Schedule x : schedules) {
                    assertThat(store.schedules().findById(x.id())).contains(x);
                }
                for (Delivery d : deliveries) {
                    assertThat(store.deliveries().findById(d.id())).contains(d);
                }
                assertThat(store.deliveries().history(DeliveryQuery.all(), PageRequest.first(50)).items())
                        .containsExactlyInAnyOrderElementsOf(deliveries);
                assertThat(store.deliveries().findInFlight("shop", 10)).extracting(Delivery::id)
                        .containsExactlyInAnyOrder("d-CLAIMED", "d-SENDING");
                assertThat(store.deliveries().findLeasedBy("old-instance", 10)).extracting(Delivery::id)
                        .containsExactlyInAnyOrder("d-CLAIMED", "d-SENDING");
                assertThat(store.deliveries().findPending("s-1", null, 10)).extracting(Delivery::id)
                        .containsExactly("d-PENDING");
                assertThat(store.deliveries().findByTransportMessageId("shop", "wamid.READ")).contains(
                        deliveries.get(DeliveryStatus.READ.ordinal()));
                assertThat(store.deliveries().wasSentTo("shop", "+34600000001")).isTrue();
            }
        }
    }

    /** An INSERT of the named columns ({@code column, value, column, value, ...}). */
    private static void insert(Connection c, String table, Object... columnsAndValues) throws SQLException {
        List<String> columns = new ArrayList<>();
        List<Object> values = new ArrayList<>();
        for (int i = 0; i < columnsAndValues.length; i += 2) {
            columns.add((String) columnsAndValues[i]);
            values.add(columnsAndValues[i + 1]);
        }
        Sql.update(c, "INSERT INTO " + table + " (" + String.join(", ", columns) + ") VALUES ("
                + Sql.placeholders(columns.size()) + ")", values);
    }

    /** The dialect with other migration scripts (the first ones only, or a later release's). */
    private static SqlDialect withMigrations(SqlDialect dialect, List<String> scripts) {
        return (SqlDialect) java.lang.reflect.Proxy.newProxyInstance(MigrationTest.class.getClassLoader(),
                new Class<?>[]{SqlDialect.class}, (p, m, args) -> m.getName().equals("migrations")
                        ? scripts : m.invoke(dialect, args));
    }

    @Test
    void aGapInTheVersionsIsAppliedInOrderAndFilledWhenTheMissingScriptComes() throws Exception {
        // A release that left version 3 out, then one that has it (here a test script in its place).
        List<String> all = SqlDialect.h2().migrations();
        List<String> withGap = new ArrayList<>(all);
        withGap.removeIf(r -> r.contains("/V3__"));
        SqlDialect h2 = withMigrations(SqlDialect.h2(), withGap);
        try (HikariDataSource ds = h2("gap")) {
            assertThat(new Migrator(h2).migrate(ds)).containsExactlyElementsOf(java.util.stream.IntStream
                    .rangeClosed(1, all.size()).filter(v -> v != 3).boxed().toList());
            List<String> later = new ArrayList<>(withGap);
            later.add(2, "migration-gap/V3__late_column.sql");
            // A later release that has the missing version applies just that one, although a newer one is applied.
            assertThat(new Migrator(withMigrations(h2, later)).migrate(ds)).containsExactly(3);
            assertThat(new Migrator(withMigrations(h2, later)).migrate(ds)).isEmpty();
            try (Connection c = ds.getConnection()) {
                assertThat(Sql.query(c, "SELECT late FROM wasched_template", rs -> rs.getString(1))).isEmpty();
            }
        }
    }

    @Test
    void bothDialectsCreateTheSameIndexes() throws Exception {
        try (HikariDataSource pg = TestPostgres.pool("indexes", 2, true); HikariDataSource h2 = h2("indexes")) {
            new Migrator(SqlDialect.postgres()).migrate(pg);
            new Migrator(SqlDialect.h2()).migrate(h2);
            List<String> onPostgres;
            try (Connection c = pg.getConnection()) {
                // Indexes of their own, not those behind a primary or unique key (H2 names those itself).
                onPostgres = Sql.query(c, "SELECT i.relname FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid"
                        + " WHERE i.relnamespace = current_schema()::regnamespace AND NOT EXISTS"
                        + " (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid) ORDER BY 1",
                        rs -> rs.getString(1));
            }
            try (Connection c = h2.getConnection()) {
                assertThat(Sql.query(c, "SELECT LOWER(index_name) FROM information_schema.indexes"
                        + " WHERE table_schema = 'PUBLIC' AND index_type_name = 'INDEX' ORDER BY 1",
                        rs -> rs.getString(1))).isEqualTo(onPostgres);
            }
        }
    }

    static HikariDataSource h2(String name) {
        return TestH2.pool("migration-" + name);
    }

}
