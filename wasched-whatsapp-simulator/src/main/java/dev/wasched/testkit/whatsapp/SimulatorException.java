package dev.wasched.testkit.whatsapp;

/**
 * Base class of the exceptions the {@link WhatsAppWebSimulator} throws for failures specific
 * to it (as opposed to plain argument or lifecycle misuse, which use the JDK's
 * {@link IllegalArgumentException} and {@link IllegalStateException}).
 */
public class SimulatorException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong
     */
    public SimulatorException(String message) {
        super(message);
    }

    /**
     * @param message what went wrong
     * @param cause the underlying failure
     */
    public SimulatorException(String message, Throwable cause) {
        super(message, cause);
    }
}
