package dev.wasched.store.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.wasched.store.jdbc.JdbcStore;
import dev.wasched.store.jdbc.TestH2;
import dev.wasched.store.jdbc.TestPostgres;
import dev.wasched.store.jdbc.spi.SqlDialect;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
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
            assertThat(new Migrator(SqlDialect.h2()).migrate(ds)).containsExactly(1, 2, 3);
            assertThat(new Migrator(SqlDialect.h2()).migrate(ds)).isEmpty();
            try (Connection c = ds.getConnection()) {
                assertThat(Sql.query(c, "SELECT version, description, script FROM wasched_schema_history",
                        rs -> rs.getInt(1) + " " + rs.getString(2) + " " + rs.getString(3)))
                        .containsExactly("1 init db/wasched/h2/V1__init.sql", "2 fencing db/wasched/h2/V2__fencing.sql",
                                "3 delivery expiry db/wasched/h2/V3__delivery_expiry.sql");
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
                        rs -> rs.getInt(1))).containsExactly(1, 2, 3);
            }
        }
    }

    @Test
    void instancesStartingTogetherOnH2MigrateOnce() throws Exception {
        try (HikariDataSource keepOpen = h2("together")) {
            startTogether(() -> h2("together"));
            try (Connection c = keepOpen.getConnection()) {
                assertThat(Sql.query(c, "SELECT version FROM wasched_schema_history ORDER BY version",
                        rs -> rs.getInt(1))).containsExactly(1, 2, 3);
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
        SqlDialect firstOnly = (SqlDialect) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[]{SqlDialect.class}, (p, m, args) -> m.getName().equals("migrations")
                        ? dialect.migrations().subList(0, 1) : m.invoke(dialect, args));
        try (HikariDataSource ds = name.equals("h2") ? h2("v1-to-v2") : TestPostgres.pool("v1tov2", 2, true)) {
            assertThat(new Migrator(firstOnly).migrate(ds)).containsExactly(1);
            java.time.Instant past = java.time.Instant.parse("2026-01-01T00:00:00Z");
            try (Connection c = ds.getConnection()) {
                Sql.update(c, "INSERT INTO wasched_lease (name, lease_owner, lease_until) VALUES (?, ?, ?)",
                        "session:shop", "old-instance", past);
                Sql.update(c, "INSERT INTO wasched_session (account, data, sha256, encrypted, saved_at, version)"
                        + " VALUES (?, ?, ?, ?, ?, ?)", "shop", new byte[]{7, 7}, "sha-v1", true, past, 3L);
            }
            assertThat(new Migrator(dialect).migrate(ds)).containsExactly(2, 3);
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

    static HikariDataSource h2(String name) {
        return TestH2.pool("migration-" + name);
    }

}
