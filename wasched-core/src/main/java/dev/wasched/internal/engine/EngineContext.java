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

    public Instant leaseUntil(Instant now) {
        return now.plus(config.leaseDuration());
    }
}
