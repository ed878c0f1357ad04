package dev.wasched.store.mongo.internal;

import static com.mongodb.client.model.Filters.eq;

import com.mongodb.MongoException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import dev.wasched.Page;
import dev.wasched.PageRequest;
import dev.wasched.delivery.Delivery;
import dev.wasched.schedule.Schedule;
import dev.wasched.spi.store.DeliveryRepository;
import dev.wasched.spi.store.DuplicateKeyException;
import dev.wasched.spi.store.ScheduleRepository;
import dev.wasched.spi.store.StoreCodec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.bson.Document;

/** Schedules, {@code _id} = schedule id; target, trigger and misfire policy embedded in the codec's form. */
public final class MongoSchedules implements ScheduleRepository {
    private static final int CLAIM_ROUNDS = 8;

    private final MongoCollection<Document> c;
    private final DeliveryRepository deliveries;

    public MongoSchedules(MongoDatabase db, DeliveryRepository deliveries) {
        this.c = db.getCollection(Schema.SCHEDULES);
        this.deliveries = deliveries;
    }

    static Document toDoc(Schedule s) {
        return new Document("_id", s.id())
                .append("name", s.name())
                .append("account", s.account())
                .append("target", Docs.embed(StoreCodec.target(s.target())))
                // Template variables have user-chosen names, which MongoDB may refuse as keys: kept as JSON text.
                .append("message", StoreCodec.message(s.message()))
                .append("trigger", Docs.embed(StoreCodec.trigger(s.trigger())))
                .append("misfire", Docs.embed(StoreCodec.misfire(s.misfire())))
                .append("endAt", Docs.date(s.endAt()))
                .append("maxRuns", s.maxRuns())
                .append("paused", s.paused())
                .append("nextFireAt", Docs.date(s.nextFireAt()))
                .append("runs", s.runs())
                .append("skippedRuns", s.skippedRuns())
                .append("leaseOwner", s.leaseOwner())
                .append("leaseUntil", Docs.date(s.leaseUntil()))
                .append("createdAt", Docs.date(s.createdAt()))
                .append("updatedAt", Docs.date(s.updatedAt()))
                .append("version", s.version())
                .append("accounts", s.spread() ? s.accounts() : null);
    }

    static Schedule fromDoc(Document d) {
        return Schedule.builder().id(d.getString("_id")).name(d.getString("name")).account(d.getString("account"))
                .target(StoreCodec.target(Docs.json(d, "target"))).message(StoreCodec.message(d.getString("message")))
                .trigger(StoreCodec.trigger(Docs.json(d, "trigger")))
                .misfire(StoreCodec.misfire(Docs.json(d, "misfire"))).endAt(Docs.instant(d, "endAt"))
                .maxRuns(Docs.lng(d, "maxRuns")).paused(Docs.bool(d, "paused"))
                .nextFireAt(Docs.instant(d, "nextFireAt")).runs(Docs.lng(d, "runs"))
                .skippedRuns(Docs.lng(d, "skippedRuns")).leaseOwner(d.getString("leaseOwner"))
                .leaseUntil(Docs.instant(d, "leaseUntil")).createdAt(Docs.instant(d, "createdAt"))
                .updatedAt(Docs.instant(d, "updatedAt")).version(Docs.lng(d, "version"))
                .accounts(d.getList("accounts", String.class)).build();
    }

    @Override
    public void insert(Schedule schedule) {
        try {
            c.insertOne(toDoc(schedule));
        } catch (MongoException e) {
            if (Errors.isDuplicateKey(e)) {
                throw new DuplicateKeyException("schedule " + schedule.id() + " exists");
            }
            throw Errors.wrap("schedules.insert", e);
        }
    }

    @Override
    public boolean update(Schedule s) {
        return Errors.call("schedules.update", () -> c.replaceOne(Where.id(s.id())
                .eq("version", s.version() - 1), toDoc(s)).getMatchedCount() == 1);
    }

    @Override
    public Optional<Schedule> findById(String id) {
        return Errors.call("schedules.findById", () -> Optional.ofNullable(c.find(eq("_id", id)).first())
                .map(MongoSchedules::fromDoc));
    }

