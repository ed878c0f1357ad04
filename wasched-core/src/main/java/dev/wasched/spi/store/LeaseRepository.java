package dev.wasched.spi.store;

import java.time.Instant;
import java.util.Optional;

/**
 * Named leases: who owns a WhatsApp session ({@code session:<account>}) or another singleton duty. A lease is held
 * until {@code until}; once that passes, anyone may take it.
 */
public interface LeaseRepository {
    /** Takes the lease when it is free, expired ({@code until <= now}) or already ours; true when we hold it now. */
    boolean tryAcquire(String name, String owner, Instant now, Instant until);

    /** Extends our lease; false when we do not hold it (any more). */
    boolean renew(String name, String owner, Instant until);

    /** Gives the lease up when we hold it, so another instance can take it at once. */
    void release(String name, String owner);

    /** The current holder when the lease is held and not expired. */
    Optional<String> owner(String name, Instant now);
}
