package dev.wasched.internal.engine;

import dev.wasched.WaschedConfig;
import dev.wasched.internal.time.Ids;
import dev.wasched.spi.store.WaschedStore;
import java.time.Clock;
import java.time.Instant;
import java.util.random.RandomGenerator;

/** What every engine part needs, wired once by the builder. */
public record EngineContext(WaschedStore store, Clock clock, WaschedConfig config, Ids ids, EventBus events,
                            RandomGenerator random, dev.wasched.metrics.MetricsRecorder metrics) {
    public String instanceId() {
        return config.instanceId();
    }

    public Instant now() {
        return dev.wasched.internal.time.Instants.millis(clock.instant());
    }

    /**
     * The end of a lease taken or renewed at {@code now}. Other instances look for expired leases once per heartbeat,
     * so a lease ends one heartbeat short of the lease duration: a dead instance's work is then taken over at most
     * one lease duration after its last renewal. Renewals every heartbeat still leave a live owner at least one
     * heartbeat of margin (the heartbeat is at most a third of the lease).
     */
    public Instant leaseUntil(Instant now) {
        return now.plus(config.leaseDuration().minus(config.heartbeatInterval()));
    }
}
