/** The JDBC store's implementation: repositories, dialects, migrations, change notifications. Not an API. */
package dev.wasched.store.jdbc.internal;
