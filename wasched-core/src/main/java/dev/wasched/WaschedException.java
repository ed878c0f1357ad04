package dev.wasched;

/**
 * Base type of every error wasched raises on purpose. Each subclass names the problem and the input that caused it,
 * so a caller can react by type and a human can act on the message.
 */
public class WaschedException extends RuntimeException {
    public WaschedException(String message) {
        super(message);
    }

    public WaschedException(String message, Throwable cause) {
        super(message, cause);
    }
}
