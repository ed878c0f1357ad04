package dev.wasched.spi.transport;

/** A failure that may pass: a timeout, a slow page, a send that was not confirmed and is known not to have gone out. */
public final class RetryableTransportException extends TransportException {
    public RetryableTransportException(String message) {
        super(message, null);
    }

    public RetryableTransportException(String message, Throwable cause) {
        super(message, cause);
    }
}
