package dev.wasched.telegram.internal;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Removes the bot token from text and exceptions before they are logged or rethrown. Request URLs carry the token
 * ({@code /bot<TOKEN>/method}), so any message that might quote a URL goes through here.
 */
public final class Redactor {
    static final String MASK = "<bot-token>";
    private static final int MAX_DEPTH = 16;
    private final Set<String> forms = new LinkedHashSet<>();

    public Redactor(String token) {
        forms.add(token);
        forms.add(URLEncoder.encode(token, StandardCharsets.UTF_8));
        int colon = token.indexOf(':');
        // the part after ':' is the secret; the number before it is the bot's public user id
        if (colon >= 0 && token.length() - colon - 1 >= 8) {
            forms.add(token.substring(colon + 1));
        }
    }

    public String scrub(String text) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String f : forms) {
            out = out.replace(f, MASK);
        }
        return out;
    }

    /** Whether the token appears anywhere in the exception, its causes or suppressed exceptions. */
    public boolean leaks(Throwable t) {
        return leaks(t, new IdentityHashMap<>(), 0);
    }

    private boolean leaks(Throwable t, Map<Throwable, Boolean> seen, int depth) {
        if (t == null || depth > MAX_DEPTH || seen.put(t, Boolean.TRUE) != null) {
            return false;
        }
        String s = String.valueOf(t.getMessage()) + " " + t;
        if (!s.equals(scrub(s))) {
            return true;
        }
        for (Throwable sup : t.getSuppressed()) {
            if (leaks(sup, seen, depth + 1)) {
                return true;
            }
        }
        return leaks(t.getCause(), seen, depth + 1);
    }

    /**
     * The exception itself when it does not contain the token, else a copy of the chain (class names, scrubbed
     * messages, the same stack traces) that is safe to log.
     */
    public Throwable scrub(Throwable t) {
        return leaks(t) ? copy(t, new IdentityHashMap<>(), 0) : t;
    }

    /** As {@link #scrub(Throwable)}, keeping the IOException type so HTTP code can rethrow it. */
    public IOException scrub(IOException e) {
        if (!leaks(e)) {
            return e;
        }
        IOException copy = new IOException(e.getClass().getName() + ": " + scrub(e.getMessage()),
                copy(e.getCause(), new IdentityHashMap<>(), 1));
        copy.setStackTrace(e.getStackTrace());
        return copy;
    }

    private Throwable copy(Throwable t, Map<Throwable, Throwable> done, int depth) {
        if (t == null || depth > MAX_DEPTH) {
            return null;
        }
        Throwable existing = done.get(t);
        if (existing != null) {
            return existing;
        }
        RedactedException copy = new RedactedException(t.getClass().getName()
                + (t.getMessage() == null ? "" : ": " + scrub(t.getMessage())));
        done.put(t, copy);
        copy.setStackTrace(t.getStackTrace());
        Throwable cause = copy(t.getCause(), done, depth + 1);
        if (cause != null) {
            copy.initCause(cause);
        }
        for (Throwable sup : t.getSuppressed()) {
            Throwable c = copy(sup, done, depth + 1);
            if (c != null) {
                copy.addSuppressed(c);
            }
        }
        return copy;
    }

    /** Stands in for an exception whose message contained the token; prints like the original. */
    static final class RedactedException extends RuntimeException {
        RedactedException(String message) {
            super(message);
        }

        @Override
        public String toString() {
            return getMessage();
        }
    }
}
