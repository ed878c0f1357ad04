package dev.wasched.store.mongo.internal;

import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.in;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.InsertManyOptions;
import dev.wasched.Page;
import dev.wasched.PageRequest;
import dev.wasched.contact.Contact;
import dev.wasched.contact.PhoneNumber;
import dev.wasched.contact.Registration;
import dev.wasched.spi.store.ContactRepository;
import dev.wasched.spi.store.DuplicateKeyException;
import dev.wasched.spi.store.StoreCodec;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Optional;
import org.bson.BsonRegularExpression;
import org.bson.Document;

/**
 * Contacts, one document each, {@code _id} = contact id. {@code nameLower} exists only for the case-insensitive
 * search, so the match is the same as the in-memory store's ({@code toLowerCase(Locale.ROOT)}) on every server.
 */
public final class MongoContacts implements ContactRepository {
    /** Numbers per {@code $in} lookup. */
    private static final int LOOKUP_CHUNK = 500;
    private final MongoCollection<Document> c;

    public MongoContacts(MongoDatabase db) {
        this.c = db.getCollection(Schema.CONTACTS);
    }

    static Document toDoc(Contact x) {
        return new Document("_id", x.id())
                .append("displayName", x.displayName())
                .append("nameLower", x.displayName().toLowerCase(Locale.ROOT))
                .append("phone", x.phone().e164())
                .append("tags", x.tags().stream().sorted().toList())
                // Field names are user-chosen and may clash with MongoDB's rules for keys ('.', '$'), so the
                // codec's JSON is kept as text rather than as an embedded document.
                .append("fields", StoreCodec.fields(x.fields()))
                .append("optedOut", x.optedOut())
                .append("registration", new Document("status", x.registration().status().name())
                        .append("checkedAt", Docs.date(x.registration().checkedAt())))
                .append("zone", x.zone() == null ? null : x.zone().getId())
                .append("createdAt", Docs.date(x.createdAt()))
                .append("updatedAt", Docs.date(x.updatedAt()))
                .append("version", x.version());
    }

    static Contact fromDoc(Document d) {
        Document reg = d.get("registration", Document.class);
        Registration registration = reg == null ? Registration.UNKNOWN
                : new Registration(Registration.Status.valueOf(reg.getString("status")),
                        Docs.instant(reg, "checkedAt"));
        @SuppressWarnings("unchecked")
        List<String> tags = (List<String>) d.get("tags", List.class);
        String zone = d.getString("zone");
        return new Contact(d.getString("_id"), d.getString("displayName"), new PhoneNumber(d.getString("phone")),
                tags == null ? java.util.Set.of() : new java.util.LinkedHashSet<>(tags),
                StoreCodec.fields(d.getString("fields")), Docs.bool(d, "optedOut"), registration,
                zone == null ? null : ZoneId.of(zone), Docs.instant(d, "createdAt"), Docs.instant(d, "updatedAt"),
                Docs.lng(d, "version"));
    }

    @Override
    public void insert(Contact contact) {
        try {
            c.insertOne(toDoc(contact));
        } catch (MongoException e) {
            if (Errors.isDuplicateKey(e)) {
                throw new DuplicateKeyException("contact with phone " + contact.phone().e164() + " or id "
                        + contact.id() + " exists");
            }
            throw Errors.wrap("contacts.insert", e);
        }
    }

    @Override
    public boolean update(Contact contact) {
        try {
            return c.replaceOne(Where.id(contact.id()).eq("version", contact.version() - 1), toDoc(contact))
                    .getMatchedCount() == 1;
        } catch (MongoException e) {
            if (Errors.isDuplicateKey(e)) {
                throw new DuplicateKeyException("contact with phone " + contact.phone().e164() + " exists");
            }
            throw Errors.wrap("contacts.update", e);
        }
    }

    @Override
    public Optional<Contact> findById(String id) {
        return Errors.call("contacts.findById", () -> Optional.ofNullable(c.find(eq("_id", id)).first())
                .map(MongoContacts::fromDoc));
    }

