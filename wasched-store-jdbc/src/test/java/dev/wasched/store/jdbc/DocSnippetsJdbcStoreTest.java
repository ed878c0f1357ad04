package dev.wasched.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.wasched.Wasched;
import dev.wasched.contact.ContactSpec;
import dev.wasched.spi.store.WaschedStore;
import dev.wasched.testkit.transport.RecordingTransport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JDBC examples of docs/stores.md: a host's pool on H2, an embedded file, and PostgreSQL migrated by Flyway. */
class DocSnippetsJdbcStoreTest {
    @TempDir
    Path dataDir;

    @Test
    void aStoreOnTheHostsPoolAndAnEmbeddedOneKeepWhatWaschedWrites() throws Exception {
        try (HikariDataSource dataSource = TestH2.pool("docs_jdbc")) {
            // docs:docs/stores.md#jdbc-store-postgresql-h2:begin
            // On the host's pool (HikariCP or any DataSource); the dialect comes from the connection metadata.
            WaschedStore store = JdbcStore.builder(dataSource)
                    .autoMigrate(true)               // create/upgrade the schema on start (off by default)
                    .build();
            WaschedStore same = JdbcStore.create(dataSource);          // schema already there (Flyway, Liquibase)

            // Embedded: an H2 file behind its own HikariCP pool; the schema is migrated on start.
            WaschedStore local = JdbcStore.embedded(dataDir.resolve("wasched"));   // dataDir/wasched.mv.db
            // docs:docs/stores.md#jdbc-store-postgresql-h2:end

            addAnn(store);
            assertThat(same.contacts().findByPhone("+4915112345678")).as("the same database").isPresent();
            addAnn(local);
            assertThat(Files.exists(dataDir.resolve("wasched.mv.db"))).isTrue();
            local.close();
            try (WaschedStore reopened = JdbcStore.embedded(dataDir.resolve("wasched"))) {
                assertThat(reopened.contacts().findByPhone("+4915112345678")).as("kept in the file").isPresent();
            }
            same.close();
            store.close();
        }
    }

    @Test
    void flywayAppliesWaschedsScriptsBesideTheApplicationsOwn() throws Exception {
        try (HikariDataSource dataSource = TestPostgres.pool("docs_flyway", 2, true)) {
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE app_orders (id BIGINT PRIMARY KEY)");   // the application's own schema
            }

            // docs:docs/stores.md#schema-and-migrations:begin
            // Flyway: a separate history table keeps wasched's versions apart from the application's own V1, V2, ...
            // (baseline at 0 because the schema may already hold the application's tables; V1 still runs).
            Flyway.configure().dataSource(dataSource)
                    .locations("classpath:db/wasched/postgresql")
                    .table("wasched_flyway_history")
                    .baselineOnMigrate(true).baselineVersion("0")
                    .load().migrate();
            WaschedStore store = JdbcStore.create(dataSource);
            // docs:docs/stores.md#schema-and-migrations:end

            List<String> versions = new ArrayList<>();
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                 ResultSet r = s.executeQuery("SELECT version FROM wasched_flyway_history WHERE success ORDER BY installed_rank")) {
                while (r.next()) {
                    versions.add(r.getString(1));
                }
            }
            assertThat(versions).startsWith("0", "1");
            addAnn(store);
            assertThat(store.contacts().findByPhone("+4915112345678")).isPresent();
            store.close();
        }
    }

    /** Ann, written through a wasched on {@code store}. */
    private static void addAnn(WaschedStore store) {
        try (Wasched wasched = Wasched.builder().store(store).transport(new RecordingTransport("shop")).build()) {
            wasched.contacts().create(ContactSpec.builder().name("Ann").phone("+4915112345678").build());
        }
    }
}
