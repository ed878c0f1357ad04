package dev.wasched.spi.store;

import java.time.Instant;
import java.util.List;

public interface InstanceRepository {
    /** Inserts or replaces the instance's row. */
    void heartbeat(InstanceInfo instance);

    /** Instances whose {@code expiresAt} is after {@code now}, by id. */
    List<InstanceInfo> live(Instant now);

    void remove(String id);
}
