package dev.wasched.spi.store;

import java.util.Optional;

public interface PacingRepository {
    Optional<PacingState> load(String account);

    /** Compare-and-set: writes when the stored version is {@code state.version() - 1} (0: none stored). */
    boolean save(PacingState state);
}
