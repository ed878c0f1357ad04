package dev.wasched.store.mongo.internal;

import com.mongodb.MongoException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import dev.wasched.Secret;
import dev.wasched.spi.store.DuplicateKeyException;
import dev.wasched.spi.store.WebhookRepository;
import dev.wasched.webhook.OutboxEntry;
import dev.wasched.webhook.OutboxStatus;
import dev.wasched.webhook.WebhookEndpoint;
import dev.wasched.webhook.WebhookSpec;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * Webhook endpoints ({@code webhook_endpoints}) and their outbox ({@code webhook_outbox}), without transactions: a
 * claim reads candidates and leases each with a conditional update (still PENDING, same version, lease free), and
 * takes a row only when no earlier PENDING row of its endpoint and order key exists. That check needs no
 * transaction: a row stays PENDING while it is leased, so the next row of a sequence can only become first once the
 * earlier one is done.
 */
public final class MongoWebhooks implements WebhookRepository {
    static final String ENDPOINTS = "webhook_endpoints";
    static final String OUTBOX = "webhook_outbox";
    /** Candidates read per row wanted: rows waiting behind an earlier one of their sequence are read and passed over. */
    private static final int CANDIDATES_PER_ROW = 4;

    private final MongoCollection<Document> endpoints;
    private final MongoCollection<Document> outbox;

    public MongoWebhooks(MongoDatabase db) {
        this.endpoints = db.getCollection(ENDPOINTS);
        this.outbox = db.getCollection(OUTBOX);
        Errors.run("creating webhook indexes", () -> {
            index("webhook_event", Indexes.ascending("endpointId", "eventId"), true);
            index("webhook_sequence", Indexes.ascending("endpointId", "orderKey", "status", "eventId"), false);
            index("webhook_due", Indexes.ascending("status", "dueAt"), false);
            index("webhook_done", Indexes.ascending("status", "doneAt"), false);
        });
    }

    private void index(String name, Bson keys, boolean unique) {
        outbox.createIndex(keys, new IndexOptions().name(name).unique(unique));
    }

    private static Document toDoc(WebhookEndpoint e) {
        return new Document("_id", e.id()).append("url", e.url().toString())
                .append("events", new ArrayList<>(e.spec().events())).append("secret", e.secret().reveal())
                .append("createdAt", Docs.date(e.createdAt())).append("updatedAt", Docs.date(e.updatedAt()))
                .append("version", e.version());
    }

    private static WebhookEndpoint endpoint(Document d) {
        return new WebhookEndpoint(d.getString("_id"), new WebhookSpec(URI.create(d.getString("url")),
                Set.copyOf(d.getList("events", String.class)), Secret.of(d.getString("secret"))),
                Docs.instant(d, "createdAt"), Docs.instant(d, "updatedAt"), Docs.lng(d, "version"));
    }

    private static Document toDoc(OutboxEntry e) {
        return new Document("_id", e.id()).append("eventId", e.eventId()).append("endpointId", e.endpointId())
                .append("eventType", e.eventType()).append("orderKey", e.orderKey()).append("payload", e.payload())
                .append("createdAt", Docs.date(e.createdAt())).append("status", e.status().name())
                .append("attempts", e.attempts()).append("dueAt", Docs.date(e.dueAt()))
                .append("leaseOwner", e.leaseOwner()).append("leaseUntil", Docs.date(e.leaseUntil()))
                .append("lastError", e.lastError()).append("doneAt", Docs.date(e.doneAt()))
                .append("version", e.version());
    }

    private static OutboxEntry entry(Document d) {
        return new OutboxEntry(d.getString("_id"), d.getString("eventId"), d.getString("endpointId"),
                d.getString("eventType"), d.getString("orderKey"), d.getString("payload"), Docs.instant(d, "createdAt"),
                OutboxStatus.valueOf(d.getString("status")), Docs.integer(d, "attempts"), Docs.instant(d, "dueAt"),
                d.getString("leaseOwner"), Docs.instant(d, "leaseUntil"), d.getString("lastError"),
                Docs.instant(d, "doneAt"), Docs.lng(d, "version"));
    }

    @Override
    public void insertEndpoint(WebhookEndpoint e) {
        try {
            endpoints.insertOne(toDoc(e));
        } catch (MongoException ex) {
            if (Errors.isDuplicateKey(ex)) {
                throw new DuplicateKeyException("webhook endpoint " + e.id() + " exists");
            }
            throw Errors.wrap("webhooks.insertEndpoint", ex);
        }
    }

    @Override
    public boolean updateEndpoint(WebhookEndpoint e) {
        return Errors.call("webhooks.updateEndpoint", () -> endpoints.replaceOne(
                Where.id(e.id()).eq("version", e.version() - 1), toDoc(e)).getModifiedCount() == 1);
    }

    @Override
    public Optional<WebhookEndpoint> findEndpoint(String id) {
        return Errors.call("webhooks.findEndpoint", () -> Optional.ofNullable(endpoints.find(Where.id(id)).first())
                .map(MongoWebhooks::endpoint));
    }

    @Override
    public List<WebhookEndpoint> endpoints() {
        return Errors.call("webhooks.endpoints", () -> endpoints.find().sort(Sorts.ascending("_id"))
                .map(MongoWebhooks::endpoint).into(new ArrayList<>()));
    }

