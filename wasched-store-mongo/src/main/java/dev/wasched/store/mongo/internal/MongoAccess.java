package dev.wasched.store.mongo.internal;

import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.lt;

import com.mongodb.MongoException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Sorts;
import dev.wasched.Page;
import dev.wasched.PageRequest;
import dev.wasched.access.ApiKey;
import dev.wasched.access.AuditEntry;
import dev.wasched.access.Role;
import dev.wasched.access.User;
import dev.wasched.spi.store.AuditRepository;
import dev.wasched.spi.store.DuplicateKeyException;
import dev.wasched.spi.store.UserRepository;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bson.Document;

/**
 * Users ({@code users}, {@code _id} = name), API keys ({@code api_keys}, {@code _id} = id, unique secret hash) and
 * the audit log ({@code audit}, {@code _id} = the time-ordered id, listed by it newest first).
 */
public final class MongoAccess implements UserRepository, AuditRepository {
    private final MongoCollection<Document> users;
    private final MongoCollection<Document> keys;
    private final MongoCollection<Document> audit;

    public MongoAccess(MongoDatabase db) {
        this.users = db.getCollection(Schema.USERS);
        this.keys = db.getCollection(Schema.API_KEYS);
        this.audit = db.getCollection(Schema.AUDIT);
    }

    private static Document toDoc(User u) {
        return new Document("_id", u.name()).append("role", u.role().name()).append("passwordHash", u.passwordHash())
                .append("failedLogins", u.failedLogins()).append("lockedUntil", Docs.date(u.lockedUntil()))
                .append("createdAt", Docs.date(u.createdAt())).append("updatedAt", Docs.date(u.updatedAt()))
                .append("version", u.version());
    }

    private static User user(Document d) {
        return new User(d.getString("_id"), Role.valueOf(d.getString("role")), d.getString("passwordHash"),
                Docs.integer(d, "failedLogins"), Docs.instant(d, "lockedUntil"), Docs.instant(d, "createdAt"),
                Docs.instant(d, "updatedAt"), Docs.lng(d, "version"));
    }

    private static Document toDoc(ApiKey k) {
        return new Document("_id", k.id()).append("name", k.name()).append("role", k.role().name())
                .append("secretHash", k.secretHash()).append("createdBy", k.createdBy())
                .append("createdAt", Docs.date(k.createdAt())).append("revokedAt", Docs.date(k.revokedAt()))
                .append("version", k.version());
    }

    private static ApiKey key(Document d) {
        return new ApiKey(d.getString("_id"), d.getString("name"), Role.valueOf(d.getString("role")),
                d.getString("secretHash"), d.getString("createdBy"), Docs.instant(d, "createdAt"),
                Docs.instant(d, "revokedAt"), Docs.lng(d, "version"));
    }

    private static AuditEntry entry(Document d) {
        return new AuditEntry(d.getString("_id"), Docs.instant(d, "at"), d.getString("actor"), d.getString("action"),
                d.getString("target"), d.getString("detail"));
    }

    /** An insert that names what already exists when a key of the document is taken. */
    private static void insert(MongoCollection<Document> c, Document d, String operation, String exists) {
        try {
            c.insertOne(d);
        } catch (MongoException e) {
            if (Errors.isDuplicateKey(e)) {
                throw new DuplicateKeyException(exists);
            }
            throw Errors.wrap(operation, e);
        }
    }

    @Override
    public void insert(User u) {
        insert(users, toDoc(u), "users.insert", "user " + u.name() + " exists");
    }

    @Override
    public boolean update(User u) {
        return Errors.call("users.update", () -> users.replaceOne(Where.id(u.name()).eq("version", u.version() - 1),
                toDoc(u)).getMatchedCount() == 1);
    }

    @Override
    public Optional<User> find(String name) {
        return Errors.call("users.find", () -> Optional.ofNullable(users.find(eq("_id", name)).first())
                .map(MongoAccess::user));
    }

    @Override
    public List<User> list() {
        return Errors.call("users.list", () -> users.find().sort(Sorts.ascending("_id")).map(MongoAccess::user)
                .into(new ArrayList<>()));
    }

    @Override
    public boolean delete(String name) {
        return Errors.call("users.delete", () -> users.deleteOne(eq("_id", name)).getDeletedCount() == 1);
    }

    @Override
    public void insertKey(ApiKey k) {
        insert(keys, toDoc(k), "apiKeys.insert", "API key " + k.id() + " exists");
    }

    @Override
    public boolean updateKey(ApiKey k) {
        return Errors.call("apiKeys.update", () -> keys.replaceOne(Where.id(k.id()).eq("version", k.version() - 1),
                toDoc(k)).getMatchedCount() == 1);
    }

    @Override
    public Optional<ApiKey> findKey(String id) {
        return Errors.call("apiKeys.find", () -> Optional.ofNullable(keys.find(eq("_id", id)).first())
                .map(MongoAccess::key));
    }

    @Override
    public Optional<ApiKey> findKeyBySecretHash(String secretHash) {
        return Errors.call("apiKeys.findBySecret", () -> Optional.ofNullable(keys.find(eq("secretHash", secretHash))
                .first()).map(MongoAccess::key));
    }

    @Override
    public List<ApiKey> listKeys() {
        return Errors.call("apiKeys.list", () -> keys.find().sort(Sorts.ascending("createdAt", "_id"))
                .map(MongoAccess::key).into(new ArrayList<>()));
    }

    @Override
    public void append(AuditEntry e) {
        insert(audit, new Document("_id", e.id()).append("at", Docs.date(e.at())).append("actor", e.actor())
                .append("action", e.action()).append("target", e.target()).append("detail", e.detail()),
                "audit.append", "audit entry " + e.id() + " exists");
    }

    @Override
    public Page<AuditEntry> list(PageRequest page) {
        return Errors.call("audit.list", () -> Page.of(audit.find(page.cursor() == null ? new Document()
                : lt("_id", page.cursor())).sort(Sorts.descending("_id")).limit(page.limit() + 1)
                .map(MongoAccess::entry).into(new ArrayList<>()), page.limit(), AuditEntry::id));
    }
}
