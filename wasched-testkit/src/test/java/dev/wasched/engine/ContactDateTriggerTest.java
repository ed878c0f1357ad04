package dev.wasched.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wasched.ValidationException;
import dev.wasched.contact.Contact;
import dev.wasched.contact.ContactSpec;
import dev.wasched.delivery.Delivery;
import dev.wasched.delivery.DeliveryStatus;
import dev.wasched.schedule.MisfirePolicy;
import dev.wasched.schedule.Schedule;
import dev.wasched.schedule.ScheduleSpec;
import dev.wasched.schedule.Target;
import dev.wasched.schedule.TargetNotSupportedException;
import dev.wasched.schedule.Trigger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Birthday and anniversary messages: every year on the date in a contact field, at a time of day in each contact's
 * zone, one delivery per contact and year.
 */
class ContactDateTriggerTest extends EngineFixture {
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private int phones;

    private Contact person(String name, String birthday, ZoneId zone) {
        return wasched.contacts().create(ContactSpec.builder().name(name)
                .phone(String.format("+4915112%06d", ++phones)).tag("friends").field("birthday", birthday)
                .zone(zone).build());
    }

    private Schedule birthdays(LocalTime at) {
        return wasched.schedules().create(ScheduleSpec.builder().account(ACCOUNT).to(Target.tag("friends"))
                .text("Happy birthday, {{name}}!").trigger(Trigger.yearlyOn("birthday", at)).build());
    }

    /** A wasched on the fixture's store, its clock at {@code instant}. */
    private void startAt(String instant) {
        clock.set(Instant.parse(instant));
        build();
    }

    /** Runs the engine every quarter of an hour, as a running one would, until {@code until}. */
    private void runUntil(String until) {
        Instant end = Instant.parse(until);
        while (clock.instant().isBefore(end)) {
            wasched.runDue();
            clock.advance(Duration.ofMinutes(15));
        }
        wasched.runDue();
    }

    private Map<String, List<Instant>> fireTimesByContact() {
        return deliveries().stream().collect(Collectors.groupingBy(d -> d.recipient().contactId(),
                Collectors.mapping(Delivery::fireAt, Collectors.toList())));
    }

    @Test
    void aBirthdayOnTheNightClocksGoForwardFiresAtTheFirstValidInstantAfterTheGap() {
        startAt("2026-03-27T12:00:00Z");
        Contact ann = person("Ann", "1990-03-29", BERLIN);
        birthdays(LocalTime.of(2, 30));
        Schedule nine = birthdays(LocalTime.of(9, 0));
        runUntil("2026-03-31T00:00:00Z");
        assertThat(deliveries()).extracting(Delivery::fireAt).containsExactlyInAnyOrder(
                Instant.parse("2026-03-29T01:00:00Z"), // 02:30 does not exist: 03:00 CEST
                Instant.parse("2026-03-29T07:00:00Z")); // 09:00 CEST
        assertThat(deliveries()).allSatisfy(d -> {
            assertThat(d.recipient().contactId()).isEqualTo(ann.id());
            assertThat(d.status()).isEqualTo(DeliveryStatus.SENT);
        });
        assertThat(log.texts()).containsOnly("Happy birthday, Ann!");
        assertThat(wasched.schedules().get(nine.id()).runs()).isEqualTo(1);
    }

    @Test
    void aBirthdayOnTheNightClocksGoBackFiresOnceAtTheFirstOfTheRepeatedHour() {
        startAt("2026-10-23T12:00:00Z");
        person("Ann", "--10-25", BERLIN);
        birthdays(LocalTime.of(2, 30));
        birthdays(LocalTime.of(9, 0));
        runUntil("2026-10-27T00:00:00Z");
        assertThat(deliveries()).extracting(Delivery::fireAt).containsExactlyInAnyOrder(
                Instant.parse("2026-10-25T00:30:00Z"), // 02:30 CEST, the first of the two
                Instant.parse("2026-10-25T08:00:00Z")); // 09:00 CET
    }

