/**
 * What a transport implements: one {@link dev.wasched.spi.transport.MessageTransport} per WhatsApp account.
 *
 * <p>The engine starts a transport only on the instance that holds the account's session lease, calls
 * {@code send} from one thread at a time, and closes it on shutdown or when the lease is lost. Failures are typed:
 * {@link dev.wasched.spi.transport.RetryableTransportException} (try again later),
 * {@link dev.wasched.spi.transport.PermanentTransportException} (never succeeds: dead-letter it) and
 * {@link dev.wasched.spi.transport.SessionLostException} (the login is gone or the connection dropped; the delivery
 * waits, unsent, until the account is READY again).
 */
package dev.wasched.spi.transport;
