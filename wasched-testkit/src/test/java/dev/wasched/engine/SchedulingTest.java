package dev.wasched.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wasched.contact.Contact;
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
import java.util.Map;
import org.junit.jupiter.api.Test;

class SchedulingTest extends EngineFixture {
    @Test
    void oneTimeMessageGoesOutAtItsTimeExactlyOnce() {
        build();
        Contact ann = contact("Ann", "+4915112345678");
        wasched.schedules().create(ScheduleSpec.builder().account(ACCOUNT).to(Target.contacts(ann.id()))
                .text("Hi {{name}}").trigger(Trigger.once(clock.instant().plusSeconds(60))).build());
        assertThat(wasched.runDue()).isZero();
        assertThat(runAfter(Duration.ofSeconds(59))).isZero();
        assertThat(runAfter(Duration.ofSeconds(1))).isEqualTo(1);
        assertThat(runAfter(Duration.ofHours(1))).isZero();
        assertThat(log.entries()).singleElement().satisfies(e -> {
            assertThat(e.text()).isEqualTo("Hi Ann");
            assertThat(e.recipient()).isEqualTo("+4915112345678");
        });
        assertThat(deliveries()).singleElement().satisfies(d -> assertThat(d.status()).isEqualTo(DeliveryStatus.SENT));
        assertThat(events(WaschedEvent.DeliverySent.class)).hasSize(1);
        Schedule s = wasched.schedules().list(dev.wasched.PageRequest.first(10)).items().get(0);
        assertThat(s.isComplete()).isTrue();
        assertThat(s.runs()).isEqualTo(1);
    }

    @Test
    void cronCampaignToATagRendersPerContactAndFiresEachOccurrence() {
        build();
        wasched.templates().save("offer", "Hi {{name}} from {{city}}, {{discount}} off");
        contact("Ann", "+4915112345678", "customers");
        wasched.contacts().create(dev.wasched.contact.ContactSpec.builder().name("Bob").phone("+4915112345679")
                .tag("customers").field("city", "Hamburg").build());
        Contact carl = contact("Carl", "+4915112345670", "customers");
        wasched.contacts().optOut(carl.id());
        contact("Dora", "+4915112345671", "other");
        // Ann has no city: hers is dead on arrival and names the variable; Bob's goes out.
        wasched.schedules().create(ScheduleSpec.builder().account(ACCOUNT).to(Target.tag("customers"))
                .template("offer", Map.of("discount", "10%")).trigger(Trigger.cron("0 9 * * *", ZoneId.of("UTC"))).build());
        assertThat(runAfter(Duration.ofHours(1))).isEqualTo(1);
        assertThat(log.texts()).containsExactly("Hi Bob from Hamburg, 10% off");
        assertThat(deliveries(DeliveryStatus.DEAD)).singleElement()
                .satisfies(d -> assertThat(d.lastError()).contains("'city'"));
        assertThat(runAfter(Duration.ofHours(24))).isEqualTo(1);
        assertThat(log.size()).isEqualTo(2);
        assertThat(log.entries().get(1).at()).isEqualTo(Instant.parse("2026-06-02T09:00:00Z"));
    }

    @Test
    void anHourlyCronSendsInBothPassesOfTheHourThatRepeats() {
        build();
        // 01:30 CEST; at 01:00 UTC Berlin's clocks go back from 03:00 to 02:00, so 02:00 comes twice.
        clock.set(Instant.parse("2026-10-24T23:30:00Z"));
        wasched.schedules().create(ScheduleSpec.builder().account(ACCOUNT).to(Target.group("Team")).text("tick")
                .trigger(Trigger.cron("0 * * * *", ZoneId.of("Europe/Berlin"))).build());
        for (int i = 0; i < 6; i++) {
            runAfter(Duration.ofMinutes(30));
        }
        assertThat(log.to("Team")).extracting(e -> e.at()).containsExactly(Instant.parse("2026-10-25T00:00:00Z"),
                Instant.parse("2026-10-25T01:00:00Z"), Instant.parse("2026-10-25T02:00:00Z"));
    }

    @Test
    void groupMessagesGoToTheGroupByName() {
        build();
        wasched.schedules().create(ScheduleSpec.builder().account(ACCOUNT).to(Target.group("Team"))
                .text("Stand-up in 5").trigger(Trigger.every(Duration.ofMinutes(30))).build());
        runAfter(Duration.ofMinutes(30));
        runAfter(Duration.ofMinutes(30));
        assertThat(log.to("Team")).hasSize(2);
    }

    private Schedule hourly(MisfirePolicy misfire) {
        return wasched.schedules().create(ScheduleSpec.builder().account(ACCOUNT).to(Target.group("Team"))
                .text("tick").trigger(Trigger.cron("0 * * * *", ZoneId.of("UTC"))).misfire(misfire).build());
    }

    @Test
    void misfireFireOnceSendsOneCatchUpAfterThreeMissedOccurrences() {
        build();
        Schedule s = hourly(MisfirePolicy.fireOnce(Duration.ofHours(6)));
        // Down from 08:00 to 11:30: 09:00, 10:00 and 11:00 were missed.
        assertThat(runAfter(Duration.ofMinutes(210))).isEqualTo(1);
        assertThat(deliveries()).singleElement().satisfies(d ->
                assertThat(d.fireAt()).isEqualTo(Instant.parse("2026-06-01T11:00:00Z")));
        Schedule after = wasched.schedules().get(s.id());
        assertThat(after.skippedRuns()).isEqualTo(2);
        assertThat(after.nextFireAt()).isEqualTo(Instant.parse("2026-06-01T12:00:00Z"));
        assertThat(events(WaschedEvent.OccurrenceSkipped.class)).hasSize(2);
        assertThat(runAfter(Duration.ofMinutes(30))).as("12:00 on time").isEqualTo(1);
    }

