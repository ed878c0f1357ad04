/**
 * What differs per database for the JDBC store: {@link dev.wasched.store.jdbc.spi.SqlDialect}. Implement it to
 * support another database, together with its migration scripts.
 */
package dev.wasched.store.jdbc.spi;
