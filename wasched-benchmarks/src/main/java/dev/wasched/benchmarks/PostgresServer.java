package dev.wasched.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one embedded PostgreSQL of a run (zonky's binaries) and the pools on it. Every pool, whichever scheduler it
 * serves, gets the same HikariCP settings; each scheduler run works in a schema of its own.
 */
public final class PostgresServer implements AutoCloseable {
    /** pg_stat_database is fed by the statistics collector with up to about half a second of delay. */
    private static final long STATS_SETTLE_MS = 1_200;

    private final EmbeddedPostgres postgres;
    private final String url;
    private final int poolSize;
    private final AtomicInteger pools = new AtomicInteger();

    private PostgresServer(EmbeddedPostgres postgres, int poolSize) {
        this.postgres = postgres;
        this.url = postgres.getJdbcUrl("postgres", "postgres");
        this.poolSize = poolSize;
    }

    /** A server with the run's {@code synchronous_commit} and pools of the run's size. */
    public static PostgresServer start(BenchmarkSettings settings) {
        try {
            return new PostgresServer(EmbeddedPostgres.builder()
                    .setServerConfig("synchronous_commit", settings.synchronousCommit()).start(), settings.poolSize());
        } catch (IOException e) {
            throw new UncheckedIOException("embedded PostgreSQL did not start", e);
        }
    }

    /** Drops and creates {@code schema}, so a run never sees an earlier run's rows. */
    public void freshSchema(String schema) {
        execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE", "CREATE SCHEMA " + schema);
    }

    public void execute(String... sql) {
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            for (String q : sql) {
                s.execute(q);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A pool on {@code schema} with the settings every instance of either scheduler gets. */
    public CountedPool pool(String schema) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url + "&currentSchema=" + schema);
        config.setMaximumPoolSize(poolSize);
        config.setMinimumIdle(2);
        config.setConnectionTimeout(30_000);
        config.setPoolName("bench-" + pools.incrementAndGet());
        return new CountedPool(new HikariDataSource(config));
    }

    /**
     * The database's counters once every backend's statistics have arrived; call it after the pools of the
     * measured run are closed (a backend reports its last counts when its connection ends).
     */
    public DatabaseActivity activity() {
        try {
            Thread.sleep(STATS_SETTLE_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("SELECT pg_stat_clear_snapshot()");
            try (ResultSet rs = s.executeQuery("SELECT xact_commit, tup_returned FROM pg_stat_database "
                    + "WHERE datname = current_database()")) {
                rs.next();
                return new DatabaseActivity(rs.getLong(1), rs.getLong(2));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The row writes to {@code table} (schema-qualified) counted so far. Call it where {@link #activity()} is read:
     * a backend sends its counts at the end of a transaction at most every half second, and the rest when its
     * connection ends.
     */
    public TableWrites tableWrites(String table) {
        try (Connection c = postgres.getPostgresDatabase().getConnection()) {
            return TableWrites.read(c, table);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public String version() {
        return setting("server_version");
    }

    /** A server setting as the server reports it ({@code SHOW name}). */
    public String setting(String name) {
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SHOW " + name)) {
            rs.next();
            return rs.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }

    /** A HikariCP pool seen through a statement counter; closing it closes the pool. */
    public static final class CountedPool implements AutoCloseable {
        private final HikariDataSource hikari;
        private final Freeze freeze = new Freeze();
        private final CountingDataSource counting;

        CountedPool(HikariDataSource hikari) {
            this.hikari = hikari;
            this.counting = new CountingDataSource(hikari, freeze);
        }

        /**
         * The instance on this pool dies: its threads stop at their next call on the pool (or at {@link #freeze()},
         * which its transports pass), and its connections are cut, so PostgreSQL rolls back what they had begun, as
         * when a process's sockets close.
         */
        public void kill() {
            freeze.kill();
            hikari.close();
        }

        public boolean killed() {
            return freeze.killed();
        }

        /** What the instance on this pool passes before anything it does outside the database. */
        Freeze freeze() {
            return freeze;
        }

        public javax.sql.DataSource dataSource() {
            return counting.dataSource();
        }

        public long statements() {
            return counting.executed();
        }

        @Override
        public void close() {
            hikari.close();
        }
    }
}