    @Test
    void misfireSkipSendsNothingAndGoesOn() {
        build();
        Schedule s = hourly(MisfirePolicy.skip());
        assertThat(runAfter(Duration.ofMinutes(210))).isZero();
        assertThat(deliveries()).isEmpty();
        assertThat(wasched.schedules().get(s.id()).skippedRuns()).isEqualTo(3);
        assertThat(runAfter(Duration.ofMinutes(30))).isEqualTo(1);
    }

    @Test
    void misfireRespectsMaximumLateness() {
        build();
        hourly(MisfirePolicy.fireOnce(Duration.ofMinutes(20)));
        // At 11:30 the latest missed occurrence (11:00) is 30 minutes late: beyond 20, skipped.
        assertThat(runAfter(Duration.ofMinutes(210))).isZero();
        build(b -> b.instanceId("test-2"));
        hourly(MisfirePolicy.fireAll(Duration.ofMinutes(150), 10));
        // The second schedule is created at 11:30; run at 14:30: 12:00 (150 min late) .. 14:00 fire, 3 of them.
        clock.advance(Duration.ofHours(3));
        wasched.runDue();
        assertThat(log.size()).isEqualTo(3);
    }

    @Test
    void onTimeOccurrenceIsNotAMisfire() {
        build();
        hourly(MisfirePolicy.skip());
        // 30 s late is within the misfire threshold (1 minute by default).
        assertThat(runAfter(Duration.ofMinutes(60).plusSeconds(30))).isEqualTo(1);
    }

    @Test
    void pauseCancelsPendingAndResumeGoesOnFromNow() {
        build(b -> b.pacing(dev.wasched.policy.PacingPolicy.unlimited().withGap(Duration.ofMinutes(1), Duration.ZERO)));
        Contact a = contact("A", "+4915112345601", "t");
        contact("B", "+4915112345602", "t");
        Schedule s = wasched.schedules().create(ScheduleSpec.builder().account(ACCOUNT).to(Target.tag("t"))
                .text("hello").trigger(Trigger.cron("0 * * * *", ZoneId.of("UTC"))).build());
        assertThat(runAfter(Duration.ofHours(1))).as("gap lets one out").isEqualTo(1);
        wasched.schedules().pause(s.id());
        assertThat(deliveries(DeliveryStatus.CANCELLED)).singleElement()
                .satisfies(d -> assertThat(d.lastError()).isEqualTo("schedule paused"));
        assertThat(runAfter(Duration.ofHours(3))).isZero();
        Schedule resumed = wasched.schedules().resume(s.id());
        assertThat(resumed.nextFireAt()).isEqualTo(Instant.parse("2026-06-01T13:00:00Z"));
        assertThat(runAfter(Duration.ofMinutes(60))).isEqualTo(1);
        assertThat(events(WaschedEvent.OccurrenceSkipped.class)).isEmpty();
        assertThat(a).isNotNull();
    }

    @Test
    void optOutCancelsWhatIsPendingForTheContact() {
        build(b -> b.pacing(dev.wasched.policy.PacingPolicy.unlimited().withGap(Duration.ofMinutes(1), Duration.ZERO)));
        contact("A", "+4915112345601", "t");
        Contact b = contact("B", "+4915112345602", "t");
        wasched.schedules().create(ScheduleSpec.builder().account(ACCOUNT).to(Target.tag("t"))
                .text("hello").trigger(Trigger.once(clock.instant())).build());
        assertThat(wasched.runDue()).isEqualTo(1);
        wasched.contacts().optOut(b.id());
        assertThat(runAfter(Duration.ofMinutes(5))).isZero();
        assertThat(log.to("+4915112345602")).isEmpty();
        assertThat(deliveries(DeliveryStatus.CANCELLED)).singleElement()
                .satisfies(d -> assertThat(d.lastError()).isEqualTo("contact opted out"));
    }

    @Test
    void deletingAScheduleKeepsItsHistory() {
        build();
        Schedule s = wasched.schedules().create(ScheduleSpec.builder().account(ACCOUNT).to(Target.group("g"))
                .text("x").trigger(Trigger.every(Duration.ofMinutes(1))).build());
        runAfter(Duration.ofMinutes(1));
        wasched.schedules().delete(s.id());
        assertThat(runAfter(Duration.ofMinutes(5))).isZero();
        assertThat(deliveries(DeliveryStatus.SENT)).hasSize(1);
        // The next occurrence was fanned out ahead; deleting cancelled it, and history keeps that too.
        assertThat(deliveries()).filteredOn(d -> d.status() != DeliveryStatus.SENT).singleElement()
                .satisfies(d -> assertThat(d.lastError()).isEqualTo("schedule deleted"));
    }

    @Test
    void listenersAreIsolatedFromEachOther() {
        build(b -> b.listener(e -> {
            throw new IllegalStateException("listener bug");
        }));
        wasched.schedules().create(ScheduleSpec.builder().account(ACCOUNT).to(Target.group("g"))
                .text("x").trigger(Trigger.once(clock.instant())).build());
        assertThat(wasched.runDue()).isEqualTo(1);
        assertThat(events(WaschedEvent.DeliverySent.class)).hasSize(1);
    }
}
