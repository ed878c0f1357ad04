package dev.wasched.store.mongo.internal;

import static com.mongodb.client.model.Filters.eq;

import com.mongodb.MongoException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import com.mongodb.client.result.UpdateResult;
import dev.wasched.spi.store.LeaseRepository;
import java.time.Instant;
import java.util.Optional;
import org.bson.Document;

/**
 * Named leases, one document each ({@code _id} = name, {@code owner}, {@code until}). Taking one is a single upsert
 * whose filter matches only a lease that is expired or ours: if a live lease of someone else exists, the filter
 * misses, the upsert tries to insert a second document with the same {@code _id}, and the duplicate key error means
 * "held by someone else". The same scheme as ShedLock's MongoDB provider.
 */
public final class MongoLeases implements LeaseRepository {
    private final MongoCollection<Document> c;

    public MongoLeases(MongoDatabase db) {
        this.c = db.getCollection(Schema.LEASES);
    }

    @Override
    public boolean tryAcquire(String name, String owner, Instant now, Instant until) {
        try {
            Where expiredOrOurs = Where.id(name)
                    .or(Where.where().atOrBefore("until", now), Where.where().eq("owner", owner));
            UpdateResult r = c.updateOne(expiredOrOurs,
                    Updates.combine(Updates.set("owner", owner), Updates.set("until", Docs.date(until))),
                    new UpdateOptions().upsert(true));
            return r.getMatchedCount() == 1 || r.getUpsertedId() != null;
        } catch (MongoException e) {
            if (Errors.isDuplicateKey(e)) {
                return false;
            }
            throw Errors.wrap("leases.tryAcquire", e);
        }
    }

    @Override
    public boolean renew(String name, String owner, Instant until) {
        return Errors.call("leases.renew", () -> c.updateOne(Where.id(name).eq("owner", owner),
                Updates.set("until", Docs.date(until))).getMatchedCount() == 1);
    }

    @Override
    public void release(String name, String owner) {
        Errors.run("leases.release", () -> c.deleteOne(Where.id(name).eq("owner", owner)));
    }

    @Override
    public Optional<String> owner(String name, Instant now) {
        return Errors.call("leases.owner", () -> Optional.ofNullable(
                c.find(Where.id(name).after("until", now)).first()).map(d -> d.getString("owner")));
    }
}
