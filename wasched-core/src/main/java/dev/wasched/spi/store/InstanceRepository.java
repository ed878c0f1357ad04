package dev.wasched.spi.store;

import java.time.Instant;
import java.util.List;

/** The instances sharing a store: each one's heartbeat row, and which of them are live. */
public interface InstanceRepository {
    /** Inserts or replaces the instance's row. */
    void heartbeat(InstanceInfo instance);

    /** Instances whose {@code expiresAt} is after {@code now}, by id. */
    List<InstanceInfo> live(Instant now);

    void remove(String id);
}