    @Override
    public Optional<Contact> findByPhone(String e164) {
        return Errors.call("contacts.findByPhone", () -> Optional.ofNullable(c.find(eq("phone", e164)).first())
                .map(MongoContacts::fromDoc));
    }

    @Override
    public Map<String, Contact> findByPhones(Collection<String> e164s) {
        List<String> all = List.copyOf(new LinkedHashSet<>(e164s));
        Map<String, Contact> found = new HashMap<>();
        for (int from = 0; from < all.size(); from += LOOKUP_CHUNK) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + LOOKUP_CHUNK));
            Errors.call("contacts.findByPhones", () -> c.find(in("phone", chunk)).map(MongoContacts::fromDoc)
                    .into(new ArrayList<>())).forEach(contact -> found.put(contact.phone().e164(), contact));
        }
        return found;
    }

    /** One ordered insertMany: the contacts before a duplicate are stored, as the SPI allows without transactions. */
    @Override
    public void insertAll(List<Contact> contacts) {
        if (contacts.isEmpty()) {
            return;
        }
        try {
            c.insertMany(contacts.stream().map(MongoContacts::toDoc).toList(), new InsertManyOptions().ordered(true));
        } catch (MongoBulkWriteException e) {
            if (!e.getWriteErrors().isEmpty()
                    && e.getWriteErrors().stream().allMatch(w -> w.getCategory() == ErrorCategory.DUPLICATE_KEY)) {
                throw new DuplicateKeyException("one of " + contacts.size() + " new contacts has a phone number or id "
                        + "that exists");
            }
            throw Errors.wrap("contacts.insertMany", e);
        } catch (MongoException e) {
            throw Errors.wrap("contacts.insertMany", e);
        }
    }

    @Override
    public boolean delete(String id) {
        return Errors.call("contacts.delete", () -> c.deleteOne(eq("_id", id)).getDeletedCount() == 1);
    }

    @Override
    public Page<Contact> list(PageRequest page) {
        return Errors.call("contacts.list", () -> Pages.ascending(c, Where.where(), page, MongoContacts::fromDoc,
                Contact::id));
    }

    @Override
    public Page<Contact> findByTag(String tag, PageRequest page) {
        // Equality on an array field matches any element.
        return Errors.call("contacts.findByTag", () -> Pages.ascending(c, Where.where().eq("tags", tag), page,
                MongoContacts::fromDoc, Contact::id));
    }

    /**
     * Fields are JSON text: a regular expression narrows the contacts to those whose field holds a value ending in
     * one of the month-days ({@code "birthday":"...03-05"}); the dates are then checked exactly.
     */
    @Override
    public Page<Contact> findByDateField(String tag, String field, java.util.Set<java.time.MonthDay> days,
                                         PageRequest page) {
        if (days.isEmpty()) {
            return new Page<>(List.of(), Optional.empty());
        }
        StringBuilder ends = new StringBuilder();
        for (java.time.MonthDay day : days) {
            ends.append(ends.isEmpty() ? "" : "|").append(Docs.literalRegex(StoreCodec.dateValueEnd(day)));
        }
        Where filter = Where.where().eq("fields", new BsonRegularExpression(
                Docs.literalRegex(StoreCodec.fieldValueStart(field)) + "[^\"]*(?:" + ends + ")"));
        Where byTag = tag == null ? filter : filter.eq("tags", tag);
        return Errors.call("contacts.findByDateField", () -> ContactRepository.onDays(Pages.ascending(c, byTag, page,
                MongoContacts::fromDoc, Contact::id), field, days));
    }

    @Override
    public Page<Contact> search(String text, PageRequest page) {
        String digits = text.replaceAll("[^0-9]", "");
        Where byName = Where.where().eq("nameLower", new BsonRegularExpression(
                Docs.literalRegex(text.toLowerCase(Locale.ROOT))));
        Where filter = digits.isEmpty() ? byName
                : Where.where().or(byName, Where.where().eq("phone", new BsonRegularExpression(digits)));
        return Errors.call("contacts.search", () -> Pages.ascending(c, filter, page, MongoContacts::fromDoc,
                Contact::id));
    }

    @Override
    public long count() {
        return Errors.call("contacts.count", () -> c.countDocuments());
    }
}
