package dev.wasched.spi.store;

import dev.wasched.Page;
import dev.wasched.PageRequest;
import dev.wasched.contact.Contact;
import java.util.Optional;

public interface ContactRepository {
    /** @throws DuplicateKeyException when a contact with the same phone number exists */
    void insert(Contact contact);

    /** Compare-and-set on version; false when the contact changed or is gone. May raise DuplicateKeyException. */
    boolean update(Contact contact);

    Optional<Contact> findById(String id);

    Optional<Contact> findByPhone(String e164);

    boolean delete(String id);

    Page<Contact> list(PageRequest page);

    /** Contacts carrying the tag (normalized, lower-case), by id. */
    Page<Contact> findByTag(String tag, PageRequest page);

    /** Contacts whose name contains {@code text} (case-insensitive) or whose number contains its digits. */
    Page<Contact> search(String text, PageRequest page);

    long count();
}
