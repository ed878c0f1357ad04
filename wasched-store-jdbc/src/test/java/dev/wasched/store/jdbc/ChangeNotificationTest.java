package dev.wasched.store.jdbc;

import static dev.wasched.store.jdbc.StoreFixtures.T0;
import static dev.wasched.store.jdbc.StoreFixtures.delivery;
import static dev.wasched.store.jdbc.StoreFixtures.id;
import static dev.wasched.store.jdbc.StoreFixtures.schedule;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.wasched.delivery.Delivery;
import dev.wasched.schedule.Schedule;
import dev.wasched.spi.store.StoreChange;
import dev.wasched.spi.store.WaschedStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Writes through one store object wake subscribers of another on the same database. */
class ChangeNotificationTest {
    /** What every database must show: schedule writes, fan-out and deliveries due again wake the subscriber. */
    /** Waits until the calls announced so far have all arrived, then forgets them. */
    static void quiet(Semaphore calls) throws InterruptedException {
        while (calls.tryAcquire(300, TimeUnit.MILLISECONDS)) {
            calls.drainPermits();
        }
    }

    @SuppressWarnings("try")
    static void writesWakeSubscribers(WaschedStore listening, WaschedStore writing) throws Exception {
        Semaphore calls = new Semaphore(0);
        try (AutoCloseable sub = listening.subscribeToChanges(calls::release)) {
            quiet(calls);

            Schedule s = schedule(id(), T0);
            writing.schedules().insert(s);
            assertThat(calls.tryAcquire(3, TimeUnit.SECONDS)).as("schedule inserted").isTrue();

            Schedule claimed = writing.schedules().claimDue(T0, "i1", T0.plusSeconds(30), 1).get(0);
            quiet(calls);
            Delivery d = delivery(s.id(), "Team", T0);
            writing.schedules().fanOut(claimed.advanced(null, 1, 0, T0), List.of(d));
            assertThat(calls.tryAcquire(3, TimeUnit.SECONDS)).as("fan-out").isTrue();

            Delivery c = d.claim("i1", T0.plusSeconds(30), T0);
            writing.deliveries().update(c);
            quiet(calls);
            writing.deliveries().update(c.release(T0, T0));
            assertThat(calls.tryAcquire(3, TimeUnit.SECONDS)).as("delivery due again").isTrue();
        }
        quiet(calls);
        writing.schedules().insert(schedule(id(), T0));
        assertThat(calls.tryAcquire(1, TimeUnit.SECONDS)).as("after unsubscribing").isFalse();
    }

    /** A subscriber that asks what changed is told: the schedules, or the one account whose deliveries changed. */
    @SuppressWarnings("try")
    static void changesNameWhatChanged(WaschedStore listening, WaschedStore writing) throws Exception {
        BlockingQueue<StoreChange> changes = new LinkedBlockingQueue<>();
        try (AutoCloseable sub = listening.subscribeToStoreChanges(changes::add)) {
            Schedule s = schedule(id(), T0);
            writing.schedules().insert(s);
            assertThat(awaitChange(changes, StoreChange.SCHEDULES)).as("schedule inserted").isTrue();

            Schedule claimed = writing.schedules().claimDue(T0, "i1", T0.plusSeconds(30), 1).get(0);
            Delivery d = delivery(s.id(), "Team", T0);
            writing.schedules().fanOut(claimed.advanced(null, 1, 0, T0), List.of(d));
            assertThat(awaitChange(changes, StoreChange.deliveries(d.account(), d.dueAt())))
                    .as("fan-out, with when its delivery is due").isTrue();
            changes.clear();
            Delivery other = Delivery.pending(id(), s.id(), T0.plusSeconds(1), d.recipient(), "other-account", d.content(), T0);
            writing.deliveries().insertAll(List.of(other));
            assertThat(awaitChange(changes, StoreChange.deliveries("other-account", other.dueAt()))).as("insert").isTrue();
            assertThat(changes).doesNotContain(StoreChange.ANYTHING);
            assertThat(changes).noneMatch(c -> d.account().equals(c.account()));
        }
    }

