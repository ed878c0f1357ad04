package dev.wasched.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wasched.Wasched;
import dev.wasched.policy.PacingPolicy;
import dev.wasched.policy.QuietHours;
import dev.wasched.schedule.ScheduleSpec;
import dev.wasched.schedule.Target;
import dev.wasched.schedule.Trigger;
import dev.wasched.testkit.transport.MessageLog;
import dev.wasched.testkit.transport.RecordingTransport;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

class PacingTest extends EngineFixture {
    /** Runs due work every second for the given time. */
    private void runFor(Duration d) {
        for (long s = 0; s < d.toSeconds(); s++) {
            clock.advance(Duration.ofSeconds(1));
            wasched.runDue();
        }
    }

    @Test
    void gapAndJitterSpaceSendsWithinBounds() {
        build(b -> b.pacing(PacingPolicy.unlimited().withGap(Duration.ofSeconds(20), Duration.ofSeconds(10))));
        campaign(30);
        wasched.runDue();
        runFor(Duration.ofMinutes(20));
        List<MessageLog.Entry> sent = log.entries();
        assertThat(sent).hasSize(30);
        long distinctGaps = 0;
        Duration previous = null;
        for (int i = 1; i < sent.size(); i++) {
            Duration gap = Duration.between(sent.get(i - 1).at(), sent.get(i).at());
            // The engine runs once a second here, so a send can be up to 1 s after it became allowed.
            assertThat(gap).isBetween(Duration.ofSeconds(20), Duration.ofSeconds(31));
            if (!gap.equals(previous)) {
                distinctGaps++;
            }
            previous = gap;
        }
        assertThat(distinctGaps).as("jitter varies the gap").isGreaterThan(5);
    }

    @Test
    void hourlyAndDailyCapsHoldMessagesBack() {
        build(b -> b.pacing(PacingPolicy.unlimited().withCaps(5, 8, 0)));
        campaign(12);
        assertThat(wasched.runDue()).isEqualTo(5);
        assertThat(runAfter(Duration.ofMinutes(30))).as("hour is full").isZero();
        assertThat(runAfter(Duration.ofMinutes(30))).as("next hour, day cap leaves 3").isEqualTo(3);
        assertThat(runAfter(Duration.ofHours(3))).isZero();
        clock.set(Instant.parse("2026-06-02T00:00:00Z"));
        assertThat(wasched.runDue()).as("new day").isEqualTo(4);
    }

    @Test
    void firstMessagesToNewNumbersAreCappedPerDay() {
        build(b -> b.pacing(PacingPolicy.unlimited().withCaps(0, 0, 2)));
        campaign(4);
        assertThat(wasched.runDue()).isEqualTo(2);
        // A number that has been written to before does not count as new.
        wasched.schedules().create(ScheduleSpec.builder().account(ACCOUNT)
                .to(Target.contacts(wasched.contacts().findByPhone("+4915112300000").orElseThrow().id()))
                .text("again").trigger(Trigger.once(clock.instant())).build());
        assertThat(runAfter(Duration.ofMinutes(1))).isEqualTo(1);
        clock.set(Instant.parse("2026-06-02T00:00:01Z"));
        assertThat(wasched.runDue()).isEqualTo(2);
    }

    @Test
    void quietHoursInTheRecipientsZoneDeferSending() {
        build(b -> b.pacing(PacingPolicy.unlimited()
                .withQuietHours(new QuietHours(LocalTime.of(21, 0), LocalTime.of(8, 0)))));
        clock.set(Instant.parse("2026-06-01T20:00:00Z"));
        contact("Berlin", "+4915112345678"); // 22:00 in Berlin: quiet
        contact("Kolkata", "+919876543210"); // 01:30 in Kolkata: quiet
        contact("NewYork", "+12125550123"); // 16:00 in New York: fine
        wasched.schedules().create(ScheduleSpec.builder().account(ACCOUNT).to(Target.contacts(
                        wasched.contacts().list(dev.wasched.PageRequest.first(10)).items().stream().map(c -> c.id()).toList()))
                .text("hi").trigger(Trigger.once(clock.instant())).build());
        assertThat(wasched.runDue()).isEqualTo(1);
        assertThat(log.entries().get(0).recipient()).isEqualTo("+12125550123");
        clock.set(Instant.parse("2026-06-02T02:29:00Z"));
        assertThat(wasched.runDue()).isZero();
        clock.set(Instant.parse("2026-06-02T02:30:00Z")); // 08:00 in Kolkata
        assertThat(wasched.runDue()).isEqualTo(1);
        clock.set(Instant.parse("2026-06-02T06:00:00Z")); // 08:00 in Berlin
        assertThat(wasched.runDue()).isEqualTo(1);
    }

    @Test
    void pacingStateSurvivesARestart() {
        PacingPolicy gap = PacingPolicy.unlimited().withGap(Duration.ofMinutes(10), Duration.ZERO);
        build(b -> b.pacing(gap));
        campaign(2);
        assertThat(wasched.runDue()).isEqualTo(1);
        wasched.close();
        // A new instance on the same store must respect the gap the old one started.
        RecordingTransport next = new RecordingTransport(ACCOUNT, log);
        wasched = Wasched.builder().store(store).clock(clock).instanceId("test-2").transport(next).pacing(gap)
                .defaultZone(ZoneId.of("UTC")).build();
        assertThat(runAfter(Duration.ofMinutes(5))).isZero();
        assertThat(runAfter(Duration.ofMinutes(5))).isEqualTo(1);
    }
}
