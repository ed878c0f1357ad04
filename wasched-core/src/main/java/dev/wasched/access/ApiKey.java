package dev.wasched.access;

import dev.wasched.ValidationException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * A named key a machine presents instead of signing in. The key itself is shown once, when it is made; only its hash
 * is kept, so a stolen copy of the store does not let anyone in.
 *
 * @param id          the key's id (not secret; names it in listings and the audit log)
 * @param name        what it is for, e.g. {@code crm-sync}
 * @param secretHash  the hash the key is found by (a fast hash suffices: the key is long and random, unlike a
 *                    password)
 * @param createdBy   the user who made it
 * @param revokedAt   when it stopped working, or null while it works
 * @param version     grows on every change (compare-and-set)
 */
public record ApiKey(String id, String name, Role role, String secretHash, String createdBy, Instant createdAt,
                     Instant revokedAt, long version) {
    public ApiKey {
        if (id == null || id.isBlank()) {
            throw new ValidationException("id", "is required");
        }
        if (name == null || name.isBlank() || name.length() > 100) {
            throw new ValidationException("name", "is required, at most 100 characters");
        }
        Objects.requireNonNull(role, "role");
        if (secretHash == null || secretHash.isBlank()) {
            throw new ValidationException("secretHash", "is required");
        }
        Objects.requireNonNull(createdBy, "createdBy");
        createdAt = createdAt == null ? null : createdAt.truncatedTo(ChronoUnit.MILLIS);
        revokedAt = revokedAt == null ? null : revokedAt.truncatedTo(ChronoUnit.MILLIS);
    }

    public boolean revoked() {
        return revokedAt != null;
    }

    public ApiKey revoke(Instant now) {
        return new ApiKey(id, name, role, secretHash, createdBy, createdAt, now, version + 1);
    }

    /** Like a record's, without the hash. */
    @Override
    public String toString() {
        return "ApiKey[id=" + id + ", name=" + name + ", role=" + role + ", createdBy=" + createdBy + ", revokedAt="
                + revokedAt + "]";
    }
}
