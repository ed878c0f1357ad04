package dev.wasched.spi.store;

import java.util.Objects;

/**
 * A named lease as its holder knows it. {@code epoch} is the fencing token: it grows every time the lease is taken
 * anew (by another owner, or by the same owner after it had lapsed or was released), never on a renewal, and is kept
 * across releases. A write fenced by a lease succeeds only while that owner still holds it with that epoch, so a
 * former owner that has not noticed its loss cannot change anything.
 */
public record Lease(String name, String owner, long epoch) {
    public Lease {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(owner, "owner");
        if (epoch < 1) {
            throw new IllegalArgumentException("epoch starts at 1, was " + epoch);
        }
    }
}
