package dev.wasched.health;

import java.time.Instant;
import java.util.List;

/**
 * A snapshot of one instance's view: overall status with reasons, each account, the store, the queue and the other
 * live instances. Cheap enough to take every few seconds: a handful of bounded queries.
 *
 * @param status         DOWN when the store is unreachable; DEGRADED when something needs attention (an account
 *                       not READY or unowned, an open circuit, UNCERTAIN deliveries); otherwise UP
 * @param reasons        why the status is not UP, one line each
 * @param heldLeases     the session leases this instance holds ({@code session:<account>})
 * @param liveInstances  instance ids with a live heartbeat, this one included
 * @param sendingPaused  whether an operator paused all sending
 */
public record Health(Status status, List<String> reasons, Instant at, String instanceId, List<String> heldLeases,
                     List<String> liveInstances, boolean sendingPaused, StoreHealth store, QueueDepth queue,
                     List<AccountHealth> accounts) {
    public enum Status { UP, DEGRADED, DOWN }

    public Health {
        reasons = List.copyOf(reasons);
        heldLeases = List.copyOf(heldLeases);
        liveInstances = List.copyOf(liveInstances);
        accounts = List.copyOf(accounts);
    }
}
