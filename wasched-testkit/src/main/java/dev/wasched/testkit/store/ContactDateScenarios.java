package dev.wasched.testkit.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wasched.Page;
import dev.wasched.PageRequest;
import dev.wasched.Wasched;
import dev.wasched.contact.Contact;
import dev.wasched.contact.PhoneNumber;
import dev.wasched.contact.Registration;
import dev.wasched.delivery.Delivery;
import dev.wasched.delivery.DeliveryQuery;
import dev.wasched.policy.PacingPolicy;
import dev.wasched.schedule.MisfirePolicy;
import dev.wasched.schedule.Schedule;
import dev.wasched.schedule.ScheduleSpec;
import dev.wasched.schedule.ScheduledMessage;
import dev.wasched.schedule.Target;
import dev.wasched.schedule.Trigger;
import dev.wasched.spi.store.WaschedStore;
import dev.wasched.testkit.transport.RecordingTransport;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.Month;
import java.time.MonthDay;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Contact-date triggers as every store must support them: finding the contacts whose date field falls on given
 * month-days ({@code ContactRepository.findByDateField}), storing the trigger, and one delivery per contact from a
 * birthday schedule; run by {@link StoreCompatibilityKit} on each store.
 */
public abstract class ContactDateScenarios {
    private static final String ACCOUNT = "acc-dates";
    private static final Instant T0 = Instant.parse("2026-05-04T10:15:30.123Z");
    private static final AtomicInteger PHONES = new AtomicInteger();
    private static final Set<MonthDay> MARCH_5 = Set.of(MonthDay.of(Month.MARCH, 5));

    /** The store under test, empty at the start of each test. */
    protected abstract WaschedStore store();

    private Contact contact(String id, Set<String> tags, Map<String, String> fields) {
        Contact c = new Contact(id, "Name " + id, PhoneNumber.of(String.format("+4916%09d",
                200_000_000 + PHONES.incrementAndGet())), tags, fields, false, Registration.UNKNOWN,
                ZoneId.of("UTC"), T0, T0, 1);
        store().contacts().insert(c);
        return c;
    }

    private Contact birthday(String id, String value, String... tags) {
        return contact(id, Set.of(tags), Map.of("birthday", value, "city", "Köln"));
    }

    /** Every page of the query, by id. */
    private List<String> all(String tag, String field, Set<MonthDay> days, int pageSize) {
        List<String> ids = new ArrayList<>();
        PageRequest page = PageRequest.first(pageSize);
        for (int pages = 0; pages < 1000; pages++) {
            Page<Contact> p = store().contacts().findByDateField(tag, field, days, page);
            assertThat(p.items().size()).isLessThanOrEqualTo(pageSize);
            p.items().forEach(c -> ids.add(c.id()));
            if (p.nextCursor().isEmpty()) {
                return ids;
            }
            page = PageRequest.after(p.nextCursor().get(), pageSize);
        }
        throw new AssertionError("no last page");
    }

    @Test
    void findsTheContactsWhoseDateFallsOnTheMonthDaysInEveryFormat() {
        birthday("d-01", "1990-03-05", "friends");
        birthday("d-02", "--03-05", "friends");
        birthday("d-03", "03-05", "friends");
        birthday("d-04", "1990-03-06", "friends");
        birthday("d-05", "1990-03-05", "others");
        birthday("d-06", "5.3.1990", "friends");
        birthday("d-07", "x1990-03-05", "friends");
        birthday("d-08", "1990-03-05 ", "friends");
        contact("d-09", Set.of("friends"), Map.of("birthday", "1990-07-01", "anniversary", "2010-03-05"));
        contact("d-10", Set.of("friends"), Map.of("note", "\"birthday\":\"03-05\""));
        contact("d-11", Set.of("friends"), Map.of());
        assertThat(all("friends", "birthday", MARCH_5, 100)).containsExactly("d-01", "d-02", "d-03");
        assertThat(all(null, "birthday", MARCH_5, 100)).as("every contact").containsExactly("d-01", "d-02", "d-03",
                "d-05");
        assertThat(all("friends", "anniversary", MARCH_5, 100)).containsExactly("d-09");
        assertThat(all("friends", "birthday", Set.of(MonthDay.of(Month.MARCH, 6), MonthDay.of(Month.JULY, 1)), 100))
                .containsExactly("d-04", "d-09");
        assertThat(all("nobody", "birthday", MARCH_5, 100)).isEmpty();
    }

