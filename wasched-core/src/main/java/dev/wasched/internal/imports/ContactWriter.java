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
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Writes one imported row: a new contact, or a merge into the contact that has the number. Each row is its own
 * write (insert, or compare-and-set update), so a crash leaves whole rows, and the merge is idempotent: applying
 * the same row twice gives the same contact as applying it once.
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

    Outcome write(RowMapper.Candidate row) {
        for (int round = 0; round < ROUNDS; round++) {
            Optional<Contact> existing = repo.findByPhone(row.phone().e164());
            Instant now = clock.instant();
            if (existing.isEmpty()) {
                ContactSpec s = row.spec();
                Contact c = new Contact(ids.get(), s.displayName(), row.phone(), s.tags(), s.fields(), false,
                        Registration.UNKNOWN, null, now, now, 1);
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
