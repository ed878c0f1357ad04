package dev.wasched.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wasched.contact.ContactSpec;
import dev.wasched.delivery.Delivery;
import dev.wasched.schedule.ScheduleSpec;
import dev.wasched.schedule.Target;
import dev.wasched.schedule.Trigger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** The examples of docs/scheduling.md, run on a settable clock. */
class DocSnippetsSchedulingTest extends EngineFixture {

    @Test
    void aBirthdayMessageGoesOutOnTheContactsDateAtNine() {
        clock.set(Instant.parse("2027-03-28T12:00:00Z"));
        build(b -> b.defaultZone(ZoneId.of("Europe/Berlin")));

        // docs:docs/scheduling.md#birthday-and-anniversary-messages:begin
        wasched.contacts().create(ContactSpec.builder().name("Ann").phone("+4915112345678").tag("friends")
                .field("birthday", "1990-03-29").build());
        wasched.schedules().create(ScheduleSpec.builder().account("shop").to(Target.tag("friends"))
                .text("Happy birthday, {{name}}! {{years}} years, who would have thought.")
                .trigger(Trigger.yearlyOn("birthday", LocalTime.of(9, 0)))   // or yearlyOn(field, time, zone)
                .build());
        // docs:docs/scheduling.md#birthday-and-anniversary-messages:end

        while (clock.instant().isBefore(Instant.parse("2027-03-30T00:00:00Z"))) {
            wasched.runDue();
            clock.advance(Duration.ofMinutes(15));
        }
        assertThat(deliveries()).extracting(Delivery::fireAt)
                .containsExactly(Instant.parse("2027-03-29T07:00:00Z"));   // 09:00 CEST
        assertThat(log.texts()).containsExactly("Happy birthday, Ann! 37 years, who would have thought.");
    }
}
