package dev.wasched.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wasched.delivery.DeliveryStatus;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class HeldAcksTest {
    /** A clock a test moves by hand. */
    private static final class MovableClock extends Clock {
        private volatile Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final MovableClock clock = new MovableClock();
    private final HeldAcks acks = new HeldAcks(clock);

    @Test
    void keepsTheHighestLevelAndGivesItOutOnce() {
        acks.hold("m1", DeliveryStatus.READ);
        acks.hold("m1", DeliveryStatus.DELIVERED);
        acks.hold("m2", DeliveryStatus.DELIVERED);
        assertThat(acks.take("m1")).contains(DeliveryStatus.READ);
        assertThat(acks.take("m1")).isEmpty();
        assertThat(acks.take("m2")).contains(DeliveryStatus.DELIVERED);
    }

    @Test
    void forgetsAnAckNobodyClaimedWithinTheHoldTime() {
        acks.hold("m1", DeliveryStatus.DELIVERED);
        clock.now = clock.now.plus(HeldAcks.HOLD_FOR).plusSeconds(1);
        assertThat(acks.take("m1")).isEmpty();
    }
}
