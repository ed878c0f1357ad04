package dev.wasched.store.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.wasched.contact.Contact;
import dev.wasched.contact.PhoneNumber;
import dev.wasched.contact.Registration;
import dev.wasched.delivery.Delivery;
import dev.wasched.delivery.DeliveryStatus;
import dev.wasched.delivery.Recipient;
import dev.wasched.message.MessageContent;
import dev.wasched.schedule.MisfirePolicy;
import dev.wasched.schedule.Schedule;
import dev.wasched.schedule.ScheduledMessage;
import dev.wasched.schedule.Target;
import dev.wasched.schedule.Trigger;
import dev.wasched.spi.store.DispatchCycle;
import dev.wasched.spi.store.Lease;
import dev.wasched.store.jdbc.JdbcStore;
import dev.wasched.store.jdbc.TestH2;
import dev.wasched.store.jdbc.TestPostgres;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The schema lets the updates that only move a delivery within its phase rewrite the row in place (PostgreSQL's HOT
 * updates: no new index entries): the claim into SENDING and the DELIVERED and READ acks. A retry (a new due time)
 * and leaving the queue (SENT here) add index entries.
 */
class HotUpdatesTest {
    private static final Instant T0 = Instant.parse("2026-05-04T10:15:30.123Z");

    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "h2"})
    void thePhaseColumnHoldsWhatTheStatementsAssume(String database) throws SQLException {
        try (HikariDataSource pool = database.equals("h2") ? TestH2.pool("phase" + System.nanoTime())
                : TestPostgres.pool("phase", 2, true);
             JdbcStore store = JdbcStore.builder(pool).autoMigrate(true).build()) {
            List<Delivery> all = new ArrayList<>();
            for (DeliveryStatus status : DeliveryStatus.values()) {
                all.add(Delivery.builder().id("d-" + status).scheduleId("s").fireAt(T0.plusSeconds(status.ordinal()))
                        .recipient(Recipient.group("Team", null)).account("acc").content(MessageContent.text("x"))
                        .status(status).dueAt(T0).createdAt(T0).updatedAt(T0).build());
            }
            store.deliveries().insertAll(all);
            try (Connection c = pool.getConnection()) {
                for (DeliveryStatus status : DeliveryStatus.values()) {
                    assertThat(Sql.queryOne(c, "SELECT phase FROM wasched_delivery WHERE id = ?",
                            rs -> rs.getString(1), "d-" + status)).as("phase of %s", status)
                            .contains(JdbcDeliveries.phase(status));
                }
            }
        }
    }

    @Test
    void claimsRetriesAndAcksRewriteTheRowInPlace() throws Exception {
        String schema = "hot_updates";
        try (HikariDataSource pool = TestPostgres.pool(schema, 2, true);
             JdbcStore store = JdbcStore.builder(pool).autoMigrate(true).build()) {
            String phone = "+4915100000001";
            store.contacts().insert(new Contact("c-1", "Ann", PhoneNumber.of(phone), Set.of("vip"), Map.of(), false,
                    Registration.UNKNOWN, null, T0, T0, 1));
            store.schedules().insert(Schedule.builder().id("live").name("live").account("acc")
                    .target(Target.tag("vip")).message(ScheduledMessage.text("Hello"))
                    .trigger(Trigger.cron("0 9 * * MON", ZoneId.of("UTC"))).misfire(MisfirePolicy.DEFAULT)
                    .nextFireAt(T0.plus(Duration.ofDays(7))).createdAt(T0).updatedAt(T0).version(1).build());
            List<Delivery> pending = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                pending.add(Delivery.pending(String.format("0190%04x-0000-7000-8000-%012d", 7, i), "live",
                        T0.minusSeconds(10 - i), Recipient.contact("c-1", phone, ZoneId.of("UTC")), "acc",
                        MessageContent.text("Hello " + i), T0.minusSeconds(60)));
            }
            store.deliveries().insertAll(pending);
            Lease fence = store.leases().acquire("session:acc", "i1", Duration.ofSeconds(30)).orElseThrow();

            List<Delivery> sending = store.dispatch(new DispatchCycle("acc", T0, fence, List.of(), null, 10, false))
                    .sending();
            assertThat(sending).hasSize(10);
            List<Delivery> outcomes = new ArrayList<>();
            for (int i = 0; i < sending.size(); i++) {
                Delivery d = sending.get(i);
                outcomes.add(i < 5 ? d.sent("wamid." + i, T0, T0) : d.retryLater("busy", T0.plusSeconds(60), T0));
            }
            assertThat(store.dispatch(new DispatchCycle("acc", T0, fence, outcomes, null, 0, false)).notRecorded())
                    .isEmpty();
            for (int i = 0; i < 5; i++) {
                for (DeliveryStatus ack : List.of(DeliveryStatus.DELIVERED, DeliveryStatus.READ)) {
                    Delivery d = store.deliveries().findById(sending.get(i).id()).orElseThrow();
                    assertThat(store.deliveries().update(d.acknowledged(ack, T0), null)).isTrue();
                }
            }
        }
        // A backend reports its table counters when it ends: read them once the store's connections are closed.
        long[] counts = updates(schema, 30);
        assertThat(counts[0]).as("updates: 10 claims, 10 outcomes, 10 acks").isEqualTo(30);
        // A retry moves the due time, which the due index holds; SENT leaves the queue.
        assertThat(counts[1]).as("HOT updates: the claims and the acks").isEqualTo(20);
    }

    /** {updates, HOT updates} of the delivery table, waiting (up to 10 s) for the statistics to show {@code expected}. */
    private static long[] updates(String schema, long expected) throws Exception {
        try (HikariDataSource pool = TestPostgres.pool(schema, 1, false)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (true) {
                long[] counts = read(pool);
                if (counts[0] >= expected || System.nanoTime() > deadline) {
                    return counts;
                }
                Thread.sleep(50);
            }
        }
    }

    private static long[] read(DataSource pool) throws SQLException {
        try (Connection c = pool.getConnection()) {
            Sql.query(c, "SELECT pg_stat_clear_snapshot()", rs -> null);
            return Sql.queryOne(c, "SELECT n_tup_upd, n_tup_hot_upd FROM pg_stat_user_tables"
                            + " WHERE schemaname = current_schema() AND relname = 'wasched_delivery'",
                    rs -> new long[]{rs.getLong(1), rs.getLong(2)}).orElseThrow();
        }
    }
}
