package dev.wasched.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/** In-memory H2 databases for tests that want a host-style pool rather than {@link JdbcStore#embedded}. */
public final class TestH2 {
    private TestH2() {
    }

    /** A pool on the named in-memory database, which lives while the pool has connections (and 10 s after). */
    public static HikariDataSource pool(String name) {
        HikariConfig c = new HikariConfig();
        c.setJdbcUrl("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=10");
        c.setMaximumPoolSize(3);
        return new HikariDataSource(c);
    }
}
