package dev.wasched.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * One PostgreSQL server per test JVM: the one {@code WASCHED_TEST_POSTGRES_URL} names (a full JDBC URL with user
 * and password), else an embedded server from zonky's binaries, started on first use and stopped at JVM exit.
 * Each test class works in its own schema, so classes never see each other's rows.
 */
public final class TestPostgres {
    private static String baseUrl;
    private static EmbeddedPostgres embedded;

    private TestPostgres() {
    }

    /** The server's JDBC URL (user and password included). */
    public static synchronized String baseUrl() {
        if (baseUrl == null) {
            String external = System.getenv("WASCHED_TEST_POSTGRES_URL");
            if (external != null && !external.isBlank()) {
                baseUrl = external;
            } else {
                try {
                    // zonky's binaries run as root too (the test containers here run as root).
                    embedded = EmbeddedPostgres.builder().start();
                } catch (IOException e) {
                    throw new UncheckedIOException("embedded PostgreSQL did not start", e);
                }
                baseUrl = embedded.getJdbcUrl("postgres", "postgres");
            }
        }
        return baseUrl;
    }

    /** A pool on {@code schema} (created empty when {@code fresh}). */
    public static HikariDataSource pool(String schema, int size, boolean fresh) {
        String url = baseUrl();
        if (fresh) {
            try (HikariDataSource admin = rawPool(url, 1); Connection c = admin.getConnection();
                 Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
                s.execute("CREATE SCHEMA " + schema);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }
        return rawPool(schemaUrl(schema), size);
    }

    /** The JDBC URL whose connections work in {@code schema}, for pools of other JVMs. */
    public static String schemaUrl(String schema) {
        String url = baseUrl();
        return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    private static HikariDataSource rawPool(String url, int size) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(1);
        config.setConnectionTimeout(20_000);
        config.setPoolName("test-" + Integer.toHexString(System.identityHashCode(config)));
        return new HikariDataSource(config);
    }
}
