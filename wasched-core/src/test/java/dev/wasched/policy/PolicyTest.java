package dev.wasched.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wasched.ValidationException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PolicyTest {
    @Test
    void retryBackoffGrowsWithinJitterAndCap() {
        RetryPolicy p = new RetryPolicy(6, Duration.ofSeconds(10), Duration.ofSeconds(60), 2.0, 0.2);
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < 1000; i++) {
            assertThat(p.delayAfter(1, r)).isBetween(Duration.ofSeconds(8), Duration.ofSeconds(12));
            assertThat(p.delayAfter(2, r)).isBetween(Duration.ofSeconds(16), Duration.ofSeconds(24));
            assertThat(p.delayAfter(5, r)).isBetween(Duration.ofSeconds(48), Duration.ofSeconds(72));
        }
        assertThat(p.hasAttemptsLeft(5)).isTrue();
        assertThat(p.hasAttemptsLeft(6)).isFalse();
        assertThatThrownBy(() -> new RetryPolicy(0, Duration.ZERO, Duration.ZERO, 1, 0))
                .isInstanceOf(ValidationException.class).hasMessageContaining("maxAttempts");
    }

    @Test
    void quietHoursSpanningMidnight() {
        QuietHours q = new QuietHours(LocalTime.of(21, 0), LocalTime.of(8, 0));
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        Instant evening = Instant.parse("2026-06-01T20:30:00Z"); // 22:30 local
        assertThat(q.contains(evening, berlin)).isTrue();
        assertThat(q.endAfter(evening, berlin)).isEqualTo(Instant.parse("2026-06-02T06:00:00Z"));
        Instant early = Instant.parse("2026-06-02T04:00:00Z"); // 06:00 local
        assertThat(q.endAfter(early, berlin)).isEqualTo(Instant.parse("2026-06-02T06:00:00Z"));
        Instant noon = Instant.parse("2026-06-02T10:00:00Z");
        assertThat(q.contains(noon, berlin)).isFalse();
        assertThat(q.endAfter(noon, berlin)).isEqualTo(noon);
        assertThat(q.contains(Instant.parse("2026-06-02T10:00:00Z"), ZoneId.of("Asia/Tokyo"))).as("19:00 Tokyo").isFalse();
        assertThat(q.contains(Instant.parse("2026-06-02T13:00:00Z"), ZoneId.of("Asia/Tokyo"))).as("22:00 Tokyo").isTrue();
    }

    @Test
    void pacingClaimsWhatOneLeaseCanSend() {
        PacingPolicy p = PacingPolicy.DEFAULT.withGap(Duration.ofSeconds(10), Duration.ofSeconds(4));
        assertThat(p.sendsWithin(Duration.ofSeconds(30), 100)).isEqualTo(2);
        assertThat(p.withGap(Duration.ofMinutes(2), Duration.ZERO).sendsWithin(Duration.ofSeconds(30), 100)).isEqualTo(1);
        assertThat(PacingPolicy.unlimited().sendsWithin(Duration.ofSeconds(30), 100)).isEqualTo(100);
    }
}
