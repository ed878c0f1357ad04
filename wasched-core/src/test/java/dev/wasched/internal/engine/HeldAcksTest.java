package dev.wasched.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wasched.delivery.DeliveryStatus;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class HeldAcksTest {
    private final MovableClock clock = new MovableClock(Instant.parse("2026-01-01T00:00:00Z"));
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
