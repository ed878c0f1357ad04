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
            assertThat(new Migrator(SqlDialect.h2()).migrate(ds)).containsExactly(1);
            assertThat(new Migrator(SqlDialect.h2()).migrate(ds)).isEmpty();
            try (Connection c = ds.getConnection()) {
                assertThat(Sql.query(c, "SELECT version, description, script FROM wasched_schema_history",
                        rs -> rs.getInt(1) + " " + rs.getString(2) + " " + rs.getString(3)))
                        .containsExactly("1 init db/wasched/h2/V1__init.sql");
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
                assertThat(Sql.query(c, "SELECT version FROM wasched_schema_history", rs -> rs.getInt(1)))
                        .containsExactly(1);
            }
        }
    }

    @Test
    void instancesStartingTogetherOnH2MigrateOnce() throws Exception {
        try (HikariDataSource keepOpen = h2("together")) {
            startTogether(() -> h2("together"));
            try (Connection c = keepOpen.getConnection()) {
                assertThat(Sql.query(c, "SELECT version FROM wasched_schema_history", rs -> rs.getInt(1)))
                        .containsExactly(1);
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

    static HikariDataSource h2(String name) {
        return TestH2.pool("migration-" + name);
    }

}
