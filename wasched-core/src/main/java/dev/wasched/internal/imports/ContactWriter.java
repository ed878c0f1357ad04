package dev.wasched.internal.imports;

import dev.wasched.ValidationException;
import dev.wasched.contact.Contact;
import dev.wasched.contact.ContactSpec;
import dev.wasched.contact.Registration;
import dev.wasched.contact.imports.MergeMode;
import dev.wasched.contact.imports.RejectedRow;
import dev.wasched.spi.store.ContactRepository;
import dev.wasched.spi.store.DuplicateKeyException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Writes imported rows: new contacts, or merges into the contacts that have the numbers. A batch is looked up with
 * one query and its new contacts are inserted together (one transaction where the store has them); merges are
 * compare-and-set updates row by row. A crash leaves whole rows, and the merge is idempotent: applying the same row
 * twice gives the same contact as applying it once.
 */
final class ContactWriter {
    /** What became of a row. */
    enum Result { IMPORTED, UPDATED, UNCHANGED, SKIPPED, REJECTED }

    /** @param rejected set when {@code result} is REJECTED */
    record Outcome(Result result, RejectedRow rejected) {
        static final Outcome IMPORTED = new Outcome(Result.IMPORTED, null);
        static final Outcome UPDATED = new Outcome(Result.UPDATED, null);
        static final Outcome UNCHANGED = new Outcome(Result.UNCHANGED, null);
        static final Outcome SKIPPED = new Outcome(Result.SKIPPED, null);

        static Outcome rejected(RejectedRow row) {
            return new Outcome(Result.REJECTED, row);
        }
    }

    private static final int ROUNDS = 10;

    private final ContactRepository repo;
    private final Supplier<String> ids;
    private final Clock clock;
    private final MergeMode mode;

    ContactWriter(ContactRepository repo, Supplier<String> ids, Clock clock, MergeMode mode) {
        this.repo = repo;
        this.ids = ids;
        this.clock = clock;
        this.mode = mode;
    }

    /**
     * Writes a batch whose rows have distinct numbers (the row mapper rejects a number seen before in the file);
     * returns the outcome of each row, in order.
     */
    List<Outcome> writeBatch(List<RowMapper.Candidate> rows) {
        Map<String, Contact> existing = repo.findByPhones(rows.stream().map(r -> r.phone().e164()).toList());
        Outcome[] outcomes = new Outcome[rows.size()];
        List<Integer> freshRows = new ArrayList<>();
        List<Contact> fresh = new ArrayList<>();
        Instant now = clock.instant();
        for (int i = 0; i < rows.size(); i++) {
            RowMapper.Candidate row = rows.get(i);
            Contact known = existing.get(row.phone().e164());
            if (known == null) {
                freshRows.add(i);
                fresh.add(newContact(row, now));
            } else {
                outcomes[i] = write(row, Optional.of(known));
            }
        }
        try {
            repo.insertAll(fresh);
            freshRows.forEach(i -> outcomes[i] = Outcome.IMPORTED);
        } catch (DuplicateKeyException e) {
            // Someone else created some of these numbers meanwhile (or a store without transactions stored part of
            // the batch): settle each row on its own, recognising the contacts this batch did store by their id.
            for (int k = 0; k < fresh.size(); k++) {
                RowMapper.Candidate row = rows.get(freshRows.get(k));
                Optional<Contact> stored = repo.findByPhone(row.phone().e164());
                boolean ours = stored.isPresent() && stored.get().id().equals(fresh.get(k).id());
                outcomes[freshRows.get(k)] = ours ? Outcome.IMPORTED : write(row, stored);
            }
        }
        return List.of(outcomes);
    }

    private Contact newContact(RowMapper.Candidate row, Instant now) {
        ContactSpec s = row.spec();
        return new Contact(ids.get(), s.displayName(), row.phone(), s.tags(), s.fields(), false, Registration.UNKNOWN,
                null, now, now, 1);
    }

    /** One row, starting from what the store was just seen to hold for its number. */
    private Outcome write(RowMapper.Candidate row, Optional<Contact> seen) {
        Optional<Contact> existing = seen;
        for (int round = 0; round < ROUNDS; round++) {
            if (round > 0) {
                existing = repo.findByPhone(row.phone().e164());
            }
            Instant now = clock.instant();
            if (existing.isEmpty()) {
                Contact c = newContact(row, now);
                try {
                    repo.insert(c);
                    return Outcome.IMPORTED;
                } catch (DuplicateKeyException e) {
                    continue; // created meanwhile by someone else: merge into theirs
                }
            }
            if (mode == MergeMode.SKIP) {
                return Outcome.SKIPPED;
            }
            Contact current = existing.get();
            ContactSpec merged;
            try {
                merged = merge(current, row.spec());
            } catch (ValidationException e) {
                return Outcome.rejected(new RejectedRow(row.line(), RejectedRow.Reason.INVALID_VALUE,
                        "merged with the existing contact: " + e.getMessage(), row.phone().e164()));
            }
            if (merged.displayName().equals(current.displayName()) && merged.tags().equals(current.tags())
                    && merged.fields().equals(current.fields())) {
                return Outcome.UNCHANGED;
            }
            if (repo.update(current.withSpec(merged, current.phone(), now))) {
                return Outcome.UPDATED;
            }
        }
        return Outcome.rejected(new RejectedRow(row.line(), RejectedRow.Reason.CONFLICT, "the contact kept changing concurrently; "
                + "import the file again to merge this row", row.phone().e164()));
    }

    /** Name from a non-blank row, tags added, fields from the row over the contact's; zone kept. */
    static ContactSpec merge(Contact c, ContactSpec row) {
        String name = row.displayName().isEmpty() ? c.displayName() : row.displayName();
        Set<String> tags = new LinkedHashSet<>(c.tags());
        tags.addAll(row.tags());
        Map<String, String> fields = new LinkedHashMap<>(c.fields());
        fields.putAll(row.fields());
        return new ContactSpec(name, c.phone().e164(), tags, fields, c.zone());
    }
}
