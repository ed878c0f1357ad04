package dev.wasched.store.mongo.internal;

import static com.mongodb.client.model.Filters.eq;

import com.mongodb.MongoException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Sorts;
import dev.wasched.account.Account;
import dev.wasched.spi.store.AccountRepository;
import dev.wasched.spi.store.DuplicateKeyException;
import dev.wasched.spi.store.StoreCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bson.Document;

/** The account registry, {@code _id} = name, so the name is unique by construction. */
public final class MongoAccounts implements AccountRepository {
    private final MongoCollection<Document> c;

    public MongoAccounts(MongoDatabase db) {
        this.c = db.getCollection(Schema.ACCOUNTS);
    }

    private static Document toDoc(Account a) {
        String pacing = StoreCodec.pacing(a.pacing());
        return new Document("_id", a.name()).append("kind", a.kind())
                .append("settings", Docs.embed(StoreCodec.fields(a.settings())))
                .append("pacing", pacing == null ? null : Docs.embed(pacing)).append("status", a.status().name())
                .append("createdAt", Docs.date(a.createdAt())).append("updatedAt", Docs.date(a.updatedAt()))
                .append("version", a.version());
    }

    private static Account fromDoc(Document d) {
        return new Account(d.getString("_id"), d.getString("kind"), StoreCodec.fields(Docs.json(d, "settings")),
                d.get("pacing") == null ? null : StoreCodec.pacing(Docs.json(d, "pacing")),
                Account.Status.valueOf(d.getString("status")), Docs.instant(d, "createdAt"),
                Docs.instant(d, "updatedAt"), Docs.lng(d, "version"));
    }

    @Override
    public void insert(Account account) {
        try {
            c.insertOne(toDoc(account));
        } catch (MongoException e) {
            if (Errors.isDuplicateKey(e)) {
                throw new DuplicateKeyException("account " + account.name() + " exists");
            }
            throw Errors.wrap("accounts.insert", e);
        }
    }

    @Override
    public boolean update(Account a) {
        return Errors.call("accounts.update", () -> c.replaceOne(Where.id(a.name())
                .eq("version", a.version() - 1), toDoc(a)).getMatchedCount() == 1);
    }

    @Override
    public Optional<Account> find(String name) {
        return Errors.call("accounts.find", () -> Optional.ofNullable(c.find(eq("_id", name)).first())
                .map(MongoAccounts::fromDoc));
    }

    @Override
    public List<Account> list() {
        return Errors.call("accounts.list", () -> {
            List<Account> out = new ArrayList<>();
            c.find().sort(Sorts.ascending("_id")).forEach(d -> out.add(fromDoc(d)));
            return out;
        });
    }
}
