package dev.wasched.internal.engine;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.wasched.delivery.DeliveryStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Acks for message ids the store does not know yet. A transport may report DELIVERED or READ as soon as the message
 * leaves, before the dispatcher has stored SENT with its id, and never report it again; the ack waits here until that
 * happens. Bounded in size and time, so acks for messages this engine never sent do not pile up.
 */
final class HeldAcks {
    static final Duration HOLD_FOR = Duration.ofMinutes(2);
    static final int MAX_HELD = 10_000;

    private final Cache<String, DeliveryStatus> held;

    HeldAcks(Clock clock) {
        this.held = Caffeine.newBuilder()
                .ticker(() -> {
                    Instant now = clock.instant();
                    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
                })
                // Maintenance on the calling thread: no pool thread outlives the engine.
                .executor(Runnable::run)
                .expireAfterWrite(HOLD_FOR)
                .maximumSize(MAX_HELD)
                .build();
    }

    /** Keeps {@code level} for {@code messageId}, or the level already held when that is higher. */
    void hold(String messageId, DeliveryStatus level) {
        held.asMap().merge(messageId, level, (a, b) -> a.compareTo(b) >= 0 ? a : b);
    }

    /** Removes and returns the highest ack held for {@code messageId}. */
    Optional<DeliveryStatus> take(String messageId) {
        return Optional.ofNullable(held.asMap().remove(messageId));
    }
}
