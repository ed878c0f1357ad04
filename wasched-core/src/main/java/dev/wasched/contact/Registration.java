package dev.wasched.contact;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * Whether a number uses WhatsApp, as far as wasched knows, and when that was checked.
 *
 * @param checkedAt null while {@link Status#UNKNOWN}
 */
public record Registration(Status status, Instant checkedAt) {
    public enum Status { UNKNOWN, REGISTERED, NOT_REGISTERED }

    public static final Registration UNKNOWN = new Registration(Status.UNKNOWN, null);

    public Registration {
        Objects.requireNonNull(status, "status");
        checkedAt = checkedAt == null ? null : checkedAt.truncatedTo(ChronoUnit.MILLIS);
        if (status != Status.UNKNOWN && checkedAt == null) {
            throw new IllegalArgumentException("checkedAt is required once a number was checked");
        }
    }

    public static Registration checked(boolean registered, Instant at) {
        return new Registration(registered ? Status.REGISTERED : Status.NOT_REGISTERED, at);
    }
}