    @Test
    void the29thOfFebruaryIsFoundWhenAskedFor() {
        birthday("l-1", "2000-02-29", "friends");
        birthday("l-2", "1999-02-28", "friends");
        birthday("l-3", "--03-01", "friends");
        assertThat(all("friends", "birthday", Set.of(MonthDay.of(Month.FEBRUARY, 28)), 100)).containsExactly("l-2");
        assertThat(all("friends", "birthday", Set.of(MonthDay.of(Month.FEBRUARY, 28), MonthDay.of(Month.FEBRUARY, 29)),
                100)).containsExactly("l-1", "l-2");
    }

    @Test
    void pagesThroughEveryMatchOnceInIdOrder() {
        for (int i = 0; i < 23; i++) {
            birthday(String.format("p-%03d", i), i % 3 == 0 ? "1980-03-05" : "1980-04-05", "friends");
        }
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 23; i += 3) {
            expected.add(String.format("p-%03d", i));
        }
        assertThat(all("friends", "birthday", MARCH_5, 2)).containsExactlyElementsOf(expected);
        assertThat(all(null, "birthday", MARCH_5, 3)).containsExactlyElementsOf(expected);
    }

    @Test
    void aContactDateTriggerIsStoredAsGiven() {
        for (Trigger t : List.of(Trigger.yearlyOn("birthday", LocalTime.of(9, 0)),
                Trigger.yearlyOn("anniversary", LocalTime.of(2, 30, 15), ZoneId.of("Pacific/Kiritimati")))) {
            String id = "s-" + UUID.randomUUID();
            Schedule s = Schedule.builder().id(id).name("dates").account(ACCOUNT).target(Target.tag("friends"))
                    .message(ScheduledMessage.text("hi")).trigger(t).misfire(MisfirePolicy.DEFAULT).nextFireAt(T0)
                    .createdAt(T0).updatedAt(T0).version(1).build();
            store().schedules().insert(s);
            assertThat(store().schedules().findById(id)).hasValue(s);
        }
    }

    @Test
    void aBirthdayScheduleMakesOneDeliveryPerContactDueThatDay() {
        // A time half an hour from now, in UTC: due within the engine's look-ahead of an hour.
        LocalDateTime soon = LocalDateTime.ofInstant(Instant.now().plus(Duration.ofMinutes(30)), ZoneOffset.UTC)
                .truncatedTo(ChronoUnit.MINUTES);
        String today = MonthDay.from(soon).toString(); // --MM-dd
        Map<String, Instant> due = new HashMap<>();
        Instant at = soon.toInstant(ZoneOffset.UTC);
        due.put(birthday("b-1", today, "friends").id(), at);
        due.put(birthday("b-2", soon.getYear() - 30 + today.substring(1), "friends").id(), at);
        birthday("b-3", MonthDay.from(soon.plusDays(2)).toString(), "friends");
        birthday("b-4", today, "others");
        Wasched w = engine();
        Schedule s = w.schedules().create(ScheduleSpec.builder().account(ACCOUNT).to(Target.tag("friends"))
                .text("Happy birthday, {{name}}").trigger(Trigger.yearlyOn("birthday", soon.toLocalTime(),
                        ZoneId.of("UTC"))).build());
        try (w; Wasched again = engine()) {
            w.runDue();
            w.runDue();
            again.runDue();
        }
        List<Delivery> made = store().deliveries().history(DeliveryQuery.all().forSchedule(s.id()),
                PageRequest.first(100)).items();
        Map<String, Instant> byContact = new HashMap<>();
        made.forEach(d -> byContact.put(d.recipient().contactId(), d.fireAt()));
        assertThat(made).hasSize(2);
        assertThat(byContact).isEqualTo(due);
    }

    private Wasched engine() {
        return Wasched.builder().store(store()).instanceId("kit-dates").transport(new RecordingTransport(ACCOUNT))
                .pacing(PacingPolicy.unlimited()).fanOutLookAhead(Duration.ofHours(1)).defaultZone(ZoneId.of("UTC"))
                .build();
    }
}
