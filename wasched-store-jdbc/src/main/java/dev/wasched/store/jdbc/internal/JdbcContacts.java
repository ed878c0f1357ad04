package dev.wasched.store.jdbc.internal;

import dev.wasched.Page;
import dev.wasched.PageRequest;
import dev.wasched.contact.Contact;
import dev.wasched.contact.PhoneNumber;
import dev.wasched.contact.Registration;
import dev.wasched.spi.store.ContactRepository;
import dev.wasched.spi.store.DuplicateKeyException;
import dev.wasched.spi.store.StoreCodec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.MonthDay;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Contacts in {@code wasched_contact}; their tags also as rows of {@code wasched_contact_tag} keyed by
 * (tag, contact id), written in the same transaction, so a tag finds its contacts through the key.
 */
public final class JdbcContacts implements ContactRepository {
    static final List<String> COLUMN_LIST = List.of("id", "display_name", "search_name", "phone", "tags", "fields",
            "opted_out", "registration_status", "registration_checked_at", "time_zone", "created_at", "updated_at",
            "version");
    static final String INSERT = "INSERT INTO wasched_contact (" + String.join(", ", COLUMN_LIST) + ") VALUES ("
            + Sql.placeholders(COLUMN_LIST.size()) + ")";
    /** An update changes any column but these two, which the insert wrote once. */
    static final List<String> MUTABLE = COLUMN_LIST.stream()
            .filter(col -> !col.equals("id") && !col.equals("created_at")).toList();
    static final String UPDATE = "UPDATE wasched_contact SET " + Sql.assignments(MUTABLE)
            + " WHERE id = ? AND version = ?";
    static final String BY_TAG = "SELECT c.* FROM wasched_contact_tag t JOIN wasched_contact c ON c.id = t.contact_id"
            + " WHERE t.tag = ? AND t.contact_id > ? ORDER BY t.contact_id LIMIT ?";

    /** Numbers per lookup statement: well below every driver's parameter limit. */
    private static final int LOOKUP_CHUNK = 500;
    private final Db db;

    public JdbcContacts(Db db) {
        this.db = db;
    }

    static Contact map(ResultSet rs) throws SQLException {
        String zone = rs.getString("time_zone");
        return new Contact(rs.getString("id"), rs.getString("display_name"), new PhoneNumber(rs.getString("phone")),
                StoreCodec.tags(rs.getString("tags")), StoreCodec.fields(rs.getString("fields")),
                rs.getBoolean("opted_out"),
                new Registration(Registration.Status.valueOf(rs.getString("registration_status")),
                        Sql.instant(rs, "registration_checked_at")),
                zone == null ? null : ZoneId.of(zone), Sql.instant(rs, "created_at"), Sql.instant(rs, "updated_at"),
                rs.getLong("version"));
    }

    private static Object[] values(Contact c) {
        return new Object[]{c.id(), c.displayName(), searchable(c.displayName()), c.phone().e164(), StoreCodec.tags(c.tags()), StoreCodec.fields(c.fields()),
                c.optedOut(), c.registration().status().name(), c.registration().checkedAt(),
                c.zone() == null ? null : c.zone().getId(), c.createdAt(), c.updatedAt(), c.version()};
    }

