package dev.wasched.store.jdbc;

import static dev.wasched.store.jdbc.StoreFixtures.T0;
import static dev.wasched.store.jdbc.StoreFixtures.delivery;
import static dev.wasched.store.jdbc.StoreFixtures.id;
import static dev.wasched.store.jdbc.StoreFixtures.schedule;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.wasched.PageRequest;
import dev.wasched.contact.Contact;
import dev.wasched.contact.PhoneNumber;
import dev.wasched.contact.Registration;
import dev.wasched.delivery.Delivery;
import dev.wasched.delivery.DeliveryQuery;
import dev.wasched.delivery.Recipient;
import dev.wasched.message.MessageContent;
import dev.wasched.schedule.Schedule;
import dev.wasched.spi.store.ScheduleRepository.FanOutResult;
import dev.wasched.spi.store.StoreException;
import dev.wasched.store.jdbc.spi.SqlDialect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JdbcStoreTest {
    /** A fresh store of the named database; closing the returned store closes everything it opened. */
    private static Supplier<PooledStore> fresh(String db, String schema) {
        return () -> {
            if (db.equals("postgresql")) {
                HikariDataSource pool = TestPostgres.pool(schema, 4, true);
                return new PooledStore(JdbcStore.builder(pool).autoMigrate(true).build(), pool);
            }
            HikariDataSource pool = TestH2.pool(schema + System.nanoTime());
            return new PooledStore(JdbcStore.builder(pool).autoMigrate(true).build(), pool);
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "h2"})
    void aFanOutWhoseScheduleChangedInsertsNothing(String db) {
        try (PooledStore store = fresh(db, "fanout_stale").get()) {
            Schedule s = schedule(id(), T0);
            store.schedules().insert(s);
            Schedule claimed = store.schedules().claimDue(T0, "i1", T0.plusSeconds(30), 1).get(0);
            // Paused meanwhile through the API: the claimed copy is stale now.
            assertThat(store.schedules().update(claimed.withPaused(true, claimed.nextFireAt(), T0))).isTrue();
            List<Delivery> ds = List.of(delivery(s.id(), "A", T0), delivery(s.id(), "B", T0));
            FanOutResult r = store.schedules().fanOut(claimed.advanced(null, 1, 0, T0), ds);
            assertThat(r).isEqualTo(new FanOutResult(0, false));
            assertThat(store.deliveries().history(DeliveryQuery.all().forSchedule(s.id()), PageRequest.first(10))
                    .items()).as("rolled back").isEmpty();
            assertThat(store.schedules().findById(s.id()).orElseThrow().paused()).isTrue();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "h2"})
    void aLargeFanOutSkipsDuplicatesEvenWithinOneCall(String db) {
        try (PooledStore store = fresh(db, "fanout_large").get()) {
            Schedule s = schedule(id(), T0);
            store.schedules().insert(s);
            Schedule claimed = store.schedules().claimDue(T0, "i1", T0.plusSeconds(30), 1).get(0);
            List<Delivery> ds = new ArrayList<>();
            for (int i = 0; i < 3000; i++) {
                ds.add(delivery(s.id(), "group-" + i, T0));
            }
            ds.add(delivery(s.id(), "group-7", T0)); // the same key twice in one fan-out
            FanOutResult r = store.schedules().fanOut(claimed.advanced(null, 1, 0, T0), ds);
            assertThat(r).isEqualTo(new FanOutResult(3000, true));
            assertThat(store.deliveries().countDue("acc", T0)).isEqualTo(3000);
            assertThat(store.deliveries().countDue(null, T0.minusMillis(1))).isZero();
        }
    }

    /**
     * A transition writes only what a transition can change: what the insert wrote once (recipient, content,
     * schedule, occurrence, account, creation time) stays as inserted, whatever the updated record carries.
     */
    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "h2"})
    void anUpdateWritesOnlyWhatATransitionCanChange(String db) {
        try (PooledStore store = fresh(db, "narrow_update").get()) {
            Delivery inserted = delivery(id(), "Team", T0);
            store.deliveries().insertAll(List.of(inserted));
            Delivery claimed = inserted.claim("i1", null, T0.plusSeconds(1));
            Delivery altered = claimed.toBuilder().scheduleId("other-schedule").fireAt(T0.plusSeconds(9))
                    .recipient(Recipient.group("Other", null)).account("other-account")
                    .content(MessageContent.text("other text")).repliedAt(T0.plusSeconds(9)).createdAt(T0.plusSeconds(9))
                    .build();
            assertThat(store.deliveries().update(altered)).isTrue();
            assertThat(store.deliveries().findById(inserted.id())).contains(claimed);

            Schedule s = schedule(id(), T0);
            store.schedules().insert(s);
            Schedule paused = s.withPaused(true, s.nextFireAt(), T0.plusSeconds(2));
            assertThat(store.schedules().update(paused.toBuilder().createdAt(T0.plusSeconds(9)).build())).isTrue();
            assertThat(store.schedules().findById(s.id())).as("created_at as inserted").contains(paused);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "h2"})
    void tagRowsFollowTheContact(String db) throws SQLException {
        try (PooledStore store = fresh(db, "tags").get()) {
            Contact v1 = new Contact("c1", "Ann", PhoneNumber.of("+4915112345678"), Set.of("a", "b"), Map.of(), false,
                    Registration.UNKNOWN, null, T0, T0, 1);
            store.contacts().insert(v1);
            Contact v2 = new Contact("c1", "Ann", v1.phone(), Set.of("b", "c"), Map.of(), false, Registration.UNKNOWN,
                    null, T0, T0, 2);
            assertThat(store.contacts().update(v2)).isTrue();
            assertThat(store.contacts().update(v1)).as("stale").isFalse();
            assertThat(store.contacts().findByTag("a", PageRequest.first(10)).items()).isEmpty();
            assertThat(store.contacts().findByTag("b", PageRequest.first(10)).items()).containsExactly(v2);
            assertThat(store.contacts().findByTag("c", PageRequest.first(10)).items()).containsExactly(v2);
            assertThat(store.contacts().delete("c1")).isTrue();
            assertThat(store.contacts().delete("c1")).isFalse();
            try (Connection c = store.pool.getConnection(); Statement st = c.createStatement();
                 var rs = st.executeQuery("SELECT COUNT(*) FROM wasched_contact_tag")) {
                rs.next();
                assertThat(rs.getInt(1)).isZero();
            }
        }
    }

    @Test
    void theDialectIsDetectedAndCanBeOverridden() {
        try (PooledStore pg = fresh("postgresql", "detect").get(); PooledStore h2 = fresh("h2", "detect").get()) {
            assertThat(pg.store.dialect().name()).isEqualTo("postgresql");
            assertThat(h2.store.dialect().name()).isEqualTo("h2");
            try (JdbcStore forced = JdbcStore.builder(h2.pool).dialect(SqlDialect.h2()).changeNotifications(false)
                    .build()) {
                assertThat(forced.dialect()).isSameAs(SqlDialect.h2());
            }
        }
    }

    @Test
    void closingAStoreLeavesTheHostsDataSourceOpen() {
        try (PooledStore s = fresh("h2", "host").get()) {
            JdbcStore second = JdbcStore.create(s.pool);
            second.subscribeToChanges(() -> { });
            second.close();
            second.close();
            assertThat(s.pool.isClosed()).isFalse();
            s.store.ping();
            assertThat(s.store.contacts().count()).isZero();
        }
    }

    @Test
    void anEmbeddedStoreOwnsItsPoolAndFile() throws Exception {
        Path file = StoreFixtures.tempFile("embedded").resolveSibling("nested/dir/wasched");
        JdbcStore store = JdbcStore.embedded(file);
        store.ping();
        store.schedules().insert(schedule("s1", T0));
        assertThat(Files.exists(file.resolveSibling("wasched.mv.db"))).isTrue();
        store.close();
        assertThatThrownBy(store::ping).isInstanceOf(StoreException.class);
        assertThatThrownBy(() -> store.contacts().count()).isInstanceOf(StoreException.class);
        // The file is closed and complete: another store (another process, next run) opens it.
        try (JdbcStore again = JdbcStore.embedded(file.resolveSibling("wasched.mv.db"))) {
            assertThat(again.schedules().findById("s1")).isPresent();
        }
    }

    @Test
    void anEmbeddedPathCannotCarryDatabaseSettings() {
        Path sneaky = StoreFixtures.tempFile("semi").resolveSibling("db;INIT=RUNSCRIPT FROM 'x.sql'");
        assertThatThrownBy(() -> JdbcStore.embedded(sneaky)).isInstanceOf(dev.wasched.ValidationException.class)
                .hasMessageContaining("must not contain ';'");
        assertThat(Files.exists(sneaky.resolveSibling("db.mv.db"))).isFalse();
    }

    @Test
    void sqlErrorsBecomeStoreExceptionsNamingTheOperation() throws SQLException {
        try (PooledStore s = fresh("h2", "errors").get()) {
            try (Connection c = s.pool.getConnection(); Statement st = c.createStatement()) {
                st.execute("DROP TABLE wasched_template");
            }
            assertThatThrownBy(() -> s.templates().list()).isInstanceOf(StoreException.class)
                    .hasMessageStartingWith("list templates failed").hasCauseInstanceOf(SQLException.class);
        }
    }
}