    @Test
    void the29thOfFebruaryIsThe28thInACommonYearAndItselfInALeapYear() {
        startAt("2027-02-26T00:00:00Z");
        Contact leap = person("Leap", "2000-02-29", ZoneId.of("UTC"));
        Contact feb28 = person("Feb28", "--02-28", ZoneId.of("UTC"));
        Contact march = person("March", "2000-03-01", ZoneId.of("UTC"));
        Schedule s = birthdays(LocalTime.of(9, 0));
        runUntil("2027-03-02T12:00:00Z");
        assertThat(fireTimesByContact()).as("2027, a common year").isEqualTo(Map.of(
                leap.id(), List.of(Instant.parse("2027-02-28T09:00:00Z")),
                feb28.id(), List.of(Instant.parse("2027-02-28T09:00:00Z")),
                march.id(), List.of(Instant.parse("2027-03-01T09:00:00Z"))));
        clock.set(Instant.parse("2028-02-27T00:00:00Z"));
        wasched.schedules().pause(s.id());
        wasched.schedules().resume(s.id());
        runUntil("2028-03-02T12:00:00Z");
        assertThat(log.texts()).hasSize(6);
        assertThat(deliveries()).filteredOn(d -> d.fireAt().isAfter(Instant.parse("2028-01-01T00:00:00Z")))
                .extracting(d -> d.recipient().contactId() + " " + d.fireAt()).as("2028, a leap year")
                .containsExactlyInAnyOrder(leap.id() + " 2028-02-29T09:00:00Z", feb28.id() + " 2028-02-28T09:00:00Z",
                        march.id() + " 2028-03-01T09:00:00Z");
    }

    @Test
    void contactsFromUtcPlus14ToUtcMinus11EachGetTheirsAtTheirOwnNineOClock() {
        startAt("2026-05-31T00:00:00Z");
        Contact kiritimati = person("Kiri", "--06-02", ZoneId.of("Pacific/Kiritimati"));
        Contact pagoPago = person("Pago", "06-02", ZoneId.of("Pacific/Pago_Pago"));
        Contact kolkata = person("Kolkata", "1980-06-02", ZoneId.of("Asia/Kolkata"));
        Contact berlinNextDay = person("Berlin", "1980-06-03", BERLIN);
        Contact other = person("Other", "1980-07-02", BERLIN);
        birthdays(LocalTime.of(9, 0));
        runUntil("2026-06-04T00:00:00Z");
        assertThat(fireTimesByContact()).isEqualTo(Map.of(
                kiritimati.id(), List.of(Instant.parse("2026-06-01T19:00:00Z")),
                pagoPago.id(), List.of(Instant.parse("2026-06-02T20:00:00Z")),
                kolkata.id(), List.of(Instant.parse("2026-06-02T03:30:00Z")),
                berlinNextDay.id(), List.of(Instant.parse("2026-06-03T07:00:00Z"))));
        assertThat(fireTimesByContact()).doesNotContainKey(other.id());
        assertThat(deliveries()).allSatisfy(d -> assertThat(d.status()).isEqualTo(DeliveryStatus.SENT));
    }

    @Test
    void oneDeliveryPerContactAndYearAcrossRestartsAndRepeatedRuns() {
        startAt("2026-05-31T22:00:00Z");
        Contact kiritimati = person("Kiri", "--06-02", ZoneId.of("Pacific/Kiritimati"));
        Contact pagoPago = person("Pago", "--06-02", ZoneId.of("Pacific/Pago_Pago"));
        birthdays(LocalTime.of(9, 0));
        runUntil("2026-06-02T08:00:00Z");
        build(); // another engine on the same store takes over
        wasched.runDue();
        wasched.runDue();
        runUntil("2026-06-03T00:00:00Z");
        build();
        runUntil("2026-06-04T00:00:00Z");
        assertThat(fireTimesByContact()).isEqualTo(Map.of(
                kiritimati.id(), List.of(Instant.parse("2026-06-01T19:00:00Z")),
                pagoPago.id(), List.of(Instant.parse("2026-06-02T20:00:00Z"))));
        assertThat(log.texts()).hasSize(2);
    }

    @Test
    void nextYearTheSameContactGetsItAgain() {
        clock.set(Instant.parse("2026-06-01T00:00:00Z"));
        build(b -> b.fanOutLookAhead(Duration.ofHours(1)));
        Contact ann = person("Ann", "--06-02", BERLIN);
        birthdays(LocalTime.of(9, 0));
        runUntil("2026-06-03T00:00:00Z");
        assertThat(fireTimesByContact().get(ann.id())).containsExactly(Instant.parse("2026-06-02T07:00:00Z"));
        clock.set(Instant.parse("2027-06-01T00:00:00Z"));
        Schedule s = wasched.schedules().list(dev.wasched.PageRequest.first(1)).items().get(0);
        wasched.schedules().pause(s.id());
        wasched.schedules().resume(s.id()); // after a year's outage, go on from now
        runUntil("2027-06-03T00:00:00Z");
        assertThat(fireTimesByContact().get(ann.id())).as("last year's purged from the history by now")
                .containsExactly(Instant.parse("2027-06-02T07:00:00Z"));
        assertThat(log.texts()).hasSize(2);
    }

