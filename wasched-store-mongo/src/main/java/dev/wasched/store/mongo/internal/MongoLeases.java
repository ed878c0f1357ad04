package dev.wasched.store.mongo.internal;

import com.mongodb.MongoException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Updates;
import dev.wasched.spi.store.Lease;
import dev.wasched.spi.store.LeaseRenewal;
import dev.wasched.spi.store.LeaseRepository;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.bson.Document;

/**
 * Named leases, one document each ({@code _id} = name, {@code owner}, {@code until}, {@code epoch}), judged on the
 * server's clock ({@link ServerClock}). Taking one is a single guarded update (free, released or expired: epoch + 1),
 * else an insert whose duplicate key error means "someone else was first". A release keeps the document with no owner,
 * so epochs never repeat.
 */
public final class MongoLeases implements LeaseRepository {
    private static final FindOneAndUpdateOptions AFTER = new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER);

    private final MongoCollection<Document> c;
    private final ServerClock clock;

    public MongoLeases(MongoDatabase db, ServerClock clock) {
        this.c = db.getCollection(Schema.LEASES);
        this.clock = clock;
    }

    /** True when {@code fence} is held now (on the server's clock); the check fenced writes make first. */
    boolean holds(Lease fence) {
        return Errors.call("leases.holds", () -> c.find(heldBy(fence, clock.now())).first() != null);
    }

    private static Where heldBy(Lease l, Instant now) {
        return Where.id(l.name()).eq("owner", l.owner()).eq("epoch", l.epoch()).after("until", now);
    }

    @Override
    public Optional<Lease> acquire(String name, String owner, Duration ttl) {
        return Errors.call("leases.acquire", () -> {
            Instant now = clock.measure();
            Object until = Docs.date(now.plus(ttl));
            Document mine = c.findOneAndUpdate(Where.id(name).eq("owner", owner).after("until", now),
                    Updates.set("until", until), AFTER);
            if (mine == null) {
                mine = c.findOneAndUpdate(Where.id(name).or(Where.where().eq("owner", null),
                                Where.where().atOrBefore("until", now)),
                        Updates.combine(Updates.set("owner", owner), Updates.set("until", until),
                                Updates.inc("epoch", 1L)), AFTER);
            }
            if (mine != null) {
                return Optional.of(new Lease(name, owner, Docs.lng(mine, "epoch")));
            }
            try {
                c.insertOne(new Document("_id", name).append("owner", owner).append("until", until)
                        .append("epoch", 1L));
                return Optional.of(new Lease(name, owner, 1));
            } catch (MongoException e) {
                if (Errors.isDuplicateKey(e)) {
                    return Optional.<Lease>empty();
                }
                throw e;
            }
        });
    }

    @Override
    public boolean renew(Lease lease, Duration ttl) {
        return Errors.call("leases.renew", () -> {
            Instant now = clock.measure();
            return c.updateOne(heldBy(lease, now), Updates.set("until", Docs.date(now.plus(ttl))))
                    .getMatchedCount() == 1;
        });
    }

    /**
     * One update for all held leases and one read: the read covers the leases asked for and, only when the update
     * did not renew every held lease, the held ones, to tell which it did (their end is then the one just set).
     */
    @Override
    public LeaseRenewal renewAll(Collection<Lease> held, Duration ttl, Collection<String> read) {
        return Errors.call("leases.renewAll", () -> {
            Instant now = clock.measure();
            Date until = Docs.date(now.plus(ttl));
            Set<Lease> renewed = new HashSet<>();
            Set<String> names = new HashSet<>(read);
            if (!held.isEmpty()) {
                long matched = c.updateMany(Where.where().or(held.stream().map(l -> heldBy(l, now)).toArray(Where[]::new)),
                        Updates.set("until", until)).getMatchedCount();
                if (matched == held.size()) {
                    renewed.addAll(held);
                } else {
                    held.forEach(l -> names.add(l.name()));
                }
            }
            Map<String, Lease> current = new HashMap<>();
            if (!names.isEmpty()) {
                for (Document d : c.find(Where.where().in("_id", names).ne("owner", null).after("until", now))) {
                    Lease l = new Lease(d.getString("_id"), d.getString("owner"), Docs.lng(d, "epoch"));
                    if (held.contains(l) && until.equals(d.getDate("until"))) {
                        renewed.add(l);
                    }
                    if (read.contains(l.name())) {
                        current.put(l.name(), l);
                    }
                }
            }
            return new LeaseRenewal(renewed, current);
        });
    }

    @Override
    public void release(String name, String owner) {
        Errors.run("leases.release", () -> c.updateOne(Where.id(name).eq("owner", owner),
                Updates.combine(Updates.set("owner", null), Updates.set("until", Docs.date(clock.now())))));
    }

    @Override
    public Optional<String> owner(String name) {
        return current(name).map(Lease::owner);
    }

    @Override
    public Optional<Lease> current(String name) {
        return Errors.call("leases.current", () -> Optional.ofNullable(
                        c.find(Where.id(name).ne("owner", null).after("until", clock.now())).first())
                .map(d -> new Lease(name, d.getString("owner"), Docs.lng(d, "epoch"))));
    }
}
