package dev.wasched.spi.store;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Persisted pacing of one account.
 *
 * @param nextAllowedAt  no send before this instant
 * @param hourStart      start of the clock hour {@code hourCount} counts
 * @param dayStart       start of the day (in the policy's zone) {@code dayCount} and {@code newContactCount} count
 * @param version        0 before the first save; compare-and-set as elsewhere
 */
public record PacingState(String account, Instant nextAllowedAt, Instant hourStart, int hourCount, Instant dayStart,
                          int dayCount, int newContactCount, long version) {
    public PacingState {
        nextAllowedAt = nextAllowedAt == null ? null : nextAllowedAt.truncatedTo(ChronoUnit.MILLIS);
        hourStart = hourStart == null ? null : hourStart.truncatedTo(ChronoUnit.MILLIS);
        dayStart = dayStart == null ? null : dayStart.truncatedTo(ChronoUnit.MILLIS);
    }

    public static PacingState initial(String account) {
        return new PacingState(account, Instant.EPOCH, Instant.EPOCH, 0, Instant.EPOCH, 0, 0, 0);
    }
}
