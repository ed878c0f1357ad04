/**
 * Who may use a wasched installation and what they did: {@link dev.wasched.access.User users} with a
 * {@link dev.wasched.access.Role role} and a password kept only as a hash, {@link dev.wasched.access.ApiKey API keys}
 * for machines (kept only as a hash of the key), and the {@link dev.wasched.access.AuditEntry audit log}. Every store
 * keeps them ({@link dev.wasched.spi.store.UserRepository}, {@link dev.wasched.spi.store.AuditRepository}); hashing
 * and checking passwords is the web console's job, so the core never sees a password.
 */
package dev.wasched.access;