    /**
     * The name as search compares it, lower-cased here rather than by the database, whose lower() depends on its
     * locale and may leave non-ASCII letters as they are.
     */
    static String searchable(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    private static DuplicateKeyException duplicate(Contact c) {
        return new DuplicateKeyException("a contact with phone " + c.phone().e164() + " (or id " + c.id() + ") exists");
    }

    @Override
    public void insert(Contact contact) {
        db.inTransaction("insert contact", c -> {
            try {
                Sql.update(c, INSERT, values(contact));
            } catch (SQLException e) {
                if (db.isUniqueViolation(e)) {
                    throw duplicate(contact);
                }
                throw e;
            }
            insertTags(c, contact.id(), new TreeSet<>(contact.tags()));
            return null;
        });
    }

    /** One transaction: a batched insert of the contacts, then all their tags in one statement per chunk. */
    @Override
    public void insertAll(List<Contact> contacts) {
        if (contacts.isEmpty()) {
            return;
        }
        db.inTransaction("insert contacts", c -> {
            try (PreparedStatement ps = c.prepareStatement(INSERT)) {
                for (Contact contact : contacts) {
                    Sql.bindAll(ps, 1, Arrays.asList(values(contact)));
                    ps.addBatch();
                }
                ps.executeBatch();
            } catch (SQLException e) {
                if (db.isUniqueViolation(e)) {
                    throw new DuplicateKeyException("one of " + contacts.size()
                            + " new contacts has a phone number or id that exists; none was inserted");
                }
                throw e;
            }
            List<Object[]> tags = new ArrayList<>();
            for (Contact contact : contacts) {
                new TreeSet<>(contact.tags()).forEach(t -> tags.add(new Object[]{t, contact.id()}));
            }
            if (!tags.isEmpty()) {
                db.dialect().insertIgnoringDuplicates(c, "wasched_contact_tag", List.of("tag", "contact_id"), tags);
            }
            return null;
        });
    }

    @Override
    public boolean update(Contact contact) {
        return db.inTransaction("update contact", c -> {
            // The tags of the version being replaced; if it is not the stored one, the compare-and-set fails anyway.
            Optional<Set<String>> before = Sql.queryOne(c, "SELECT tags FROM wasched_contact WHERE id = ? AND version = ?",
                    rs -> StoreCodec.tags(rs.getString(1)), contact.id(), contact.version() - 1);
            if (before.isEmpty()) {
                return false;
            }
            List<Object> params = Sql.pick(COLUMN_LIST, values(contact), MUTABLE);
            params.add(contact.id());
            params.add(contact.version() - 1);
            int n;
            try {
                n = Sql.update(c, UPDATE, params);
            } catch (SQLException e) {
                if (db.isUniqueViolation(e)) {
                    throw duplicate(contact);
                }
                throw e;
            }
            if (n == 0) {
                return false;
            }
            Set<String> removed = new TreeSet<>(before.get());
            removed.removeAll(contact.tags());
            deleteTags(c, contact.id(), removed);
            Set<String> added = new TreeSet<>(contact.tags());
            added.removeAll(before.get());
            insertTags(c, contact.id(), added);
            return true;
        });
    }

    private void insertTags(Connection c, String contactId, Set<String> tags) throws SQLException {
        if (tags.isEmpty()) {
            return;
        }
        List<Object[]> rows = tags.stream().map(t -> new Object[]{t, contactId}).toList();
        db.dialect().insertIgnoringDuplicates(c, "wasched_contact_tag", List.of("tag", "contact_id"), rows);
    }

    private static void deleteTags(Connection c, String contactId, Set<String> tags) throws SQLException {
        if (tags.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM wasched_contact_tag WHERE tag = ? AND contact_id = ?")) {
            for (String tag : tags) {
                ps.setString(1, tag);
                ps.setString(2, contactId);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    @Override
    public Optional<Contact> findById(String id) {
        return db.call("find contact", c ->
                Sql.queryOne(c, "SELECT * FROM wasched_contact WHERE id = ?", JdbcContacts::map, id));
    }

    @Override
    public Optional<Contact> findByPhone(String e164) {
        return db.call("find contact by phone", c ->
                Sql.queryOne(c, "SELECT * FROM wasched_contact WHERE phone = ?", JdbcContacts::map, e164));
    }

    @Override
    public Map<String, Contact> findByPhones(Collection<String> e164s) {
        List<String> all = List.copyOf(new LinkedHashSet<>(e164s));
        Map<String, Contact> found = new HashMap<>();
        for (int from = 0; from < all.size(); from += LOOKUP_CHUNK) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + LOOKUP_CHUNK));
            db.call("find contacts by phone", c -> Sql.query(c, "SELECT * FROM wasched_contact WHERE phone IN ("
                    + Sql.placeholders(chunk.size()) + ")", JdbcContacts::map, chunk))
                    .forEach(contact -> found.put(contact.phone().e164(), contact));
        }
        return found;
    }

    @Override
    public boolean delete(String id) {
        return db.inTransaction("delete contact", c -> {
            Optional<Set<String>> tags = Sql.queryOne(c, "SELECT tags FROM wasched_contact WHERE id = ? FOR UPDATE",
                    rs -> StoreCodec.tags(rs.getString(1)), id);
            if (tags.isEmpty()) {
                return false;
            }
            deleteTags(c, id, tags.get());
            return Sql.update(c, "DELETE FROM wasched_contact WHERE id = ?", id) > 0;
        });
    }

    @Override
    public Page<Contact> list(PageRequest page) {
        return db.call("list contacts", c -> Page.of(Sql.query(c,
                "SELECT * FROM wasched_contact WHERE id > ? ORDER BY id LIMIT ?", JdbcContacts::map,
                cursor(page), page.limit() + 1), page.limit(), Contact::id));
    }

    @Override
    public Page<Contact> findByTag(String tag, PageRequest page) {
        return db.call("find contacts by tag", c -> Page.of(Sql.query(c, BY_TAG, JdbcContacts::map, tag,
                cursor(page), page.limit() + 1), page.limit(), Contact::id));
    }

    /**
     * Fields are JSON text: the query narrows the rows to those holding the field and a value ending in one of the
     * month-days ({@code "birthday":"} and {@code 03-05"}), without a migration; the dates are then checked exactly.
     */
    @Override
    public Page<Contact> findByDateField(String tag, String field, Set<MonthDay> days, PageRequest page) {
        if (days.isEmpty()) {
            return new Page<>(List.of(), Optional.empty());
        }
        List<Object> params = new ArrayList<>();
        StringBuilder sql = new StringBuilder();
        if (tag == null) {
            sql.append("SELECT c.* FROM wasched_contact c WHERE c.id > ?");
        } else {
            sql.append("SELECT c.* FROM wasched_contact_tag t JOIN wasched_contact c ON c.id = t.contact_id"
                    + " WHERE t.tag = ? AND t.contact_id > ?");
            params.add(tag);
        }
        params.add(cursor(page));
        sql.append(" AND c.fields LIKE ? ESCAPE '!' AND (");
        params.add("%" + likeEscape(StoreCodec.fieldValueStart(field)) + "%");
        String or = "";
        for (MonthDay day : days) {
            sql.append(or).append("c.fields LIKE ?");
            params.add("%" + StoreCodec.dateValueEnd(day) + "%");
            or = " OR ";
        }
        sql.append(") ORDER BY ").append(tag == null ? "c.id" : "t.contact_id").append(" LIMIT ?");
        params.add(page.limit() + 1);
        return ContactRepository.onDays(db.call("find contacts by date field", c -> Page.of(Sql.query(c,
                sql.toString(), JdbcContacts::map, params), page.limit(), Contact::id)), field, days);
    }

    @Override
    public Page<Contact> search(String text, PageRequest page) {
        String lower = searchable(text);
        String digits = text.replaceAll("[^0-9]", "");
        List<Object> params = new ArrayList<>();
        StringBuilder sql = new StringBuilder("SELECT * FROM wasched_contact WHERE (search_name LIKE ? ESCAPE '!'");
        params.add("%" + likeEscape(lower) + "%");
        if (!digits.isEmpty()) {
            sql.append(" OR phone LIKE ?");
            params.add("%" + digits + "%");
        }
        sql.append(") AND id > ? ORDER BY id LIMIT ?");
        params.add(cursor(page));
        params.add(page.limit() + 1);
        return db.call("search contacts", c -> Page.of(Sql.query(c, sql.toString(), JdbcContacts::map, params),
                page.limit(), Contact::id));
    }

    @Override
    public long count() {
        return db.call("count contacts", c ->
                Sql.queryOne(c, "SELECT COUNT(*) FROM wasched_contact", rs -> rs.getLong(1)).orElse(0L));
    }

    /** The first page starts after the empty string, which sorts before every id. */
    static String cursor(PageRequest page) {
        return page.cursor() == null ? "" : page.cursor();
    }

    static String likeEscape(String s) {
        return s.replace("!", "!!").replace("%", "!%").replace("_", "!_");
    }
}
