package dev.wasched.contact;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wasched.schedule.Trigger;
import dev.wasched.spi.store.StoreCodec;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.Month;
import java.time.MonthDay;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ContactDateTest {
    @Test
    void readsTheThreeFormats() {
        assertThat(ContactDate.parse("1990-03-05")).contains(new ContactDate(MonthDay.of(3, 5), 1990));
        assertThat(ContactDate.parse("--03-05")).contains(new ContactDate(MonthDay.of(3, 5), null));
        assertThat(ContactDate.parse("03-05")).contains(new ContactDate(MonthDay.of(3, 5), null));
        assertThat(ContactDate.parse("--02-29")).contains(new ContactDate(MonthDay.of(2, 29), null));
        assertThat(ContactDate.parse("2000-02-29")).contains(new ContactDate(MonthDay.of(2, 29), 2000));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "5.3.1990", "1990-3-5", "1990-02-30", "1999-02-29", "--13-01", "00-10",
            "1990-03-05 ", " 03-05", "1990/03/05", "19900305", "x03-05", "1990-03-05T00:00", "-03-05"})
    void anythingElseIsNoDate(String value) {
        assertThat(ContactDate.parse(value)).isEmpty();
    }

    @Test
    void the29thOfFebruaryIsThe28thInCommonYears() {
        ContactDate leap = ContactDate.parse("--02-29").orElseThrow();
        assertThat(leap.inYear(2027)).isEqualTo(LocalDate.of(2027, 2, 28));
        assertThat(leap.inYear(2028)).isEqualTo(LocalDate.of(2028, 2, 29));
        assertThat(leap.fallsOn(LocalDate.of(2027, 2, 28))).isTrue();
        assertThat(leap.fallsOn(LocalDate.of(2028, 2, 28))).isFalse();
        assertThat(ContactDate.monthDaysFor(List.of(LocalDate.of(2027, 2, 28))))
                .containsExactly(MonthDay.of(2, 28), MonthDay.of(2, 29));
        assertThat(ContactDate.monthDaysFor(List.of(LocalDate.of(2028, 2, 28)))).containsExactly(MonthDay.of(2, 28));
    }

    @Test
    void yearsCountFromTheDateAndTheDateItselfIsNoAnniversary() {
        ContactDate wedding = ContactDate.parse("2010-06-12").orElseThrow();
        assertThat(wedding.yearsOn(LocalDate.of(2026, 6, 12))).contains(16);
        assertThat(wedding.fallsOn(LocalDate.of(2010, 6, 12))).isFalse();
        assertThat(wedding.fallsOn(LocalDate.of(2011, 6, 12))).isTrue();
        assertThat(ContactDate.parse("06-12").orElseThrow().yearsOn(LocalDate.of(2026, 6, 12))).isEmpty();
    }

    @Test
    void windowsStartEveryHourAtTheMinuteOfTheTime() {
        Trigger.YearlyOn t = (Trigger.YearlyOn) Trigger.yearlyOn("birthday", LocalTime.of(9, 30));
        Instant at = Instant.parse("2026-06-01T10:30:00Z");
        assertThat(t.first(Instant.parse("2026-06-01T10:12:00.5Z"))).contains(Instant.parse("2026-06-01T10:12:00.500Z"));
        assertThat(t.nextAfter(Instant.parse("2026-06-01T10:12:00Z"))).contains(at);
        assertThat(t.nextAfter(at.minusMillis(1))).contains(at);
        assertThat(t.nextAfter(at)).contains(at.plusSeconds(3600));
        assertThat(t.fireAt(LocalDate.of(2026, Month.MARCH, 29), ZoneId.of("Europe/Berlin")))
                .isEqualTo(Instant.parse("2026-03-29T07:30:00Z"));
    }

    @Test
    void theTriggerIsStoredAsGiven() {
        for (Trigger t : List.of(Trigger.yearlyOn("birthday", LocalTime.of(9, 0)),
                Trigger.yearlyOn("anniversary", LocalTime.of(23, 59, 59), ZoneId.of("Pacific/Pago_Pago")))) {
            assertThat(StoreCodec.trigger(StoreCodec.trigger(t))).isEqualTo(t);
        }
    }

    @Test
    void contactsWhoseFieldIsNoDateAreCounted() {
        java.time.Instant t0 = java.time.Instant.parse("2026-01-01T00:00:00Z");
        dev.wasched.memory.InMemoryStore store = new dev.wasched.memory.InMemoryStore(
                java.time.Clock.fixed(t0, java.time.ZoneOffset.UTC));
        String[] values = {"1990-03-05", "5.3.1990", "--02-30", null};
        for (int i = 0; i < values.length; i++) {
            store.contacts().insert(new Contact("c" + i, "", PhoneNumber.of("+491511234567" + i), java.util.Set.of("f"),
                    values[i] == null ? java.util.Map.of() : java.util.Map.of("birthday", values[i]), false, null, null,
                    t0, t0, 1));
        }
        dev.wasched.schedule.Schedule s = new dev.wasched.schedule.Schedule("s", "", "acc",
                dev.wasched.schedule.Target.tag("f"), dev.wasched.schedule.ScheduledMessage.text("hi"),
                Trigger.yearlyOn("birthday", LocalTime.NOON), null, null, 0, false, t0, 0, 0, null, null, t0, t0, 1);
        assertThat(dev.wasched.internal.engine.ContactDates.reportUnreadable(store, s)).isEqualTo(2);
    }
}
