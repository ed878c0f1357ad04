package dev.wasched;

import java.util.Arrays;

/**
 * A token, password or key. {@link #toString()} never shows the value, so a secret can sit in configuration
 * records that are logged or attached to a bug report.
 */
public final class Secret {
    private final char[] value;

    private Secret(char[] value) {
        this.value = value;
    }

    public static Secret of(String value) {
        if (value == null || value.isEmpty()) {
            throw new ValidationException("secret", "must not be empty");
        }
        return new Secret(value.toCharArray());
    }

    /** Reads the secret from an environment variable; fails naming the variable when it is unset. */
    public static Secret fromEnv(String variable) {
        String v = System.getenv(variable);
        if (v == null || v.isEmpty()) {
            throw new ValidationException(variable, "environment variable is not set");
        }
        return new Secret(v.toCharArray());
    }

    /** The value itself; call only where it is used, never to log. */
    public String reveal() {
        return new String(value);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret s && java.security.MessageDigest.isEqual(
                new String(value).getBytes(java.nio.charset.StandardCharsets.UTF_8),
                new String(s.value).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(value) * 31;
    }

    @Override
    public String toString() {
        return "Secret[***]";
    }
}
