package dev.wasched.internal.engine;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.wasched.Page;
import dev.wasched.PageRequest;
import dev.wasched.contact.Contact;
import dev.wasched.contact.ContactDate;
import dev.wasched.delivery.DeliveryQuery;
import dev.wasched.schedule.Schedule;
import dev.wasched.schedule.Target;
import dev.wasched.schedule.Trigger;
import dev.wasched.spi.store.WaschedStore;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.MonthDay;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whom a contact-date schedule ({@link Trigger.YearlyOn}) sends to in one window of time, and when: the contacts of
 * its target whose date falls on one of the calendar days the window spans somewhere in the world, each due at their
 * own date and time in their own zone, kept when that instant is inside the window.
 */
public final class ContactDates {
    private static final Logger log = LoggerFactory.getLogger(ContactDates.class);
    private static final int CONTACT_PAGE = 500;
    /** Zone offsets lie within ±18 hours: a window's instants are on these local days somewhere, and on no other. */
    private static final Duration WIDEST_OFFSET = Duration.ofHours(18);
    /**
     * A contact's time on one day lies within about 50 hours across all zones (UTC+14 to UTC-12): another delivery
     * this close is this year's message before the contact's zone or date changed.
     */
    static final Duration SAME_YEAR = Duration.ofDays(3);
    /** Contacts warned about once per JVM (by schedule, contact and value), so a warning does not repeat hourly. */
    private static final Cache<String, Boolean> WARNED = Caffeine.newBuilder().maximumSize(10_000).build();

    private ContactDates() {
    }

    /**
     * A contact due in a window.
     *
     * @param vars the contact's template variables, with {@code years} when the year of its date is known
     */
    record Due(Contact contact, Instant fireAt, LocalDate day, Map<String, String> vars) {
    }

    /** The calendar days that some zone's wall clock shows at some instant of {@code [from, to)}. */
    static List<LocalDate> daysSpanned(Instant from, Instant to) {
        LocalDate first = LocalDateTime.ofInstant(from.minus(WIDEST_OFFSET), ZoneOffset.UTC).toLocalDate();
        LocalDate last = LocalDateTime.ofInstant(to.plus(WIDEST_OFFSET), ZoneOffset.UTC).toLocalDate();
        List<LocalDate> days = new ArrayList<>();
        for (LocalDate d = first; !d.isAfter(last); d = d.plusDays(1)) {
            days.add(d);
        }
        return days;
    }

    /**
     * The contacts of {@code s}'s target due in {@code [from, to)}, opted-out ones included (the caller skips them),
     * each once: a contact's time on one day is a single instant.
     *
     * @param fallback the zone of contacts whose zone is not known
     */
    static List<Due> dueIn(WaschedStore store, Schedule s, Trigger.YearlyOn trigger, Instant from, Instant to,
                           ZoneId fallback) {
        List<LocalDate> days = daysSpanned(from, to);
        Set<MonthDay> monthDays = ContactDate.monthDaysFor(days);
        Set<String> listed = s.target() instanceof Target.Contacts c ? new HashSet<>(c.contactIds()) : null;
        String tag = s.target() instanceof Target.Tag t ? t.tag() : null;
        List<Due> due = new ArrayList<>();
        PageRequest page = PageRequest.first(CONTACT_PAGE);
        while (true) {
            Page<Contact> found = store.contacts().findByDateField(tag, trigger.field(), monthDays, page);
            for (Contact c : found.items()) {
                if (listed != null && !listed.contains(c.id())) {
                    continue;
                }
                ContactDate date = ContactDate.of(c, trigger.field()).orElse(null);
                if (date == null) {
                    continue; // the store's answer is checked again here; reported by reportUnreadable
                }
                ZoneId zone = c.effectiveZone().orElse(fallback);
                for (LocalDate day : days) {
                    if (!date.fallsOn(day)) {
                        continue;
                    }
                    Instant at = trigger.fireAt(day, zone);
                    if (!at.isBefore(from) && at.isBefore(to)) {
                        Map<String, String> vars = new HashMap<>(c.templateVariables());
                        date.yearsOn(day).ifPresent(y -> vars.putIfAbsent("years", Integer.toString(y)));
                        due.add(new Due(c, at, day, vars));
                    }
                }
            }
            if (found.nextCursor().isEmpty()) {
                return due;
            }
            page = PageRequest.after(found.nextCursor().get(), CONTACT_PAGE);
        }
    }

    /**
     * Whether {@code c} already has a delivery of {@code s} for the occurrence at {@code fireAt} or, made before
     * their zone or date changed, one within {@link #SAME_YEAR} of it: then nothing is made again.
     */
    static boolean alreadyHas(WaschedStore store, Schedule s, Contact c, Instant fireAt) {
        // A delivery is made at most a window and a look-ahead before its time, or late after an outage.
        Instant since = fireAt.minus(SAME_YEAR).minus(SAME_YEAR);
        return store.deliveries().history(new DeliveryQuery(s.id(), c.id(), null, Set.of(), since, null),
                PageRequest.first(20)).items().stream()
                .anyMatch(d -> Duration.between(d.fireAt(), fireAt).abs().compareTo(SAME_YEAR) < 0);
    }

    /**
     * Logs a warning for each contact of {@code s}'s target whose {@code field} is set but is not a date, once per
     * contact and value, and returns how many there are: they are skipped. Read when a schedule is created or edited.
     */
    public static int reportUnreadable(WaschedStore store, Schedule s) {
        if (!(s.trigger() instanceof Trigger.YearlyOn trigger)) {
            return 0;
        }
        int[] unreadable = {0};
        Consumer<Contact> check = c -> {
            String value = c.fields().get(trigger.field());
            if (value != null && ContactDate.parse(value).isEmpty()) {
                unreadable[0]++;
                if (WARNED.asMap().putIfAbsent(s.id() + "|" + c.id() + "|" + value, Boolean.TRUE) == null) {
                    log.warn("schedule {}: contact {} is skipped, its field '{}' is not a date (yyyy-MM-dd, --MM-dd"
                            + " or MM-dd): '{}'", s.id(), c.id(), trigger.field(), value);
                }
            }
        };
        if (s.target() instanceof Target.Contacts listed) {
            listed.contactIds().forEach(id -> store.contacts().findById(id).ifPresent(check));
        } else if (s.target() instanceof Target.Tag tag) {
            PageRequest page = PageRequest.first(CONTACT_PAGE);
            while (true) {
                Page<Contact> found = store.contacts().findByTag(tag.tag(), page);
                found.items().forEach(check);
                if (found.nextCursor().isEmpty()) {
                    break;
                }
                page = PageRequest.after(found.nextCursor().get(), CONTACT_PAGE);
            }
        }
        if (unreadable[0] > 0) {
            log.warn("schedule {}: {} contact(s) skipped, their field '{}' is not a date", s.id(), unreadable[0],
                    trigger.field());
        }
        return unreadable[0];
    }
}
