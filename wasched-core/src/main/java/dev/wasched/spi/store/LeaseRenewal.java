package dev.wasched.spi.store;

import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What one {@link LeaseRepository#renewAll} did and saw.
 *
 * @param renewed the leases renewed (each still held by its owner with its epoch); the others have ended
 * @param current the leases read, by name, for those held and not expired now
 */
public record LeaseRenewal(Set<Lease> renewed, Map<String, Lease> current) {
    public LeaseRenewal {
        renewed = Set.copyOf(Objects.requireNonNull(renewed, "renewed"));
        current = Map.copyOf(Objects.requireNonNull(current, "current"));
    }
}
