package dev.wasched.internal.redact;

import dev.wasched.delivery.Delivery;

/**
 * Cleans an error text before it is stored, logged or shown: transports' errors may quote a URL they navigated to,
 * and a URL's query may carry a phone number or message text. What remains says what went wrong, not to whom or what.
 * The rule is the one a delivery applies to its own {@code lastError} ({@link Delivery#cleanError}); this applies it
 * to the engine's other error texts (session details, logs).
 */
public final class ErrorText {
    /** The longest error text kept. */
    public static final int MAX_LENGTH = Delivery.MAX_ERROR_LENGTH;

    private ErrorText() {
    }

    /** {@code text} with URLs and query parameters replaced, cut to {@link #MAX_LENGTH}; null stays null. */
    public static String clean(String text) {
        return Delivery.cleanError(text);
    }
}
