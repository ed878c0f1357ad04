package dev.wasched.access;

import dev.wasched.ValidationException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A person who signs in to the console.
 *
 * @param name          the login name: lower case letters, digits and {@code . _ - @}, at most 64 (stored lower case,
 *                      so {@code Ana} and {@code ana} are one user)
 * @param passwordHash  the password's hash in the self-describing form of its algorithm (e.g. {@code $argon2id$...});
 *                      never the password
 * @param failedLogins  wrong passwords since the last successful sign-in
 * @param lockedUntil   when sign-in is allowed again after too many wrong passwords, or null
 * @param version       grows on every change (compare-and-set)
 */
public record User(String name, Role role, String passwordHash, int failedLogins, Instant lockedUntil,
                   Instant createdAt, Instant updatedAt, long version) {
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._@-]{0,63}");

    public User {
        name = checkName(name);
        Objects.requireNonNull(role, "role");
        if (passwordHash == null || passwordHash.isBlank()) {
            throw new ValidationException("passwordHash", "is required");
        }
        if (failedLogins < 0) {
            throw new ValidationException("failedLogins", "must not be negative, was " + failedLogins);
        }
        lockedUntil = lockedUntil == null ? null : lockedUntil.truncatedTo(ChronoUnit.MILLIS);
        createdAt = createdAt == null ? null : createdAt.truncatedTo(ChronoUnit.MILLIS);
        updatedAt = updatedAt == null ? null : updatedAt.truncatedTo(ChronoUnit.MILLIS);
    }

    /** A new user, version 1. */
    public static User create(String name, Role role, String passwordHash, Instant now) {
        return new User(name, role, passwordHash, 0, null, now, now, 1);
    }

    /** Checks a login name and returns it in the form it is stored in (lower case, trimmed). */
    public static String checkName(String name) {
        if (name == null || name.isBlank()) {
            throw new ValidationException("user", "is required");
        }
        String n = name.trim().toLowerCase(Locale.ROOT);
        if (!NAME.matcher(n).matches()) {
            throw new ValidationException("user", "'" + name + "' is not a valid user name (letters, digits, '.', '_',"
                    + " '-' or '@', at most 64, starting with a letter or digit)");
        }
        return n;
    }

    /** Whether sign-in is refused at {@code now} because of earlier wrong passwords. */
    public boolean lockedAt(Instant now) {
        return lockedUntil != null && now.isBefore(lockedUntil);
    }

    /**
     * This user after a wrong password: counted, and locked for {@code lockFor} once {@code maxFailures} follow one
     * another (the count starts again after the lock).
     */
    public User loginFailed(Instant now, int maxFailures, Duration lockFor) {
        int failed = failedLogins + 1;
        if (failed >= maxFailures) {
            return new User(name, role, passwordHash, 0, now.plus(lockFor), createdAt, now, version + 1);
        }
        return new User(name, role, passwordHash, failed, lockedUntil, createdAt, now, version + 1);
    }

    /** This user after a successful sign-in: the count of wrong passwords cleared. */
    public User loginSucceeded(Instant now) {
        return new User(name, role, passwordHash, 0, null, createdAt, now, version + 1);
    }

    public User withPasswordHash(String hash, Instant now) {
        return new User(name, role, hash, 0, null, createdAt, now, version + 1);
    }

    public User withRole(Role next, Instant now) {
        return new User(name, next, passwordHash, failedLogins, lockedUntil, createdAt, now, version + 1);
    }

    /** Like a record's, without the password hash. */
    @Override
    public String toString() {
        return "User[name=" + name + ", role=" + role + ", failedLogins=" + failedLogins + ", lockedUntil="
                + lockedUntil + ", version=" + version + "]";
    }
}
