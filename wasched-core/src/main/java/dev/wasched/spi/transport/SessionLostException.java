package dev.wasched.spi.transport;

/**
 * The account is not usable right now (not logged in, disconnected, browser gone) and nothing was sent. The
 * delivery goes back to the queue without using up an attempt. When the session was lost after the message was
 * handed over, throw {@link OutcomeUnknownException} instead.
 */
public final class SessionLostException extends TransportException {
    public SessionLostException(String message) {
        super(message, null);
    }

    public SessionLostException(String message, Throwable cause) {
        super(message, cause);
    }
}
