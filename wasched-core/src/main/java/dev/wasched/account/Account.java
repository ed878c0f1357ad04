package dev.wasched.account;

import dev.wasched.ValidationException;
import dev.wasched.policy.PacingPolicy;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A registered account: one WhatsApp number and how to run it.
 *
 * @param name      the account's name, used by schedules and deliveries (letters, digits, {@code . _ -}, at most 64)
 * @param kind      which transport factory runs it (see {@code WaschedBuilder.transportFactory}), or
 *                  {@link #DECLARED_IN_CODE} for an account whose transport the builder was given directly
 * @param settings  the transport's settings (for the WhatsApp Web transport: profile, expected number, ...)
 * @param pacing    the account's own pacing, or null for the engine's default
 * @param status    whether it sends ({@link Status#ACTIVE}), is held back ({@link Status#PAUSED}) or was removed
 * @param version   grows on every change (compare-and-set)
 */
public record Account(String name, String kind, Map<String, String> settings, PacingPolicy pacing, Status status,
                      Instant createdAt, Instant updatedAt, long version) {
    /** The kind of an account whose transport was given to the builder in code rather than made by a factory. */
    public static final String DECLARED_IN_CODE = "code";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    public enum Status {
        /** Runs and sends. */
        ACTIVE,
        /**
         * Runs (its session stays logged in, acks and replies are heard) but sends nothing; a campaign over several
         * accounts hands its share to the others.
         */
        PAUSED,
        /** Stopped everywhere; its history stays; new schedules for it are refused. Adding it again restores it. */
        REMOVED
    }

    public Account {
        name = checkName(name);
        if (kind == null || kind.isBlank()) {
            throw new ValidationException("kind", "is required (the transport kind that runs the account)");
        }
        settings = settings == null ? Map.of() : Map.copyOf(new TreeMap<>(settings));
        Objects.requireNonNull(status, "status");
        createdAt = createdAt == null ? null : createdAt.truncatedTo(ChronoUnit.MILLIS);
        updatedAt = updatedAt == null ? null : updatedAt.truncatedTo(ChronoUnit.MILLIS);
    }

    /** Checks an account name; returns it. */
    public static String checkName(String name) {
        if (name == null || name.isBlank()) {
            throw new ValidationException("account", "is required");
        }
        if (!NAME.matcher(name).matches()) {
            throw new ValidationException("account", "'" + name + "' is not a valid name (letters, digits, '.', '_'"
                    + " or '-', at most 64, starting with a letter or digit)");
        }
        return name;
    }

    /** Whether the account is registered and not removed. */
    public boolean live() {
        return status != Status.REMOVED;
    }

    public Account withStatus(Status next, Instant now) {
        return new Account(name, kind, settings, pacing, next, createdAt, now, version + 1);
    }

    /** This account with a new spec (kind, settings, pacing), active again if it was removed. */
    public Account withSpec(AccountSpec spec, Instant now) {
        Status next = status == Status.REMOVED ? Status.ACTIVE : status;
        return new Account(name, spec.kind(), spec.settings(), spec.pacing(), next, createdAt, now, version + 1);
    }

    /** What {@code toString} of a record would show, with settings' values hidden: they may hold secrets. */
    @Override
    public String toString() {
        return "Account[name=" + name + ", kind=" + kind + ", settings=" + settings.keySet() + ", status=" + status
                + ", version=" + version + "]";
    }
}