    @Test
    void optedOutContactsAndValuesThatAreNoDateAreSkipped() {
        startAt("2026-06-01T00:00:00Z");
        Contact ann = person("Ann", "1990-06-02", BERLIN);
        Contact out = person("Out", "1990-06-02", BERLIN);
        person("Bad", "2.6.1990", BERLIN);
        person("Impossible", "1990-02-30", BERLIN);
        wasched.contacts().create(ContactSpec.builder().name("None").phone("+4915199999999").tag("friends").build());
        wasched.contacts().optOut(out.id());
        birthdays(LocalTime.of(9, 0));
        runUntil("2026-06-03T00:00:00Z");
        assertThat(fireTimesByContact()).containsOnlyKeys(ann.id());
    }

    @Test
    void yearsSinceTheDateFillTheTemplateAndTheDateItselfIsNotAnAnniversary() {
        startAt("2026-06-01T00:00:00Z");
        person("Ann", "1990-06-02", BERLIN);
        person("Newborn", "2026-06-02", BERLIN);
        wasched.schedules().create(ScheduleSpec.builder().account(ACCOUNT).to(Target.tag("friends"))
                .text("{{years}} years, {{name}}!").trigger(Trigger.yearlyOn("birthday", LocalTime.NOON)).build());
        runUntil("2026-06-03T00:00:00Z");
        assertThat(log.texts()).containsExactly("36 years, Ann!");
    }

    @Test
    void aContactWhoseZoneChangesAfterTheirMessageWasMadeGetsNoSecond() {
        startAt("2026-06-01T00:00:00Z");
        Contact ann = person("Ann", "--06-02", ZoneId.of("Pacific/Kiritimati"));
        birthdays(LocalTime.of(9, 0));
        runUntil("2026-06-01T20:00:00Z");
        assertThat(fireTimesByContact()).containsOnlyKeys(ann.id());
        wasched.contacts().update(ann.id(), ContactSpec.builder().name("Ann").phone(ann.phone().e164())
                .tag("friends").field("birthday", "--06-02").zone(ZoneId.of("Pacific/Pago_Pago")).build());
        runUntil("2026-06-04T00:00:00Z");
        assertThat(fireTimesByContact().get(ann.id())).containsExactly(Instant.parse("2026-06-01T19:00:00Z"));
    }

    @Test
    void aContactAddedAfterTheirTimePassedWaitsForNextYear() {
        startAt("2026-06-02T10:00:00Z");
        birthdays(LocalTime.of(9, 0));
        person("Late", "--06-02", BERLIN); // 09:00 Berlin was 07:00 UTC
        runUntil("2026-06-04T00:00:00Z");
        assertThat(deliveries()).isEmpty();
    }

    @Test
    void aMessageMadeAheadExpiresUnderTheMisfirePolicyOfItsContact() {
        clock.set(Instant.parse("2026-06-02T06:30:00Z"));
        build(b -> b.fanOutLookAhead(Duration.ofHours(1)));
        person("Ann", "--06-02", BERLIN);
        wasched.schedules().create(ScheduleSpec.builder().account(ACCOUNT).to(Target.tag("friends")).text("hi")
                .trigger(Trigger.yearlyOn("birthday", LocalTime.of(9, 0)))
                .misfire(MisfirePolicy.fireOnce(Duration.ofHours(3))).build());
        engineFansOutOnly();
        assertThat(deliveries()).singleElement().satisfies(d -> {
            assertThat(d.fireAt()).isEqualTo(Instant.parse("2026-06-02T07:00:00Z"));
            assertThat(d.status()).isEqualTo(DeliveryStatus.PENDING);
            assertThat(d.expiresAt()).as("a year to the next one: the policy's maximum lateness")
                    .isEqualTo(Instant.parse("2026-06-02T10:00:00Z"));
        });
    }

    /** One run before anything is due: the fan-out makes deliveries ahead, nothing is sent yet. */
    private void engineFansOutOnly() {
        wasched.runDue();
    }

