package dev.wasched.spi.store;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.wasched.Page;
import dev.wasched.PageRequest;
import dev.wasched.contact.Contact;
import dev.wasched.contact.ContactDate;
import java.time.MonthDay;
import java.util.Optional;
import java.util.Set;

/** Contacts as a store keeps them: written, found by id or number, paged and filtered by tag. */
public interface ContactRepository {
    /** @throws DuplicateKeyException when a contact with the same phone number exists */
    void insert(Contact contact);

    /** Compare-and-set on version; false when the contact changed or is gone. May raise DuplicateKeyException. */
    boolean update(Contact contact);

    Optional<Contact> findById(String id);

    Optional<Contact> findByPhone(String e164);

    /**
     * The contacts that have these numbers, keyed by number; numbers no contact has are absent. An import looks a
     * whole batch up at once, so a store answers in one query where it can; this default asks number by number.
     */
    default Map<String, Contact> findByPhones(Collection<String> e164s) {
        Map<String, Contact> found = new HashMap<>();
        for (String e164 : e164s) {
            findByPhone(e164).ifPresent(c -> found.put(e164, c));
        }
        return found;
    }

    /**
     * Inserts new contacts together, in one transaction where the store has transactions, so that either all of
     * them are stored or none. This default inserts them one by one: after a {@link DuplicateKeyException} the
     * contacts before the duplicate are stored, and callers that care look them up again.
     *
     * @throws DuplicateKeyException when a contact with one of the numbers or ids exists
     */
    default void insertAll(List<Contact> contacts) {
        for (Contact c : contacts) {
            insert(c);
        }
    }

    boolean delete(String id);

    Page<Contact> list(PageRequest page);

    /** Contacts carrying the tag (normalized, lower-case), by id. */
    Page<Contact> findByTag(String tag, PageRequest page);

    /**
     * Contacts with {@code tag} (or every contact when it is null) whose {@code field} holds a date
     * ({@link ContactDate}) on one of {@code days}, by id: whom a contact-date trigger may send to on those days.
     * A page may hold fewer contacts than its limit, even none, while its next cursor says more may follow, so a store
     * may narrow the rows in its query and check the dates with {@link #onDays}. This default pages through the
     * tag's (or all) contacts and checks each.
     */
    default Page<Contact> findByDateField(String tag, String field, Set<MonthDay> days, PageRequest page) {
        return onDays(tag == null ? list(page) : findByTag(tag, page), field, days);
    }

    /** The contacts of {@code candidates} whose {@code field} is a date on one of {@code days}; the cursor kept. */
    static Page<Contact> onDays(Page<Contact> candidates, String field, Set<MonthDay> days) {
        return new Page<>(candidates.items().stream().filter(c -> ContactDate.of(c, field)
                .filter(d -> days.contains(d.monthDay())).isPresent()).toList(), candidates.nextCursor());
    }

    /** Contacts whose name contains {@code text} (case-insensitive) or whose number contains its digits. */
    Page<Contact> search(String text, PageRequest page);

    long count();
}
