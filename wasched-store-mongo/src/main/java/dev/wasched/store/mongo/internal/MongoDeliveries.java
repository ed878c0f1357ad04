package dev.wasched.store.mongo.internal;

import static com.mongodb.client.model.Filters.eq;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Accumulators;
import com.mongodb.client.model.Aggregates;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import dev.wasched.Page;
import dev.wasched.PageRequest;
import dev.wasched.delivery.Delivery;
import dev.wasched.delivery.DeliveryQuery;
import dev.wasched.delivery.DeliveryStatus;
import dev.wasched.delivery.Recipient;
import dev.wasched.spi.store.DeliveryRepository;
import dev.wasched.spi.store.Lease;
import dev.wasched.spi.store.StoreCodec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * Deliveries, {@code _id} = delivery id. {@code recipientKey}, {@code contactId} and {@code address} repeat parts of
 * the embedded recipient at the top level because the unique fan-out key and the history queries index them.
 */
public final class MongoDeliveries implements DeliveryRepository {
    /** Rounds of "read candidates, claim each" before a claim gives up and returns what it has. */
    private static final int CLAIM_ROUNDS = 8;
    private static final List<String> LEASED = List.of(DeliveryStatus.CLAIMED.name(), DeliveryStatus.SENDING.name());
    private static final List<String> SENT = List.of(DeliveryStatus.SENT.name(), DeliveryStatus.DELIVERED.name(),
            DeliveryStatus.READ.name());
    private static final List<String> PURGEABLE = List.of(DeliveryStatus.SENT.name(), DeliveryStatus.DELIVERED.name(),
            DeliveryStatus.READ.name(), DeliveryStatus.CANCELLED.name(), DeliveryStatus.DISMISSED.name());

    private final MongoCollection<Document> c;
    /** Fences: MongoDB has no statement over two documents, so a fenced write checks the lease first (see below). */
    private MongoLeases leases;

    public MongoDeliveries(MongoDatabase db) {
        this.c = db.getCollection(Schema.DELIVERIES);
    }

    /** Wires the lease collection that fenced writes check. */
    public void fenceWith(MongoLeases leases) {
        this.leases = leases;
    }

    static Document toDoc(Delivery x) {
        Recipient r = x.recipient();
        return new Document("_id", x.id())
                .append("scheduleId", x.scheduleId())
                .append("fireAt", Docs.date(x.fireAt()))
                .append("recipientKey", r.key())
                .append("contactId", r.contactId())
                .append("address", r.address())
                .append("recipient", Docs.embed(StoreCodec.recipient(r)))
                .append("account", x.account())
                .append("content", Docs.embed(StoreCodec.content(x.content())))
                .append("status", x.status().name())
                .append("attempts", x.attempts())
                .append("dueAt", Docs.date(x.dueAt()))
                .append("expiresAt", Docs.date(x.expiresAt()))
                .append("leaseOwner", x.leaseOwner())
                .append("leaseUntil", Docs.date(x.leaseUntil()))
                .append("lastError", x.lastError())
                .append("transportMessageId", x.transportMessageId())
                .append("sendMarker", x.sendMarker())
                .append("sentAt", Docs.date(x.sentAt()))
                .append("deliveredAt", Docs.date(x.deliveredAt()))
                .append("readAt", Docs.date(x.readAt()))
                .append("repliedAt", Docs.date(x.repliedAt()))
                .append("createdAt", Docs.date(x.createdAt()))
                .append("updatedAt", Docs.date(x.updatedAt()))
                .append("version", x.version());
    }

    static Delivery fromDoc(Document d) {
        return Delivery.builder().id(d.getString("_id")).scheduleId(d.getString("scheduleId"))
                .fireAt(Docs.instant(d, "fireAt")).recipient(StoreCodec.recipient(Docs.json(d, "recipient")))
                .account(d.getString("account")).content(StoreCodec.content(Docs.json(d, "content")))
                .status(DeliveryStatus.valueOf(d.getString("status"))).attempts(Docs.integer(d, "attempts"))
                .dueAt(Docs.instant(d, "dueAt")).expiresAt(Docs.instant(d, "expiresAt"))
                .leaseOwner(d.getString("leaseOwner")).leaseUntil(Docs.instant(d, "leaseUntil"))
                .lastError(d.getString("lastError")).transportMessageId(d.getString("transportMessageId"))
                .sendMarker(d.getString("sendMarker")).sentAt(Docs.instant(d, "sentAt"))
                .deliveredAt(Docs.instant(d, "deliveredAt")).readAt(Docs.instant(d, "readAt"))
                .repliedAt(Docs.instant(d, "repliedAt")).createdAt(Docs.instant(d, "createdAt"))
                .updatedAt(Docs.instant(d, "updatedAt")).version(Docs.lng(d, "version")).build();
    }