    private static boolean awaitChange(BlockingQueue<StoreChange> changes, StoreChange wanted)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        while (System.nanoTime() < deadline) {
            StoreChange c = changes.poll(100, TimeUnit.MILLISECONDS);
            if (wanted.equals(c)) {
                return true;
            }
        }
        return false;
    }

    @Nested
    class OnPostgres {
        @Test
        void notificationsNameWhatChanged() throws Exception {
            try (HikariDataSource a = TestPostgres.pool("notify3", 4, true);
                 HikariDataSource b = TestPostgres.pool("notify3", 4, false);
                 JdbcStore listening = JdbcStore.builder(a).autoMigrate(true).build();
                 JdbcStore writing = JdbcStore.create(b)) {
                changesNameWhatChanged(listening, writing);
            }
        }

        @Test
        void otherPoolsWritesArriveThroughListenNotify() throws Exception {
            try (HikariDataSource a = TestPostgres.pool("notify", 4, true);
                 HikariDataSource b = TestPostgres.pool("notify", 4, false);
                 JdbcStore listening = JdbcStore.builder(a).autoMigrate(true).build();
                 JdbcStore writing = JdbcStore.create(b)) {
                writesWakeSubscribers(listening, writing);
                assertThat(listeners(a)).as("listening connection closed once nobody listens").isZero();
            }
        }

        @Test
        @SuppressWarnings("try")
        void theListenerDoesNotTakeTheOnlyConnectionOfAPoolOfOne() throws Exception {
            try (HikariDataSource one = TestPostgres.pool("notify4", 1, true);
                 HikariDataSource b = TestPostgres.pool("notify4", 2, false)) {
                try (JdbcStore listening = JdbcStore.builder(one).autoMigrate(true).build();
                     JdbcStore writing = JdbcStore.create(b)) {
                    writesWakeSubscribers(listening, writing);
                    Semaphore calls = new Semaphore(0);
                    try (AutoCloseable sub = listening.subscribeToChanges(calls::release)) {
                        assertThat(listeners(b)).as("listening").isEqualTo(1);
                        assertThat(one.getHikariPoolMXBean().getActiveConnections()).as("pool connections in use")
                                .isZero();
                        quiet(calls);
                        Schedule s = schedule(id(), T0);
                        listening.schedules().insert(s);
                        assertThat(listening.schedules().findById(s.id())).isPresent();
                        assertThat(calls.tryAcquire(3, TimeUnit.SECONDS)).as("its own write, announced").isTrue();
                    }
                }
                assertThat(listeners(b)).as("closed with the store").isZero();
            }
        }

        @Test
        @SuppressWarnings("try")
        void aDataSourceGivenForTheListenerIsWhereItConnects() throws Exception {
            try (HikariDataSource a = TestPostgres.pool("notify5", 2, true);
                 HikariDataSource b = TestPostgres.pool("notify5", 2, false)) {
                org.postgresql.ds.PGSimpleDataSource own = new org.postgresql.ds.PGSimpleDataSource();
                own.setURL(TestPostgres.schemaUrl("notify5"));
                own.setApplicationName("wasched-own-listener");
                try (JdbcStore listening = JdbcStore.builder(a).autoMigrate(true).changeListenerDataSource(own).build();
                     JdbcStore writing = JdbcStore.create(b)) {
                    writesWakeSubscribers(listening, writing);
                    try (AutoCloseable sub = listening.subscribeToChanges(() -> { })) {
                        try (Connection c = b.getConnection(); Statement st = c.createStatement();
                             ResultSet rs = st.executeQuery("SELECT application_name FROM pg_stat_activity"
                                     + " WHERE query LIKE 'LISTEN%' AND state = 'idle'")) {
                            assertThat(rs.next()).isTrue();
                            assertThat(rs.getString(1)).isEqualTo("wasched-own-listener");
                        }
                    }
                }
            }
        }

        @Test
        void rollbackAnnouncesNothingAndCloseEndsTheListener() throws Exception {
            try (HikariDataSource a = TestPostgres.pool("notify2", 4, true);
                 HikariDataSource b = TestPostgres.pool("notify2", 4, false)) {
                JdbcStore listening = JdbcStore.builder(a).autoMigrate(true).build();
                JdbcStore writing = JdbcStore.create(b);
                Semaphore calls = new Semaphore(0);
                listening.subscribeToChanges(calls::release);
                assertThat(listeners(b)).as("listening when subscribe returns").isEqualTo(1);
                Schedule s = schedule(id(), T0);
                writing.schedules().insert(s);
                Schedule claimed = writing.schedules().claimDue(T0, "i1", T0.plusSeconds(30), 1).get(0);
                assertThat(calls.tryAcquire(3, TimeUnit.SECONDS)).isTrue();
                quiet(calls);
                // A stale fan-out rolls back: nothing inserted, nothing announced.
                var result = writing.schedules().fanOut(s.advanced(null, 1, 0, T0), List.of(delivery(s.id(), "T", T0)));
                assertThat(result.scheduleUpdated()).isFalse();
                assertThat(claimed.version()).isEqualTo(2);
                assertThat(calls.tryAcquire(500, TimeUnit.MILLISECONDS)).isFalse();
                listening.close();
                assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("wasched-jdbc-"));
                assertThat(listeners(b)).isZero();
                writing.close();
            }
        }

        private long listeners(HikariDataSource ds) throws Exception {
            try (Connection c = ds.getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM pg_stat_activity WHERE query LIKE 'LISTEN%'"
                         + " AND state = 'idle' AND pid <> pg_backend_pid()")) {
                rs.next();
                // pg_stat_activity shows the last statement: UNLISTEN once the listener gave the connection back.
                return rs.getLong(1);
            }
        }
    }

    @Nested
    class OnH2 {
        @Test
        void storesInThisJvmTellWhatChanged() throws Exception {
            Path file = StoreFixtures.tempFile("notify-what");
            try (JdbcStore listening = JdbcStore.embedded(file); JdbcStore writing = JdbcStore.embedded(file)) {
                changesNameWhatChanged(listening, writing);
            }
        }

        @Test
        void storesInThisJvmOnTheSameFileWakeEachOther() throws Exception {
            Path file = StoreFixtures.tempFile("notify");
            try (JdbcStore listening = JdbcStore.embedded(file); JdbcStore writing = JdbcStore.embedded(file)) {
                writesWakeSubscribers(listening, writing);
            }
        }

        @Test
        @SuppressWarnings("try")
        void aStoreOnAnotherDatabaseDoesNotWake() throws Exception {
            try (JdbcStore listening = JdbcStore.embedded(StoreFixtures.tempFile("a"));
                 JdbcStore writing = JdbcStore.embedded(StoreFixtures.tempFile("b"))) {
                Semaphore calls = new Semaphore(0);
                try (AutoCloseable sub = listening.subscribeToChanges(calls::release)) {
                    writing.schedules().insert(schedule(id(), T0));
                    assertThat(calls.tryAcquire(300, TimeUnit.MILLISECONDS)).isFalse();
                }
            }
        }
    }
}
