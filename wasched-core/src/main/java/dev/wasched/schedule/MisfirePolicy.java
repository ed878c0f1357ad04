package dev.wasched.schedule;

import dev.wasched.ValidationException;
import java.time.Duration;
import java.util.Objects;

/**
 * What happens to occurrences that were missed while no instance ran (or were late beyond the engine's misfire
 * threshold).
 *
 * <ul>
 *   <li>{@link Kind#FIRE_ONCE} (default): one catch-up message for the latest missed occurrence</li>
 *   <li>{@link Kind#SKIP}: none; the schedule goes on with its next future occurrence</li>
 *   <li>{@link Kind#FIRE_ALL}: each missed occurrence, at most {@code fireAllLimit} (the latest ones)</li>
 * </ul>
 * In every case an occurrence later than {@code maxLateness} is skipped and recorded as skipped.
 */
public record MisfirePolicy(Kind kind, Duration maxLateness, int fireAllLimit) {
    public enum Kind { FIRE_ONCE, SKIP, FIRE_ALL }

    public static final Duration DEFAULT_MAX_LATENESS = Duration.ofHours(6);
    public static final int DEFAULT_FIRE_ALL_LIMIT = 10;
    public static final MisfirePolicy DEFAULT = new MisfirePolicy(Kind.FIRE_ONCE, DEFAULT_MAX_LATENESS, DEFAULT_FIRE_ALL_LIMIT);

    public MisfirePolicy {
        Objects.requireNonNull(kind, "kind");
        if (maxLateness == null || maxLateness.isNegative() || maxLateness.isZero()) {
            throw new ValidationException("maxLateness", "must be positive, was " + maxLateness);
        }
        if (fireAllLimit < 1 || fireAllLimit > 1000) {
            throw new ValidationException("fireAllLimit", "must be 1 to 1000, was " + fireAllLimit);
        }
    }

    public static MisfirePolicy fireOnce(Duration maxLateness) {
        return new MisfirePolicy(Kind.FIRE_ONCE, maxLateness, DEFAULT_FIRE_ALL_LIMIT);
    }

    public static MisfirePolicy skip() {
        return new MisfirePolicy(Kind.SKIP, DEFAULT_MAX_LATENESS, DEFAULT_FIRE_ALL_LIMIT);
    }

    public static MisfirePolicy fireAll(Duration maxLateness, int limit) {
        return new MisfirePolicy(Kind.FIRE_ALL, maxLateness, limit);
    }
}
