package dev.wasched.access;

import dev.wasched.ValidationException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * One change someone made, as the audit log keeps it.
 *
 * @param id      time-ordered: listings go newest first by it
 * @param actor   who: {@code user:NAME}, {@code key:ID} or {@code cli}
 * @param action  what, e.g. {@code schedule.create}, {@code user.add}, {@code login.failed}
 * @param target  what it was done to (an id or a name), or empty
 * @param detail  anything else worth keeping (never a secret), or empty
 */
public record AuditEntry(String id, Instant at, String actor, String action, String target, String detail) {
    public AuditEntry {
        if (id == null || id.isBlank()) {
            throw new ValidationException("id", "is required");
        }
        at = at == null ? null : at.truncatedTo(ChronoUnit.MILLIS);
        if (actor == null || actor.isBlank()) {
            throw new ValidationException("actor", "is required");
        }
        if (action == null || action.isBlank()) {
            throw new ValidationException("action", "is required");
        }
        target = target == null ? "" : target;
        detail = detail == null ? "" : detail;
    }
}
