package dev.wasched.spi.store;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Named leases: who owns a WhatsApp session ({@code session:<account>}) or another singleton duty. Time is the
 * store's own clock (the database's, where there is one), never a caller's, so instances whose clocks differ agree
 * on when a lease has ended. Every taking of a lease gives it a new {@link Lease#epoch()} (the fencing token that
 * fenced writes check).
 */
public interface LeaseRepository {
    /**
     * Takes the lease for {@code ttl} when it is free, released or expired, or renews it when {@code owner} holds it
     * and it has not expired (the epoch then stays). Empty when someone else holds it.
     */
    Optional<Lease> acquire(String name, String owner, Duration ttl);

    /**
     * Extends the lease to {@code ttl} from now when it is still held by {@code lease.owner()} with
     * {@code lease.epoch()} and has not expired; false otherwise (the holder must stop and may {@link #acquire} anew,
     * which gives a new epoch).
     */
    boolean renew(Lease lease, Duration ttl);

    /**
     * An instance's heartbeat for all its leases at once: {@link #renew renews} each lease in {@code held} (its epoch
     * kept) and reads the {@link #current current} holder of each lease named in {@code read}. An instance with many
     * accounts renews them all, and learns which of the others are free to take, with one call; stores that can should
     * do it in one statement. The default makes one call per lease.
     */
    default LeaseRenewal renewAll(Collection<Lease> held, Duration ttl, Collection<String> read) {
        Set<Lease> renewed = new HashSet<>();
        for (Lease lease : held) {
            if (renew(lease, ttl)) {
                renewed.add(lease);
            }
        }
        Map<String, Lease> current = new HashMap<>();
        for (String name : read) {
            current(name).ifPresent(lease -> current.put(name, lease));
        }
        return new LeaseRenewal(renewed, current);
    }

    /** Gives the lease up when {@code owner} holds it, so another instance can take it at once. The epoch is kept. */
    void release(String name, String owner);

    /** The current holder when the lease is held and not expired. */
    Optional<String> owner(String name);

    /** The lease as held now, when held and not expired. */
    Optional<Lease> current(String name);
}
