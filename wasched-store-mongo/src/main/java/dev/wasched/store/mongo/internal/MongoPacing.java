package dev.wasched.store.mongo.internal;

import static com.mongodb.client.model.Filters.eq;

import com.mongodb.MongoException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import dev.wasched.spi.store.PacingRepository;
import dev.wasched.spi.store.PacingState;
import java.util.Optional;
import org.bson.Document;

/** Pacing state per account, {@code _id} = account; version 1 is an insert, later versions a compare-and-set. */
public final class MongoPacing implements PacingRepository {
    private final MongoCollection<Document> c;

    public MongoPacing(MongoDatabase db) {
        this.c = db.getCollection(Schema.PACING);
    }

    private static Document toDoc(PacingState p) {
        return new Document("_id", p.account()).append("nextAllowedAt", Docs.date(p.nextAllowedAt()))
                .append("hourStart", Docs.date(p.hourStart())).append("hourCount", p.hourCount())
                .append("dayStart", Docs.date(p.dayStart())).append("dayCount", p.dayCount())
                .append("newContactCount", p.newContactCount()).append("version", p.version());
    }

    @Override
    public Optional<PacingState> load(String account) {
        return Errors.call("pacing.load", () -> Optional.ofNullable(c.find(eq("_id", account)).first()).map(d ->
                new PacingState(account, Docs.instant(d, "nextAllowedAt"), Docs.instant(d, "hourStart"),
                        Docs.integer(d, "hourCount"), Docs.instant(d, "dayStart"), Docs.integer(d, "dayCount"),
                        Docs.integer(d, "newContactCount"), Docs.lng(d, "version"))));
    }

    @Override
    public boolean save(PacingState state) {
        if (state.version() == 1) {
            try {
                c.insertOne(toDoc(state));
                return true;
            } catch (MongoException e) {
                if (Errors.isDuplicateKey(e)) {
                    return false;
                }
                throw Errors.wrap("pacing.save", e);
            }
        }
        return Errors.call("pacing.save", () -> c.replaceOne(Where.id(state.account())
                .eq("version", state.version() - 1), toDoc(state)).getMatchedCount() == 1);
    }
}
