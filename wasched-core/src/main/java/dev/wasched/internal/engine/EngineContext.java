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
     * How long a session lease lasts after each renewal, on the store's clock. Others try to take an account once per
     * heartbeat, so a lease lasts one heartbeat short of the lease duration: a dead instance's accounts are then taken
     * over at most one lease duration after its last renewal. A live owner renews every heartbeat, so a renewal may
     * stall for up to {@code leaseDuration - 2 × heartbeat} (10 s with the defaults) before the owner stops at its own
     * deadline.
     */
    public java.time.Duration leaseTtl() {
        return config.leaseDuration().minus(config.heartbeatInterval());
    }

    /** The end of a lease that this instance's clock computes (instance heartbeats, schedule claims). */
    public Instant leaseUntil(Instant now) {
        return now.plus(leaseTtl());
    }
}
