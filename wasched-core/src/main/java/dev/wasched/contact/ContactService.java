package dev.wasched.contact;

import dev.wasched.Page;
import dev.wasched.PageRequest;
import java.util.Optional;

/** Contacts: create, change, find, opt out. Numbers are parsed with the configured default region. */
public interface ContactService {
    /** @throws InvalidPhoneNumberException, DuplicateContactException, dev.wasched.ValidationException */
    Contact create(ContactSpec spec);

    /** Replaces name, number, tags, fields and zone; keeps opt-out and (for the same number) registration. */
    Contact update(String id, ContactSpec spec);

    /** @throws dev.wasched.NotFoundException */
    Contact get(String id);

    /** Finds by number as typed (parsed with the default region). */
    Optional<Contact> findByPhone(String phone);

    /** Deletes the contact and cancels what is pending for it. */
    void delete(String id);

    Page<Contact> list(PageRequest page);

    Page<Contact> withTag(String tag, PageRequest page);

    /** By name (case-insensitive, part of it) or by digits of the number. */
    Page<Contact> search(String text, PageRequest page);

    /** The contact receives nothing more; everything pending for it is cancelled. */
    Contact optOut(String id);

    Contact optIn(String id);

    long count();
}
