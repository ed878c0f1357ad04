package dev.wasched.spi.store;

import java.util.Optional;

/** Each account's pacing state (what was sent when), kept so that gaps and caps hold across restarts and instances. */
public interface PacingRepository {
    Optional<PacingState> load(String account);

    /** Compare-and-set: writes when the stored version is {@code state.version() - 1} (0: none stored). */
    boolean save(PacingState state);
}
