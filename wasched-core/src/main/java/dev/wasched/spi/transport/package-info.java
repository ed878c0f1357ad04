/**
 * What a transport implements: one {@link dev.wasched.spi.transport.MessageTransport} per WhatsApp account.
 *
 * <p>The engine starts a transport only on the instance that holds the account's session lease, calls
 * it from one thread at a time (or from as many as {@link dev.wasched.spi.transport.MessageTransport#maxConcurrentSends}
 * declares), and closes it on shutdown or when the lease is lost. Failures are typed:
 * {@link dev.wasched.spi.transport.RetryableTransportException} (try again later),
 * {@link dev.wasched.spi.transport.PermanentTransportException} (never succeeds: dead-letter it),
 * {@link dev.wasched.spi.transport.SessionLostException} (the login is gone or the connection dropped before anything
 * was sent; the delivery waits until the account is READY again) and
 * {@link dev.wasched.spi.transport.OutcomeUnknownException} (the message may have left: the delivery becomes
 * UNCERTAIN and is never resent automatically). Retryable and session-lost failures promise that nothing was sent;
 * a transport that cannot promise that after the send action throws outcome-unknown. Only "known not sent" ever
 * leads to a second attempt.
 */
package dev.wasched.spi.transport;
