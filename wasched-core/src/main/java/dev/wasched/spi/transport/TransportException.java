package dev.wasched.spi.transport;

/** Why a transport call failed, by kind; see the subclasses. */
public abstract sealed class TransportException extends Exception
        permits RetryableTransportException, PermanentTransportException, SessionLostException,
        OutcomeUnknownException {
    protected TransportException(String message, Throwable cause) {
        super(message, cause);
    }
}
