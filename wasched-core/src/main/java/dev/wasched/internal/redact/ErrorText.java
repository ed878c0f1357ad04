package dev.wasched.internal.redact;

import java.util.regex.Pattern;

/**
 * Cleans an error text before it is stored, logged or shown: transports' errors may quote a URL they navigated to,
 * and a URL's query may carry a phone number or message text. What remains says what went wrong, not to whom or what.
 */
public final class ErrorText {
    /** The longest error text kept. */
    public static final int MAX_LENGTH = 500;
    private static final Pattern URL = Pattern.compile("\\b[A-Za-z][A-Za-z0-9+.-]*://\\S+");
    private static final Pattern QUERY = Pattern.compile("[?&][A-Za-z0-9_.%-]+=[^\\s&\"']*");

    private ErrorText() {
    }

    /** {@code text} with URLs and query parameters replaced, cut to {@link #MAX_LENGTH}; null stays null. */
    public static String clean(String text) {
        if (text == null) {
            return null;
        }
        String s = URL.matcher(text).replaceAll("<url>");
        s = QUERY.matcher(s).replaceAll("<query>");
        return s.length() <= MAX_LENGTH ? s : s.substring(0, MAX_LENGTH - 1) + "…";
    }
}
