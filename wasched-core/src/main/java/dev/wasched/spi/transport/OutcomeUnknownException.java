package dev.wasched.spi.transport;

/**
 * The send may or may not have reached WhatsApp: the message was handed over (typed and submitted, or posted) but no
 * answer proves either way, because the browser went away, the connection dropped or the page logged out while the
 * transport waited for confirmation. The engine records the delivery as UNCERTAIN and never sends it again on its
 * own: only proof from {@link MessageTransport#lookup} (a message seen after the attempt started) or a person settles
 * it.
 *
 * <p>Throw this whenever the transport cannot rule out that the message left. Use
 * {@link RetryableTransportException} only when it is known that nothing was sent.
 */
public final class OutcomeUnknownException extends TransportException {
    public OutcomeUnknownException(String message) {
        super(message, null);
    }

    public OutcomeUnknownException(String message, Throwable cause) {
        super(message, cause);
    }
}
