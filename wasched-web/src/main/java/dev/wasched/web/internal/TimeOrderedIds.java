package dev.wasched.web.internal;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Ids that sort in the order they were made: 16 hex digits of (milliseconds × 4096 + a counter), never going back in
 * one JVM, then 4 random hex digits so two instances making one in the same millisecond do not collide.
 */
public final class TimeOrderedIds {
    private final Clock clock;
    private final AtomicLong last = new AtomicLong();
    private final SecureRandom random = new SecureRandom();

    public TimeOrderedIds(Clock clock) {
        this.clock = clock;
    }

    public String next() {
        long now = clock.millis() << 12;
        long id = last.updateAndGet(prev -> Math.max(prev + 1, now));
        return String.format("%016x", id) + HexFormat.of().toHexDigits((short) random.nextInt());
    }
}