    @Test
    void aContactMissedInAnOutageIsSentLateOrSkippedAsTheMisfirePolicySays() {
        clock.set(Instant.parse("2026-06-01T00:00:00Z"));
        build(b -> b.fanOutLookAhead(Duration.ZERO));
        Contact ann = person("Ann", "--06-02", ZoneId.of("UTC")); // 09:00Z
        Contact bob = person("Bob", "--06-02", ZoneId.of("Asia/Tokyo")); // 00:00Z
        Schedule s = wasched.schedules().create(ScheduleSpec.builder().account(ACCOUNT).to(Target.tag("friends"))
                .text("hi").trigger(Trigger.yearlyOn("birthday", LocalTime.of(9, 0)))
                .misfire(MisfirePolicy.fireOnce(Duration.ofHours(6))).build());
        wasched.runDue();
        clock.set(Instant.parse("2026-06-02T10:00:00Z")); // down from midnight: Ann one hour late, Bob ten
        runUntil("2026-06-03T00:00:00Z");
        assertThat(fireTimesByContact()).containsOnlyKeys(ann.id());
        assertThat(fireTimesByContact()).doesNotContainKey(bob.id());
        assertThat(wasched.schedules().get(s.id()).skippedRuns()).isEqualTo(1);
    }

    @Test
    void aContactDateTriggerNeedsContactsAFieldAndATime() {
        build();
        assertThatThrownBy(() -> ScheduleSpec.builder().account(ACCOUNT).to(Target.group("Team")).text("hi")
                .trigger(Trigger.yearlyOn("birthday", LocalTime.NOON)).build())
                .isInstanceOf(TargetNotSupportedException.class).hasMessageContaining("group")
                .hasMessageContaining("birthday");
        assertThatThrownBy(() -> ScheduleSpec.builder().account(ACCOUNT).to(Target.number("+4915112345678"))
                .text("hi").trigger(Trigger.yearlyOn("birthday", LocalTime.NOON)).build())
                .isInstanceOf(TargetNotSupportedException.class).hasMessageContaining("number");
        assertThatThrownBy(() -> Trigger.yearlyOn(" ", LocalTime.NOON)).isInstanceOf(ValidationException.class)
                .extracting(e -> ((ValidationException) e).field()).isEqualTo("field");
        assertThatThrownBy(() -> Trigger.yearlyOn("birthday", null)).isInstanceOf(ValidationException.class)
                .extracting(e -> ((ValidationException) e).field()).isEqualTo("at");
        assertThatThrownBy(() -> ScheduleSpec.builder().account(ACCOUNT).to(Target.tag("friends")).text("hi")
                .trigger(Trigger.yearlyOn("birthday", LocalTime.NOON)).maxRuns(3).build())
                .isInstanceOf(ValidationException.class).hasMessageContaining("maxRuns");
    }

    @Test
    void aListOfContactsReachesOnlyThoseListed() {
        startAt("2026-06-01T00:00:00Z");
        Contact ann = person("Ann", "--06-02", BERLIN);
        person("Bob", "--06-02", BERLIN);
        wasched.schedules().create(ScheduleSpec.builder().account(ACCOUNT).to(Target.contacts(ann.id())).text("hi")
                .trigger(Trigger.yearlyOn("birthday", LocalTime.of(9, 0))).build());
        runUntil("2026-06-03T00:00:00Z");
        assertThat(fireTimesByContact()).containsOnlyKeys(ann.id());
    }

    @Test
    void anEditedTextGoesOutForAMessageMadeAheadAndNobodyGetsTwo() {
        clock.set(Instant.parse("2026-06-02T06:30:00Z"));
        build(b -> b.fanOutLookAhead(Duration.ofHours(1)));
        Contact ann = person("Ann", "--06-02", BERLIN);
        Schedule s = birthdays(LocalTime.of(9, 0));
        wasched.runDue();
        assertThat(deliveries()).hasSize(1);
        wasched.schedules().update(s.id(), ScheduleSpec.builder().account(ACCOUNT).to(Target.tag("friends"))
                .text("Alles Gute, {{name}}!").trigger(Trigger.yearlyOn("birthday", LocalTime.of(9, 0))).build());
        runUntil("2026-06-03T00:00:00Z");
        assertThat(fireTimesByContact()).isEqualTo(Map.of(ann.id(), List.of(Instant.parse("2026-06-02T07:00:00Z"))));
        assertThat(log.texts()).containsExactly("Alles Gute, Ann!");
    }
}