    private static List<Delivery> all(Iterable<Document> docs) {
        List<Delivery> out = new ArrayList<>();
        docs.forEach(d -> out.add(fromDoc(d)));
        return out;
    }

    @Override
    public int insertAll(List<Delivery> deliveries) {
        if (deliveries.isEmpty()) {
            return 0;
        }
        List<Document> docs = deliveries.stream().map(MongoDeliveries::toDoc).toList();
        try {
            // Unordered: one existing key must not stop the rest of the batch.
            c.insertMany(docs, new InsertManyOptions().ordered(false));
            return docs.size();
        } catch (MongoBulkWriteException e) {
            // Count successes from the errors, not from the reported insert count: every document either went in
            // or has exactly one write error, and some servers report the count wrongly.
            for (BulkWriteError err : e.getWriteErrors()) {
                if (err.getCategory() != com.mongodb.ErrorCategory.DUPLICATE_KEY) {
                    throw Errors.wrap("deliveries.insertAll", e);
                }
            }
            if (e.getWriteConcernError() != null) {
                throw Errors.wrap("deliveries.insertAll", e);
            }
            return docs.size() - e.getWriteErrors().size();
        } catch (com.mongodb.MongoException e) {
            throw Errors.wrap("deliveries.insertAll", e);
        }
    }

    /**
     * Every field but {@code repliedAt}, which only {@link #markReplied} sets: a transition made from a document read
     * before the reply must not clear it.
     */
    @Override
    public boolean update(Delivery d) {
        Document fields = toDoc(d);
        fields.remove("_id");
        fields.remove("repliedAt");
        return Errors.call("deliveries.update", () -> c.updateOne(Where.id(d.id())
                .eq("version", d.version() - 1), new Document("$set", fields)).getMatchedCount() == 1);
    }

    /**
     * The lease check and the compare-and-set are two operations (MongoDB without transactions has nothing else).
     * What keeps a former owner out in between is the engine's own deadline, which ends before the lease can expire,
     * and the version: a new owner takes back what was in flight by compare-and-set, so a late write of the former
     * owner finds a new version and changes nothing.
     */
    @Override
    public boolean update(Delivery d, Lease fence) {
        return leases.holds(fence) && update(d);
    }

    @Override
    public boolean reassignPending(Delivery pending, String account, java.time.Instant now) {
        Delivery moved = pending.reassigned(account, now);
        return Errors.call("deliveries.reassignPending", () -> c.updateOne(Where.id(pending.id())
                .eq("version", pending.version()).eq("status", DeliveryStatus.PENDING.name()), Updates.combine(
                        Updates.set("account", account), Updates.set("updatedAt", Docs.date(moved.updatedAt())),
                        Updates.set("version", moved.version()))).getMatchedCount() == 1);
    }

    @Override
    public boolean recordEvidence(String deliveryId, long version, String sendMarker, String messageId) {
        List<org.bson.conversions.Bson> sets = new ArrayList<>();
        if (sendMarker != null) {
            sets.add(Updates.set("sendMarker", sendMarker));
        }
        if (messageId != null) {
            sets.add(Updates.set("transportMessageId", messageId));
        }
        if (sets.isEmpty()) {
            return findById(deliveryId).filter(x -> x.version() == version
                    && x.status() == DeliveryStatus.SENDING).isPresent();
        }
        return Errors.call("deliveries.recordEvidence", () -> c.updateOne(Where.id(deliveryId).eq("version", version)
                .eq("status", DeliveryStatus.SENDING.name()), Updates.combine(sets)).getMatchedCount() == 1);
    }

    @Override
    public boolean markReplied(String deliveryId, Instant at) {
        return Errors.call("deliveries.markReplied", () -> c.updateOne(Where.id(deliveryId).eq("repliedAt", null),
                Updates.set("repliedAt", Docs.date(at))).getMatchedCount() == 1);
    }

    /** One {@code deleteOne} by id, version and status: atomic on the one document. */
    @Override
    public boolean deletePending(String id, long version) {
        return Errors.call("deliveries.deletePending", () -> c.deleteOne(Where.id(id).eq("version", version)
                .eq("status", DeliveryStatus.PENDING.name())).getDeletedCount() == 1);
    }

    @Override
    public Optional<Delivery> findById(String id) {
        return Errors.call("deliveries.findById", () -> Optional.ofNullable(c.find(eq("_id", id)).first())
                .map(MongoDeliveries::fromDoc));
    }

    @Override
    public Optional<Delivery> findByTransportMessageId(String account, String transportMessageId) {
        return Errors.call("deliveries.findByTransportMessageId", () -> Optional.ofNullable(
                c.find(Where.where().eq("account", account).eq("transportMessageId", transportMessageId)).first())
                .map(MongoDeliveries::fromDoc));
    }

