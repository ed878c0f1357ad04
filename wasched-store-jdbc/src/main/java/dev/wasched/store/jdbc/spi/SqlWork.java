package dev.wasched.store.jdbc.spi;

import java.sql.Connection;
import java.sql.SQLException;

/** Work done on one connection. */
@FunctionalInterface
public interface SqlWork<T> {
    T run(Connection connection) throws SQLException;
}
