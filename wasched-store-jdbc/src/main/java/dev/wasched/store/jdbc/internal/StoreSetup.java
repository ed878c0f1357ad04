package dev.wasched.store.jdbc.internal;

import dev.wasched.spi.store.StoreException;
import dev.wasched.store.jdbc.spi.SqlDialect;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;

/** What building a store needs beyond the repositories: the change feed and the schema check. */
public final class StoreSetup {
    static final List<String> TABLES = List.of("wasched_contact", "wasched_contact_tag", "wasched_template",
            "wasched_schedule", "wasched_delivery", "wasched_media", "wasched_session", "wasched_session_quarantine",
            "wasched_lease", "wasched_instance", "wasched_pacing");

    private StoreSetup() {
    }

    /**
     * The feed for {@code subscribeToChanges}: a LISTEN connection when the database notifies, else the in-JVM bus
     * of this database.
     *
     * @param listenerDataSource where the LISTEN connection comes from; null: see {@link ListenerConnections}
     */
    public static ChangeFeed changeFeed(DataSource dataSource, DataSource listenerDataSource, SqlDialect dialect,
                                        boolean listen, String database) {
        if (listen) {
            return new ChangeFeed(feed ->
                    PgListener.start(ListenerConnections.of(dataSource, listenerDataSource), dialect, feed));
        }
        return new ChangeFeed(feed -> {
            LocalChangeBus.register(database, feed);
            return () -> LocalChangeBus.unregister(database, feed);
        });
    }

    /** Fails with a clear message when the wasched tables are missing. */
    public static void checkSchema(DataSource dataSource, SqlDialect dialect) {
        try (Connection c = dataSource.getConnection()) {
            for (String table : TABLES) {
                try {
                    Sql.query(c, "SELECT 1 FROM " + table + " WHERE 1 = 0", rs -> null);
                } catch (SQLException e) {
                    throw new StoreException("the wasched schema is missing or incomplete (no table " + table
                            + "): apply the scripts in db/wasched/" + dialect.name()
                            + "/ (Flyway, Liquibase) or build the store with autoMigrate(true)", e);
                }
            }
        } catch (SQLException e) {
            throw new StoreException("cannot connect to the database: " + e.getMessage(), e);
        }
    }
}