    /**
     * Fenced by a lease check before the claim and another after it: claims made while the lease was lost in between
     * are given back at once (they were never sent), and a new owner takes back anything in flight anyway.
     */
    @Override
    public List<Delivery> claimDue(String account, Instant now, Lease fence, int limit) {
        if (limit < 1 || !leases.holds(fence)) {
            return List.of();
        }
        List<Delivery> claimed = claim(account, now, fence.owner(), limit);
        if (!claimed.isEmpty() && !leases.holds(fence)) {
            for (Delivery d : claimed) {
                update(d.release(d.dueAt(), now));
            }
            return List.of();
        }
        return claimed;
    }

    /**
     * Reads the earliest due candidates, then claims each with one {@code findOneAndUpdate} that compares status and
     * version: a candidate another instance took in between simply fails its compare-and-set, and the next round
     * reads new candidates. Each claim is atomic on its document; no transaction is needed. (One
     * {@code findOneAndUpdate} with a sort per claim would do too, but re-sorts the due set for every document.)
     */
    private List<Delivery> claim(String account, Instant now, String owner, int limit) {
        Date at = Docs.date(now);
        Where due = Where.where().eq("account", account).eq("status", DeliveryStatus.PENDING.name()).lte("dueAt", at);
        return Errors.call("deliveries.claimDue", () -> {
            List<Delivery> out = new ArrayList<>();
            FindOneAndUpdateOptions after = new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER);
            for (int round = 0; round < CLAIM_ROUNDS && out.size() < limit; round++) {
                List<Document> candidates = c.find(due).sort(Sorts.ascending("dueAt", "_id"))
                        .projection(Projections.include("_id", "version")).limit(limit - out.size())
                        .into(new ArrayList<>());
                boolean lost = false;
                for (Document cand : candidates) {
                    long version = Docs.lng(cand, "version");
                    // Every write of a delivery except a lease renewal (which only touches leased ones) raises its
                    // version, so an unchanged version and status mean it is still the due, unleased one we read.
                    Document claimed = c.findOneAndUpdate(
                            Where.id(cand.get("_id")).eq("version", version)
                                    .eq("status", DeliveryStatus.PENDING.name()),
                            Updates.combine(Updates.set("status", DeliveryStatus.CLAIMED.name()),
                                    Updates.set("leaseOwner", owner), Updates.set("leaseUntil", null),
                                    Updates.set("updatedAt", at), Updates.set("version", version + 1)),
                            after);
                    if (claimed == null) {
                        lost = true;
                    } else {
                        out.add(fromDoc(claimed));
                    }
                }
                if (!lost) {
                    break; // every candidate was ours: either the limit is reached or nothing else is due
                }
            }
            out.sort(Comparator.comparing(Delivery::dueAt).thenComparing(Delivery::id));
            return out;
        });
    }

    @Override
    public List<Delivery> findInFlight(String account, int limit) {
        return Errors.call("deliveries.findInFlight", () -> all(c.find(Where.where().in("status", LEASED)
                .eq("account", account)).sort(Sorts.ascending("_id")).limit(limit)));
    }

    @Override
    public List<Delivery> findLeasedBy(String owner, int limit) {
        return Errors.call("deliveries.findLeasedBy", () -> all(c.find(Where.where().eq("leaseOwner", owner)
                .in("status", LEASED)).sort(Sorts.ascending("_id")).limit(limit)));
    }

    @Override
    public Optional<Instant> earliestDue(List<String> accounts) {
        if (accounts.isEmpty()) {
            return Optional.empty();
        }
        return Errors.call("deliveries.earliestDue", () -> {
            Document first = c.find(Where.where().in("account", accounts).eq("status", DeliveryStatus.PENDING.name()))
                    .sort(Sorts.ascending("dueAt")).projection(Projections.include("dueAt")).limit(1).first();
            return Optional.ofNullable(first).map(d -> Docs.instant(d, "dueAt"));
        });
    }

    @Override
    public Page<Delivery> history(DeliveryQuery q, PageRequest page) {
        Where filter = Where.where();
        if (q.scheduleId() != null) {
            filter.eq("scheduleId", q.scheduleId());
        }
        if (q.contactId() != null) {
            filter.eq("contactId", q.contactId());
        }
        if (q.account() != null) {
            filter.eq("account", q.account());
        }
        if (!q.statuses().isEmpty()) {
            filter.in("status", q.statuses().stream().map(Enum::name).sorted().toList());
        }
        if (q.repliedOnly()) {
            filter.ne("repliedAt", null);
        }
        if (q.from() != null) {
            filter.atOrAfter("createdAt", q.from());
        }
        if (q.to() != null) {
            filter.before("createdAt", q.to());
        }
        return Errors.call("deliveries.history", () -> Pages.descending(c, filter, page, MongoDeliveries::fromDoc,
                Delivery::id));
    }

    @Override
    public List<Delivery> findPending(String scheduleId, String contactId, int limit) {
        Where filter = Where.where().eq("status", DeliveryStatus.PENDING.name());
        if (scheduleId != null) {
            filter.eq("scheduleId", scheduleId);
        }
        if (contactId != null) {
            filter.eq("contactId", contactId);
        }
        return Errors.call("deliveries.findPending", () -> all(c.find(filter).sort(Sorts.ascending("_id"))
                .limit(limit)));
    }

    @Override
    public boolean wasSentTo(String account, String address) {
        Where sent = Where.where().eq("account", account).eq("address", address).in("status", SENT);
        return Errors.call("deliveries.wasSentTo", () -> c.find(sent).projection(Projections.include("_id")).limit(1)
                .first() != null);
    }

    @Override
    public Map<DeliveryStatus, Long> countByStatus(String account) {
        return countByStatus(account, java.util.EnumSet.allOf(DeliveryStatus.class));
    }

    @Override
    public Map<DeliveryStatus, Long> countByStatus(String account, java.util.Set<DeliveryStatus> only) {
        return Errors.call("deliveries.countByStatus", () -> {
            List<Bson> pipeline = new ArrayList<>();
            Where filter = Where.where();
            if (account != null) {
                filter.eq("account", account);
            }
            if (only.size() < DeliveryStatus.values().length) {
                filter.in("status", only.stream().map(Enum::name).toList());
            }
            pipeline.add(Aggregates.match(filter));
            pipeline.add(Aggregates.group("$status", Accumulators.sum("n", 1)));
            Map<DeliveryStatus, Long> out = new EnumMap<>(DeliveryStatus.class);
            for (Document d : c.aggregate(pipeline)) {
                out.put(DeliveryStatus.valueOf(d.getString("_id")), Docs.lng(d, "n"));
            }
            return out;
        });
    }

    /** One aggregation, its match served by the fan-out key (scheduleId, fireAt, …). */
    @Override
    public List<dev.wasched.spi.store.OccurrenceCount> countByOccurrence(String scheduleId, Instant fireAt) {
        Where filter = Where.where().eq("scheduleId", scheduleId);
        if (fireAt != null) {
            filter.eq("fireAt", Docs.date(fireAt));
        }
        // A reply time is a date, and every date sorts above null (a missing field reads as null too).
        Document replied = new Document("$cond", List.of(new Document("$gt", java.util.Arrays.asList("$repliedAt", null)),
                1, 0));
        List<Bson> pipeline = List.of(Aggregates.match(filter),
                Aggregates.group(new Document("fireAt", "$fireAt").append("status", "$status"),
                        Accumulators.sum("n", 1), Accumulators.sum("replied", replied)));
        return Errors.call("deliveries.countByOccurrence", () -> {
            List<dev.wasched.spi.store.OccurrenceCount> out = new ArrayList<>();
            for (Document d : c.aggregate(pipeline)) {
                Document key = d.get("_id", Document.class);
                out.add(new dev.wasched.spi.store.OccurrenceCount(Docs.instant(key, "fireAt"),
                        DeliveryStatus.valueOf(key.getString("status")), Docs.lng(d, "n"), Docs.lng(d, "replied")));
            }
            return out;
        });
    }

    @Override
    public long countReplied(String account) {
        Where filter = Where.where().ne("repliedAt", null);
        if (account != null) {
            filter.eq("account", account);
        }
        return Errors.call("deliveries.countReplied", () -> c.countDocuments(filter));
    }

    @Override
    public long countDue(String account, Instant now) {
        Where filter = Where.where();
        if (account != null) {
            filter.eq("account", account);
        }
        filter.eq("status", DeliveryStatus.PENDING.name()).atOrBefore("dueAt", now);
        return Errors.call("deliveries.countDue", () -> c.countDocuments(filter));
    }

    @Override
    public int purge(Instant before, int limit) {
        if (limit < 1) {
            return 0;
        }
        Where old = Where.where().in("status", PURGEABLE).before("updatedAt", before);
        return Errors.call("deliveries.purge", () -> {
            // MongoDB's deleteMany has no limit: pick the ids first, then delete those still finished and old.
            List<Object> ids = new ArrayList<>();
            c.find(old).projection(Projections.include("_id")).limit(limit).forEach(d -> ids.add(d.get("_id")));
            if (ids.isEmpty()) {
                return 0;
            }
            return (int) c.deleteMany(old.in("_id", ids)).getDeletedCount();
        });
    }
}
