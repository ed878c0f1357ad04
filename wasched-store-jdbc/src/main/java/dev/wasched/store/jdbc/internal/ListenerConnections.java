package dev.wasched.store.jdbc.internal;

import com.zaxxer.hikari.HikariCredentialsProvider;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.util.Credentials;
import com.zaxxer.hikari.util.DriverDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the change listener gets its connection. It keeps one for as long as someone is subscribed, so it should not
 * take it from the store's pool, whose connections the engine sends with (a pool of one would have none left): a
 * DataSource given for it; else, on a HikariCP pool, a connection of its own made as the pool makes its connections
 * (the DataSource the pool wraps, or its JDBC URL, driver properties and credentials); else, on a DataSource of
 * another kind, which cannot tell how to connect beside it, one of that DataSource's connections.
 */
final class ListenerConnections {
    private static final Logger log = LoggerFactory.getLogger(ListenerConnections.class);

    /** Opens the listener's connection; it is closed by the listener. */
    @FunctionalInterface
    interface Source {
        Connection open() throws SQLException;
    }

    private ListenerConnections() {
    }

    static Source of(DataSource store, DataSource given) {
        if (given != null) {
            return given::getConnection;
        }
        HikariDataSource pool = hikari(store);
        if (pool != null && pool.getDataSource() != null) {
            DataSource wrapped = pool.getDataSource();
            return () -> withCredentials(pool, (user, password) -> user == null
                    ? wrapped.getConnection() : wrapped.getConnection(user, password));
        }
        if (pool != null && pool.getJdbcUrl() != null) {
            Properties properties = new Properties();
            properties.putAll(pool.getDataSourceProperties());
            DriverDataSource driver = new DriverDataSource(pool.getJdbcUrl(), pool.getDriverClassName(), properties,
                    pool.getUsername(), pool.getPassword());
            return () -> withCredentials(pool, (user, password) -> user == null
                    ? driver.getConnection() : driver.getConnection(user, password));
        }
        log.info("the change listener holds one connection of the store's DataSource while the engine runs; give it"
                + " its own with JdbcStore.builder(...).changeListenerDataSource(...)");
        return store::getConnection;
    }

    private interface Connect {
        Connection open(String user, String password) throws SQLException;
    }

    /** The pool's credentials provider, when it has one, is asked at every connect, as the pool does. */
    private static Connection withCredentials(HikariDataSource pool, Connect connect) throws SQLException {
        HikariCredentialsProvider provider = pool.getCredentialsProvider();
        Credentials c = provider != null ? provider.getCredentials() : null;
        if (c != null) {
            return connect.open(c.getUsername(), c.getPassword());
        }
        return connect.open(pool.getUsername(), pool.getPassword());
    }

    /** The HikariCP pool behind {@code ds}, directly or through wrappers that unwrap to it; null for anything else. */
    private static HikariDataSource hikari(DataSource ds) {
        if (ds instanceof HikariDataSource h) {
            return h;
        }
        try {
            return ds.isWrapperFor(HikariDataSource.class) ? ds.unwrap(HikariDataSource.class) : null;
        } catch (SQLException | RuntimeException e) {
            return null;
        }
    }
}
