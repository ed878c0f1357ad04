package dev.wasched.store.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import dev.wasched.spi.store.WaschedStore;
import dev.wasched.testkit.store.StoreCompatibilityKit;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** The store kit on PostgreSQL; every store object (the kit's engines too) has its own pool on one schema. */
class PostgresStoreCompatibilityTest extends StoreCompatibilityKit {
    private static final String SCHEMA = "kit";
    private static boolean migrated;

    @Override
    protected WaschedStore createStore() {
        HikariDataSource pool;
        synchronized (PostgresStoreCompatibilityTest.class) {
            pool = TestPostgres.pool(SCHEMA, 8, !migrated);
            if (!migrated) {
                JdbcStore.builder(pool).autoMigrate(true).build().close();
                migrated = true;
            }
        }
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("TRUNCATE wasched_contact, wasched_contact_tag, wasched_template, wasched_schedule,"
                    + " wasched_delivery, wasched_media, wasched_session, wasched_session_quarantine, wasched_lease,"
                    + " wasched_instance, wasched_pacing");
        } catch (SQLException e) {
            pool.close();
            throw new IllegalStateException(e);
        }
        return new PooledStore(JdbcStore.create(pool), pool);
    }

    @Override
    protected WaschedStore openAnotherStore(WaschedStore first) {
        HikariDataSource pool = TestPostgres.pool(SCHEMA, 8, false);
        return new PooledStore(JdbcStore.create(pool), pool);
    }
}