    /** The rows first, then the endpoint: a crash between leaves an endpoint without rows, never rows without one. */
    @Override
    public boolean deleteEndpoint(String id) {
        return Errors.call("webhooks.deleteEndpoint", () -> {
            outbox.deleteMany(Where.where().eq("endpointId", id));
            return endpoints.deleteOne(Where.id(id)).getDeletedCount() == 1;
        });
    }

    @Override
    public void enqueue(List<OutboxEntry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        try {
            outbox.insertMany(entries.stream().map(MongoWebhooks::toDoc).toList(), new InsertManyOptions().ordered(false));
        } catch (com.mongodb.MongoBulkWriteException e) {
            if (!e.getWriteErrors().stream().allMatch(w -> w.getCode() == 11000)) {
                throw Errors.wrap("webhooks.enqueue", e);
            } // rows written before (a retried batch) are skipped, the others are in
        } catch (MongoException e) {
            throw Errors.wrap("webhooks.enqueue", e);
        }
    }

    private static Where claimable(Where w, Instant now) {
        return w.eq("status", OutboxStatus.PENDING.name()).atOrBefore("dueAt", now)
                .or(Where.where().eq("leaseUntil", null), Where.where().atOrBefore("leaseUntil", now));
    }

    @Override
    public List<OutboxEntry> claimDue(Instant now, String owner, Instant leaseUntil, int limit) {
        if (limit < 1) {
            return List.of();
        }
        return Errors.call("webhooks.claimDue", () -> {
            List<Document> candidates = outbox.find(claimable(Where.where(), now)).sort(Sorts.ascending("eventId", "_id"))
                    .projection(Projections.include("_id", "version", "endpointId", "orderKey", "eventId"))
                    .limit(limit * CANDIDATES_PER_ROW).into(new ArrayList<>());
            Set<String> sequences = new HashSet<>();
            List<OutboxEntry> out = new ArrayList<>();
            FindOneAndUpdateOptions after = new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER);
            for (Document cand : candidates) {
                if (out.size() >= limit) {
                    break;
                }
                String endpointId = cand.getString("endpointId");
                String orderKey = cand.getString("orderKey");
                if (!sequences.add(endpointId + '\0' + orderKey) || earlierPending(endpointId, orderKey,
                        cand.getString("eventId"))) {
                    continue;
                }
                long version = Docs.lng(cand, "version");
                Document claimed = outbox.findOneAndUpdate(claimable(Where.id(cand.get("_id")).eq("version", version),
                        now), Updates.combine(Updates.set("leaseOwner", owner),
                        Updates.set("leaseUntil", Docs.date(leaseUntil)), Updates.inc("attempts", 1),
                        Updates.set("version", version + 1)), after);
                if (claimed != null) {
                    out.add(entry(claimed));
                }
            }
            return out;
        });
    }

    private boolean earlierPending(String endpointId, String orderKey, String eventId) {
        return outbox.find(Where.where().eq("endpointId", endpointId).eq("orderKey", orderKey)
                .eq("status", OutboxStatus.PENDING.name()).lt("eventId", eventId))
                .projection(Projections.include("_id")).limit(1).first() != null;
    }

    private boolean finish(String what, String id, String owner, Bson... sets) {
        List<Bson> all = new ArrayList<>(List.of(sets));
        all.add(Updates.set("leaseOwner", null));
        all.add(Updates.set("leaseUntil", null));
        all.add(Updates.inc("version", 1));
        return Errors.call(what, () -> outbox.updateOne(Where.id(id).eq("leaseOwner", owner)
                .eq("status", OutboxStatus.PENDING.name()), Updates.combine(all)).getModifiedCount() == 1);
    }

    @Override
    public boolean delivered(String id, String owner, Instant at) {
        return finish("webhooks.delivered", id, owner, Updates.set("status", OutboxStatus.DELIVERED.name()),
                Updates.set("doneAt", Docs.date(at)));
    }

    @Override
    public boolean retryAt(String id, String owner, Instant dueAt, String error) {
        return finish("webhooks.retryAt", id, owner, Updates.set("dueAt", Docs.date(dueAt)),
                Updates.set("lastError", error));
    }

    @Override
    public boolean giveUp(String id, String owner, Instant at, String error) {
        return finish("webhooks.giveUp", id, owner, Updates.set("status", OutboxStatus.FAILED.name()),
                Updates.set("doneAt", Docs.date(at)), Updates.set("lastError", error));
    }

    @Override
    public int postpone(String endpointId, Instant until) {
        return Errors.call("webhooks.postpone", () -> (int) outbox.updateMany(Where.where().eq("endpointId", endpointId)
                .eq("status", OutboxStatus.PENDING.name()).eq("leaseOwner", null).before("dueAt", until),
                Updates.combine(Updates.set("dueAt", Docs.date(until)), Updates.inc("version", 1)))
                .getModifiedCount());
    }

    @Override
    public List<OutboxEntry> entries(String endpointId, OutboxStatus status, int limit) {
        return Errors.call("webhooks.entries", () -> outbox.find(Where.where().eq("endpointId", endpointId)
                .eq("status", status.name())).sort(Sorts.descending("eventId", "_id")).limit(limit)
                .map(MongoWebhooks::entry).into(new ArrayList<>()));
    }

    @Override
    public int purgeDelivered(Instant before) {
        return Errors.call("webhooks.purgeDelivered", () -> (int) outbox.deleteMany(Where.where()
                .eq("status", OutboxStatus.DELIVERED.name()).before("doneAt", before)).getDeletedCount());
    }
}
