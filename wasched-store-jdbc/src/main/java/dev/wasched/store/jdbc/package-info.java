/** The JDBC store: {@link dev.wasched.store.jdbc.JdbcStore} on PostgreSQL or H2. */
package dev.wasched.store.jdbc;
