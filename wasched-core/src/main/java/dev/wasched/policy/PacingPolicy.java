package dev.wasched.policy;

import dev.wasched.ValidationException;
import java.time.Duration;
import java.time.ZoneId;

/**
 * How fast one WhatsApp account may send, to keep it from being banned. The state behind it (next allowed send,
 * counters) is kept in the store, so a restart or a failover to another instance does not reset it.
 *
 * <ul>
 *   <li>{@code minGap} between two sends, plus a random {@code jitter} from 0 up to that amount</li>
 *   <li>{@code hourlyCap} and {@code dailyCap}: sends per clock hour and per day (days in {@code zone}); 0 = none</li>
 *   <li>{@code newContactDailyCap}: first messages ever to a number, per day; 0 = none</li>
 *   <li>{@code quietHours} in the recipient's zone, or null</li>
 *   <li>{@code simulateTyping}: the transport shows "typing…" for a time that fits the text</li>
 * </ul>
 */
public record PacingPolicy(Duration minGap, Duration jitter, int hourlyCap, int dailyCap, int newContactDailyCap,
                           QuietHours quietHours, boolean simulateTyping, ZoneId zone) {
    /** Defaults for a normal personal or small business account. */
    public static final PacingPolicy DEFAULT = new PacingPolicy(Duration.ofSeconds(15), Duration.ofSeconds(10), 60, 400,
            50, null, true, ZoneId.of("UTC"));

    public PacingPolicy {
        if (minGap == null || minGap.isNegative()) {
            throw new ValidationException("minGap", "must not be negative");
        }
        if (jitter == null || jitter.isNegative()) {
            throw new ValidationException("jitter", "must not be negative");
        }
        if (hourlyCap < 0 || dailyCap < 0 || newContactDailyCap < 0) {
            throw new ValidationException("caps", "must not be negative (0 means no cap)");
        }
        zone = zone == null ? ZoneId.of("UTC") : zone;
    }

    /** No gap, no caps, no quiet hours: for tests and for transports that are not WhatsApp. */
    public static PacingPolicy unlimited() {
        return new PacingPolicy(Duration.ZERO, Duration.ZERO, 0, 0, 0, null, false, ZoneId.of("UTC"));
    }

    public PacingPolicy withGap(Duration gap, Duration newJitter) {
        return new PacingPolicy(gap, newJitter, hourlyCap, dailyCap, newContactDailyCap, quietHours, simulateTyping, zone);
    }

    public PacingPolicy withCaps(int hourly, int daily, int newContactsDaily) {
        return new PacingPolicy(minGap, jitter, hourly, daily, newContactsDaily, quietHours, simulateTyping, zone);
    }

    public PacingPolicy withQuietHours(QuietHours hours) {
        return new PacingPolicy(minGap, jitter, hourlyCap, dailyCap, newContactDailyCap, hours, simulateTyping, zone);
    }

    public PacingPolicy withTypingSimulation(boolean on) {
        return new PacingPolicy(minGap, jitter, hourlyCap, dailyCap, newContactDailyCap, quietHours, on, zone);
    }

    public PacingPolicy withZone(ZoneId dayZone) {
        return new PacingPolicy(minGap, jitter, hourlyCap, dailyCap, newContactDailyCap, quietHours, simulateTyping, dayZone);
    }

    /** Sends a dispatcher may claim for one lease period: what the gap allows, at least one. */
    public int sendsWithin(Duration period, int batchLimit) {
        long perSend = minGap.toMillis() + jitter.toMillis() / 2;
        long n = perSend == 0 ? batchLimit : Math.max(1, period.toMillis() / perSend);
        return (int) Math.min(n, batchLimit);
    }
}
