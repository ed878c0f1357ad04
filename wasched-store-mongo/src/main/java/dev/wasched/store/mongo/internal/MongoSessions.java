package dev.wasched.store.mongo.internal;

import static com.mongodb.client.model.Filters.eq;

import com.mongodb.MongoException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import dev.wasched.spi.store.Lease;
import dev.wasched.spi.store.SessionRepository;
import dev.wasched.spi.store.SessionSnapshot;
import dev.wasched.spi.store.StoreException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.bson.Document;

/**
 * Session snapshots of any size, replaced atomically without transactions.
 *
 * <p>A snapshot is a small head document in {@code sessions} ({@code _id} = account, with version, checksum and the
 * id of its <em>generation</em>) plus the bytes in 1 MiB chunks in {@code session_chunks}, tagged with that
 * generation. A replace writes all chunks of a new generation first, then switches the head with one
 * compare-and-set on its version, and only then deletes the old generation's chunks. A reader reads the head, then
 * the chunks of the generation it names; it can never mix two snapshots, and if the old chunks were deleted while it
 * read, it sees an incomplete set and reads the new head again.
 *
 * <p>Chunks of a writer that died before its switch belong to no head; they are swept after an hour (by the JVM
 * clock, long after any live writer finished), on a later successful replace of the same account.
 */
public final class MongoSessions implements SessionRepository {
    private static final int READ_ATTEMPTS = 5;
    private static final Duration ORPHAN_AGE = Duration.ofHours(1);

    private final MongoCollection<Document> heads;
    private final MongoCollection<Document> chunks;
    private final MongoCollection<Document> quarantine;
    private final Clock wallClock;
    private MongoLeases leases;

    public MongoSessions(MongoDatabase db, Clock wallClock) {
        this.heads = db.getCollection(Schema.SESSIONS);
        this.chunks = db.getCollection(Schema.SESSION_CHUNKS);
        this.quarantine = db.getCollection(Schema.SESSION_QUARANTINE);
        this.wallClock = wallClock;
    }

    /** Wires the lease collection that fenced saves check. */
    public void fenceWith(MongoLeases leases) {
        this.leases = leases;
    }

    /** From the head document alone: its chunks are not read. */
    @Override
    public Optional<Instant> savedAt(String account) {
        return Errors.call("sessions.savedAt", () -> Optional.ofNullable(heads.find(eq("_id", account)).first())
                .map(head -> Docs.instant(head, "savedAt")));
    }

    @Override
    public Optional<SessionSnapshot> load(String account) {
        return Errors.call("sessions.load", () -> {
            for (int attempt = 0; attempt < READ_ATTEMPTS; attempt++) {
                Document head = heads.find(eq("_id", account)).first();
                if (head == null) {
                    return Optional.empty();
                }
                byte[] data = Chunks.read(chunks, eq("generation", head.getString("generation")),
                        Docs.integer(head, "chunks"), Docs.lng(head, "size"));
                if (data != null) {
                    return Optional.of(new SessionSnapshot(account, data, head.getString("sha256"),
                            Docs.bool(head, "encrypted"), Docs.instant(head, "savedAt"), Docs.lng(head, "version")));
                }
                // The head was replaced (and its chunks deleted) while we read: read the new one.
            }
            throw new StoreException("session snapshot of " + account + " kept changing while it was read", null);
        });
    }

    @Override
    public boolean replace(SessionSnapshot s) {
        return replace(s, null);
    }

