package dev.wasched.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wasched.delivery.DeliveryStatus;
import dev.wasched.event.WaschedEvent;
import dev.wasched.schedule.MisfirePolicy;
import dev.wasched.schedule.Schedule;
import dev.wasched.schedule.ScheduleSpec;
import dev.wasched.schedule.Target;
import dev.wasched.schedule.Trigger;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/**
 * Fan-out ahead of time: deliveries made before their occurrence are sent at it, and the misfire policy still
 * decides for them when every engine was down when they were due.
 */
class LookAheadTest extends EngineFixture {
    private static final Instant NINE = Instant.parse("2026-06-01T09:00:00Z");

    private Schedule cron(String expression, MisfirePolicy misfire) {
        return wasched.schedules().create(ScheduleSpec.builder().account(ACCOUNT).to(Target.group("Team"))
                .text("tick").trigger(Trigger.cron(expression, ZoneId.of("UTC"))).misfire(misfire).build());
    }

    /** Closes the running engine (an outage) and starts another instance once the clock is at {@code back}. */
    private void outageUntil(Instant back) {
        wasched.close();
        clock.set(back);
        build(b -> b.instanceId("test-2"));
    }

    @Test
    void aCronOccurrenceIsMadeAheadAndSentAtItsTime() {
        build();
        cron("0 * * * *", MisfirePolicy.DEFAULT);
        assertThat(runAfter(Duration.ofSeconds(3570))).as("08:59:30").isZero();
        assertThat(deliveries()).singleElement().satisfies(d -> {
            assertThat(d.status()).isEqualTo(DeliveryStatus.PENDING);
            assertThat(d.dueAt()).isEqualTo(NINE);
        });
        assertThat(events(WaschedEvent.ScheduleFired.class)).singleElement()
                .satisfies(e -> assertThat(e.fireAt()).isEqualTo(NINE));
        assertThat(runAfter(Duration.ofSeconds(29))).as("08:59:59").isZero();
        assertThat(runAfter(Duration.ofSeconds(1))).as("09:00").isEqualTo(1);
        assertThat(log.entries()).singleElement().satisfies(e -> assertThat(e.at()).isEqualTo(NINE));
        assertThat(deliveries()).filteredOn(d -> d.status() == DeliveryStatus.SENT).singleElement()
                .satisfies(d -> assertThat(d.expiresAt()).as("taken up").isNull());
    }

    @Test
    void anOccurrenceWhoseEnginesWereDownPastItsExpiryIsCancelledNotSent() {
        build();
        cron("0 * * * *", MisfirePolicy.skip());
        runAfter(Duration.ofSeconds(3570));
        assertThat(deliveries()).singleElement()
                .satisfies(d -> assertThat(d.expiresAt()).isEqualTo(NINE.plus(Duration.ofMinutes(1))));

        outageUntil(Instant.parse("2026-06-01T09:05:00Z"));

        assertThat(wasched.runDue()).isZero();
        assertThat(log.entries()).isEmpty();
        assertThat(deliveries()).singleElement().satisfies(d -> {
            assertThat(d.status()).isEqualTo(DeliveryStatus.CANCELLED);
            assertThat(d.lastError()).contains("misfire policy SKIP");
        });
        assertThat(events(WaschedEvent.OccurrenceSkipped.class)).singleElement().satisfies(e -> {
            assertThat(e.fireAt()).isEqualTo(NINE);
            assertThat(e.reason()).contains("SKIP");
        });
    }

    @Test
    void anOutageEndingBeforeTheExpirySendsTheOccurrenceLate() {
        build();
        cron("0 * * * *", MisfirePolicy.skip());
        runAfter(Duration.ofSeconds(3570));
        outageUntil(Instant.parse("2026-06-01T09:00:45Z"));
        assertThat(wasched.runDue()).isEqualTo(1);
        assertThat(deliveries(DeliveryStatus.SENT)).hasSize(1);
    }

    @Test
    void anEngineThatRanThroughTheExpirySendsWhatWasDelayed() {
        // Delayed while an engine ran (pacing, a disconnected account): misfire rules never judged that, and do not now.
        build();
        cron("0 * * * *", MisfirePolicy.skip());
        runAfter(Duration.ofSeconds(3570));
        assertThat(runAfter(Duration.ofMinutes(6))).isEqualTo(1);
        assertThat(deliveries(DeliveryStatus.SENT)).singleElement()
                .satisfies(d -> assertThat(d.fireAt()).isEqualTo(NINE));
    }

    @Test
    void fireOnceWithSeveralOccurrencesMadeAheadSendsOnlyTheLatestAfterAnOutage() {
        build(b -> b.fanOutLookAhead(Duration.ofMinutes(3)).misfireThreshold(Duration.ofSeconds(5)));
        cron("* * * * *", MisfirePolicy.fireOnce(Duration.ofHours(6)));
        wasched.runDue();
        assertThat(deliveries()).extracting(d -> d.fireAt().toString())
                .containsExactlyInAnyOrder("2026-06-01T08:01:00Z", "2026-06-01T08:02:00Z", "2026-06-01T08:03:00Z");

        // Down from 08:00 to 08:03:30: a late fan-out would fire 08:03, the latest missed occurrence, and no other.
        outageUntil(Instant.parse("2026-06-01T08:03:30Z"));
        assertThat(wasched.runDue()).isEqualTo(1);
        assertThat(log.entries()).singleElement().satisfies(e -> assertThat(e.text()).isEqualTo("tick"));
        assertThat(deliveries(DeliveryStatus.SENT)).singleElement()
                .satisfies(d -> assertThat(d.fireAt()).isEqualTo(Instant.parse("2026-06-01T08:03:00Z")));
        assertThat(deliveries(DeliveryStatus.CANCELLED)).extracting(d -> d.fireAt().toString())
                .containsExactlyInAnyOrder("2026-06-01T08:01:00Z", "2026-06-01T08:02:00Z");
        assertThat(events(WaschedEvent.OccurrenceSkipped.class)).hasSize(2);
    }
}
