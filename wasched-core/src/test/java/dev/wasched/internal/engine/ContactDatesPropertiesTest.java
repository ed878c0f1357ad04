package dev.wasched.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wasched.contact.Contact;
import dev.wasched.contact.PhoneNumber;
import dev.wasched.contact.Registration;
import dev.wasched.memory.InMemoryStore;
import dev.wasched.schedule.MisfirePolicy;
import dev.wasched.schedule.Schedule;
import dev.wasched.schedule.ScheduledMessage;
import dev.wasched.schedule.Target;
import dev.wasched.schedule.Trigger;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.MonthDay;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Whatever the zone, date and time of day, walking the windows of a contact-date trigger finds a contact exactly once
 * around its date, at its date and time in its zone (the gap and overlap rules of cron).
 */
class ContactDatesPropertiesTest {
    private static final Instant T0 = Instant.parse("2020-01-01T00:00:00Z");

    @Property(tries = 300)
    void eachContactIsDueInExactlyOneWindow(@ForAll("zones") String zoneId, @ForAll("monthDays") MonthDay day,
                                            @ForAll @IntRange(min = 2021, max = 2040) int year,
                                            @ForAll("times") LocalTime at) {
        ZoneId zone = ZoneId.of(zoneId);
        InMemoryStore store = new InMemoryStore(Clock.fixed(T0, ZoneOffset.UTC));
        Contact c = new Contact("c1", "Ann", PhoneNumber.of("+4915112345678"), Set.of("friends"),
                Map.of("birthday", day.toString()), false, Registration.UNKNOWN, zone, T0, T0, 1);
        store.contacts().insert(c);
        Trigger.YearlyOn trigger = (Trigger.YearlyOn) Trigger.yearlyOn("birthday", at);
        Schedule s = Schedule.builder().id("s1").name("").account("acc").target(Target.tag("friends"))
                .message(ScheduledMessage.text("hi")).trigger(trigger).misfire(MisfirePolicy.DEFAULT).nextFireAt(T0)
                .createdAt(T0).updatedAt(T0).version(1).build();
        LocalDate expectedDay = day.isValidYear(year) ? day.atYear(year) : LocalDate.of(year, 2, 28);
        Instant expected = LocalDateTime.of(expectedDay, at).atZone(zone).toInstant();
        // From two days before to two days after, window by window.
        Instant from = trigger.nextAfter(expected.minusSeconds(2 * 86_400)).orElseThrow();
        Instant end = expected.plusSeconds(2 * 86_400);
        List<Instant> found = new ArrayList<>();
        for (Instant w = from; w.isBefore(end); ) {
            Instant next = trigger.nextAfter(w).orElseThrow();
            ContactDates.dueIn(store, s, trigger, w, next, ZoneId.of("UTC")).forEach(d -> {
                assertThat(d.day()).isEqualTo(expectedDay);
                found.add(d.fireAt());
            });
            w = next;
        }
        assertThat(found).hasSize(1);
        Instant fireAt = found.get(0);
        LocalDateTime wall = LocalDateTime.ofInstant(fireAt, zone);
        if (zone.getRules().getValidOffsets(LocalDateTime.of(expectedDay, at)).isEmpty()) {
            // In a gap: the first valid instant after it.
            assertThat(zone.getRules().getTransition(LocalDateTime.of(expectedDay, at)).getInstant()).isEqualTo(fireAt);
        } else {
            assertThat(wall).isEqualTo(LocalDateTime.of(expectedDay, at));
            assertThat(fireAt).as("the first of a repeated hour").isEqualTo(expected);
        }
    }

    @Provide
    Arbitrary<String> zones() {
        return Arbitraries.oneOf(Arbitraries.of("Pacific/Kiritimati", "Pacific/Pago_Pago", "Europe/Berlin",
                "America/Havana", "Asia/Kathmandu", "Australia/Lord_Howe", "Pacific/Chatham", "America/St_Johns",
                "Pacific/Apia", "Etc/GMT+12", "Asia/Tehran", "America/Santiago", "UTC"),
                Arbitraries.of(ZoneId.getAvailableZoneIds().stream().sorted().toList()));
    }

    @Provide
    Arbitrary<MonthDay> monthDays() {
        return Arbitraries.oneOf(Arbitraries.of(MonthDay.of(2, 29), MonthDay.of(2, 28), MonthDay.of(3, 1),
                        MonthDay.of(12, 31), MonthDay.of(1, 1), MonthDay.of(3, 29), MonthDay.of(10, 25)),
                Arbitraries.integers().between(1, 366).map(d -> MonthDay.from(LocalDate.ofYearDay(2024, d))));
    }

    @Provide
    Arbitrary<LocalTime> times() {
        return Arbitraries.oneOf(Arbitraries.of(LocalTime.MIDNIGHT, LocalTime.of(2, 30), LocalTime.of(23, 59, 59),
                        LocalTime.of(0, 30), LocalTime.of(1, 30), LocalTime.of(9, 0)),
                Arbitraries.integers().between(0, 86_399).map(LocalTime::ofSecondOfDay));
    }
}