    /**
     * Fenced by a lease check first and by the epoch the head carries: the head is switched only while it was saved
     * under the same or an earlier epoch, so a former owner cannot overwrite a snapshot its successor saved.
     */
    @Override
    public boolean replace(SessionSnapshot s, Lease fence) {
        if (fence != null && (leases == null || !leases.holds(fence))) {
            return false;
        }
        return Errors.call("sessions.replace", () -> {
            Document old = heads.find(eq("_id", s.account())).first();
            long stored = old == null ? 0 : Docs.lng(old, "version");
            if (stored != s.version() - 1) {
                return false;
            }
            long savedUnder = old == null || old.get("fenceEpoch") == null ? 0 : Docs.lng(old, "fenceEpoch");
            if (fence != null && savedUnder > fence.epoch()) {
                return false;
            }
            String generation = UUID.randomUUID().toString();
            Date writtenAt = new Date(wallClock.millis());
            Chunks.write(chunks, s.data(), n -> new Document("_id", generation + ":" + n)
                    .append("account", s.account()).append("generation", generation).append("writtenAt", writtenAt),
                    false);
            Document head = new Document("_id", s.account()).append("version", s.version())
                    .append("generation", generation).append("sha256", s.sha256()).append("encrypted", s.encrypted())
                    .append("savedAt", Docs.date(s.savedAt())).append("size", (long) s.data().length)
                    .append("chunks", Chunks.count(s.data().length))
                    .append("fenceEpoch", fence != null ? fence.epoch() : savedUnder);
            boolean switched;
            if (old == null) {
                switched = insertIfAbsent(head);
            } else {
                switched = heads.replaceOne(Where.id(s.account()).eq("version", stored)
                        .eq("generation", old.getString("generation")), head).getMatchedCount() == 1;
            }
            if (!switched) {
                chunks.deleteMany(eq("generation", generation));
                return false;
            }
            if (old != null) {
                chunks.deleteMany(eq("generation", old.getString("generation")));
            }
            sweepOrphans(s.account(), generation);
            return true;
        });
    }

    private boolean insertIfAbsent(Document head) {
        try {
            heads.insertOne(head);
            return true;
        } catch (MongoException e) {
            if (Errors.isDuplicateKey(e)) {
                return false;
            }
            throw e;
        }
    }

    private void sweepOrphans(String account, String current) {
        List<String> keep = new ArrayList<>();
        keep.add(current);
        quarantine.find(eq("account", account)).forEach(q -> keep.add(q.getString("generation")));
        Instant cutoff = wallClock.instant().minus(ORPHAN_AGE);
        chunks.deleteMany(Where.where().eq("account", account).nin("generation", keep).before("writtenAt", cutoff));
    }

    /**
     * Removes the head first (compare-and-set on its generation), then records the quarantine: the snapshot is never
     * loaded again even if the second step fails. Its chunks stay, referenced by the quarantine record.
     */
    @Override
    public void quarantine(String account, String reason, Instant now) {
        Errors.run("sessions.quarantine", () -> {
            Document head = heads.find(eq("_id", account)).first();
            if (head == null) {
                return;
            }
            if (heads.deleteOne(Where.id(account).eq("generation", head.getString("generation")))
                    .getDeletedCount() == 0) {
                return; // replaced in the meantime: the snapshot complained about is gone already
            }
            Document record = new Document(head);
            record.put("_id", UUID.randomUUID().toString());
            record.append("account", account).append("reason", reason).append("quarantinedAt", Docs.date(now));
            quarantine.insertOne(record);
        });
    }

    @Override
    public int purgeQuarantined(Instant before) {
        return Errors.call("sessions.purgeQuarantined", () -> {
            int purged = 0;
            for (Document q : quarantine.find(Where.where().before("quarantinedAt", before))) {
                chunks.deleteMany(eq("generation", q.getString("generation")));
                purged += (int) quarantine.deleteOne(eq("_id", q.get("_id"))).getDeletedCount();
            }
            return purged;
        });
    }

    @Override
    public int quarantinedCount(String account) {
        return Errors.call("sessions.quarantinedCount", () -> (int) quarantine.countDocuments(eq("account", account)));
    }

    @Override
    public void delete(String account) {
        Errors.run("sessions.delete", () -> {
            Document head = heads.findOneAndDelete(eq("_id", account));
            if (head != null) {
                chunks.deleteMany(eq("generation", head.getString("generation")));
            }
        });
    }
}
