package dev.wasched.contact;

import dev.wasched.Page;
import dev.wasched.PageRequest;
import dev.wasched.contact.imports.ContactImporter;
import dev.wasched.contact.imports.ImportJob;
import dev.wasched.contact.verify.VerifyJob;
import dev.wasched.contact.verify.VerifyOptions;
import java.util.List;
import java.util.Optional;

/** Contacts: create, change, find, opt out. Numbers are parsed with the configured default region. */
public interface ContactService {
    /**
     * Creates a contact.
     *
     * @throws InvalidPhoneNumberException when the number cannot be parsed
     * @throws DuplicateContactException when a contact has that number already
     * @throws dev.wasched.ValidationException when another field is not valid
     */
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

    /**
     * Describes an import of a CSV or XLSX file; {@link ContactImporter#start()} runs it as a background job.
     * Each call returns a fresh importer.
     */
    ContactImporter importer();

    /** An import started on this instance: running, queued, or among the 50 most recently finished. */
    Optional<ImportJob> importJob(String id);

    /** Import jobs of this instance: running, queued and the 50 most recently finished, oldest first. */
    List<ImportJob> importJobs();

    /**
     * Starts a bulk WhatsApp registration check of the selected contacts through the account's transport, at the
     * options' pace, and returns at once. The account must run on this instance.
     *
     * @throws dev.wasched.NotFoundException      when the account is unknown
     * @throws dev.wasched.ValidationException    when no account is named and there is not exactly one
     */
    VerifyJob verify(VerifyOptions options);

    /** A registration check started on this instance: running, queued, or among the 50 most recently finished. */
    Optional<VerifyJob> verifyJob(String id);

    /** Registration checks of this instance: running, queued and the 50 most recently finished, oldest first. */
    List<VerifyJob> verifyJobs();
}
