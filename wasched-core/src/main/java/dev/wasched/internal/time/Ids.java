package dev.wasched.internal.time;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Time-ordered ids (UUIDv7 layout): the first 48 bits are the millisecond, so ids sort by creation time as strings,
 * history pages by id and inserts stay index-friendly. A per-generator sequence keeps ids from one generator strictly
 * increasing within a millisecond.
 */
public final class Ids {
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final AtomicLong last = new AtomicLong();

    public Ids(Clock clock) {
        this.clock = clock;
    }

    public String next() {
        // 48 bits of millis followed by a 12-bit sequence: one long that only grows.
        long candidate = clock.millis() << 12;
        long stamp = last.updateAndGet(prev -> Math.max(prev + 1, candidate));
        long millis = stamp >>> 12;
        long seq = stamp & 0xFFF;
        long msb = (millis << 16) | 0x7000L | seq;
        long lsb = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb).toString();
    }
}