    @Override
    public boolean delete(String id) {
        return Errors.call("schedules.delete", () -> c.deleteOne(eq("_id", id)).getDeletedCount() == 1);
    }

    @Override
    public Page<Schedule> list(PageRequest page) {
        return Errors.call("schedules.list", () -> Pages.ascending(c, Where.where(), page, MongoSchedules::fromDoc,
                Schedule::id));
    }

    /**
     * Due by {@code horizon}, not paused, lease free or expired at {@code now}: the same filter for the candidate
     * read and each compare-and-set.
     */
    private static Where claimable(Where w, Date now, Date horizon) {
        return w.eq("paused", false).lte("nextFireAt", horizon)
                .or(Where.where().eq("leaseUntil", null), Where.where().lte("leaseUntil", now));
    }

    @Override
    public List<Schedule> claimDue(Instant now, String owner, Instant leaseUntil, int limit) {
        return claimDue(now, now, owner, leaseUntil, limit);
    }

    /** Like deliveries: read candidates, then lease each with a compare-and-set on version and lease. */
    @Override
    public List<Schedule> claimDue(Instant now, Instant horizon, String owner, Instant leaseUntil, int limit) {
        if (limit < 1) {
            return List.of();
        }
        Date at = Docs.date(now);
        Date by = Docs.date(horizon);
        return Errors.call("schedules.claimDue", () -> {
            List<Schedule> out = new ArrayList<>();
            FindOneAndUpdateOptions after = new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER);
            for (int round = 0; round < CLAIM_ROUNDS && out.size() < limit; round++) {
                List<Document> candidates = c.find(claimable(Where.where(), at, by))
                        .sort(Sorts.ascending("nextFireAt", "_id"))
                        .projection(Projections.include("_id", "version")).limit(limit - out.size())
                        .into(new ArrayList<>());
                boolean lost = false;
                for (Document cand : candidates) {
                    long version = Docs.lng(cand, "version");
                    Document claimed = c.findOneAndUpdate(
                            claimable(Where.id(cand.get("_id")).eq("version", version), at, by),
                            Updates.combine(Updates.set("leaseOwner", owner),
                                    Updates.set("leaseUntil", Docs.date(leaseUntil)), Updates.set("updatedAt", at),
                                    Updates.set("version", version + 1)),
                            after);
                    if (claimed == null) {
                        lost = true;
                    } else {
                        out.add(fromDoc(claimed));
                    }
                }
                if (!lost) {
                    break;
                }
            }
            out.sort(Comparator.comparing(Schedule::nextFireAt).thenComparing(Schedule::id));
            return out;
        });
    }

    @Override
    public Optional<Instant> earliestDue() {
        return Errors.call("schedules.earliestDue", () -> {
            Document first = c.find(Where.where().eq("paused", false).ne("nextFireAt", null))
                    .sort(Sorts.ascending("nextFireAt")).projection(Projections.include("nextFireAt")).limit(1).first();
            return Optional.ofNullable(first).map(d -> Docs.instant(d, "nextFireAt"));
        });
    }

    /**
     * Without multi-document transactions the two steps are ordered so a crash between them is harmless: deliveries
     * first (the unique fan-out key skips those already there), then the schedule's compare-and-set. A crash after
     * the inserts leaves the schedule due again; the next fan-out of the same occurrence inserts nothing twice and
     * the compare-and-set then advances it.
     */
    @Override
    public FanOutResult fanOut(Schedule advanced, List<Delivery> list) {
        // A cheap check first, so an instance that lost its lease does not add deliveries for an occurrence the
        // new holder handles; the compare-and-set below remains the one that decides.
        Document current = Errors.call("schedules.fanOut", () -> c.find(eq("_id", advanced.id()))
                .projection(Projections.include("version")).first());
        if (current == null || Docs.lng(current, "version") != advanced.version() - 1) {
            return new FanOutResult(0, false);
        }
        int inserted = deliveries.insertAll(list);
        return new FanOutResult(inserted, update(advanced));
    }
}
