package dev.wasched.store.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import dev.wasched.spi.store.WaschedStore;
import dev.wasched.testkit.store.StoreCompatibilityKit;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;

/**
 * The store kit on PostgreSQL; every store object of a test (the kit's engines too) has its own pool on one schema.
 * The first store of each test runs on a pool kept for the whole class, as a host keeps its pool across stores.
 */
class PostgresStoreCompatibilityTest extends StoreCompatibilityKit {
    private static final String SCHEMA = "kit";
    private static HikariDataSource classPool;

    @Override
    protected WaschedStore createStore() {
        HikariDataSource pool;
        synchronized (PostgresStoreCompatibilityTest.class) {
            if (classPool == null) {
                classPool = TestPostgres.pool(SCHEMA, 8, true);
                JdbcStore.builder(classPool).autoMigrate(true).build().close();
            }
            pool = classPool;
        }
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("TRUNCATE wasched_contact, wasched_contact_tag, wasched_template, wasched_schedule,"
                    + " wasched_delivery, wasched_media, wasched_session, wasched_session_quarantine, wasched_lease,"
                    + " wasched_instance, wasched_pacing, wasched_inbound, wasched_account,"
                    + " wasched_webhook_endpoint, wasched_webhook_outbox");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        // Closing a JdbcStore leaves the host's DataSource open, so the pool outlives each test's store.
        return JdbcStore.create(pool);
    }

    @Override
    protected WaschedStore openAnotherStore(WaschedStore first) {
        HikariDataSource pool = TestPostgres.pool(SCHEMA, 8, false);
        return new PooledStore(JdbcStore.create(pool), pool);
    }

    /** Half the kit's campaign: still several claim batches per account, and the engines' schedulers still race. */
    @Override
    protected int engineTestDeliveries() {
        return 1000;
    }

    @AfterAll
    static void closePool() {
        synchronized (PostgresStoreCompatibilityTest.class) {
            if (classPool != null) {
                classPool.close();
                classPool = null;
            }
        }
    }
}
