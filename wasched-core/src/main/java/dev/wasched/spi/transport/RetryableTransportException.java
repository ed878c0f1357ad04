package dev.wasched.spi.transport;

/**
 * A failure that may pass and that is known to have sent nothing: the chat could not be opened, the compose box was
 * not there, the send action was never taken. The engine tries again after a back-off. When the message may have
 * left, throw {@link OutcomeUnknownException} instead: a retry would then risk a second copy.
 */
public final class RetryableTransportException extends TransportException {
    public RetryableTransportException(String message) {
        super(message, null);
    }

    public RetryableTransportException(String message, Throwable cause) {
        super(message, cause);
    }
}
