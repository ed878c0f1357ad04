package dev.wasched.spi.transport;

/** A failure that will repeat: the number is invalid or not on WhatsApp, the message is too long, the group unknown. */
public final class PermanentTransportException extends TransportException {
    public PermanentTransportException(String message) {
        super(message, null);
    }

    public PermanentTransportException(String message, Throwable cause) {
        super(message, cause);
    }
}
