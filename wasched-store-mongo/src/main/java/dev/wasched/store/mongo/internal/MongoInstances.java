package dev.wasched.store.mongo.internal;

import static com.mongodb.client.model.Filters.eq;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Sorts;
import dev.wasched.spi.store.InstanceInfo;
import dev.wasched.spi.store.InstanceRepository;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.bson.Document;

/** Instance heartbeats, {@code _id} = instance id. */
public final class MongoInstances implements InstanceRepository {
    private final MongoCollection<Document> c;

    public MongoInstances(MongoDatabase db) {
        this.c = db.getCollection(Schema.INSTANCES);
    }

    @Override
    public void heartbeat(InstanceInfo i) {
        Document d = new Document("_id", i.id()).append("host", i.host()).append("startedAt", Docs.date(i.startedAt()))
                .append("lastSeenAt", Docs.date(i.lastSeenAt())).append("expiresAt", Docs.date(i.expiresAt()))
                .append("weight", i.weight());
        Errors.run("instances.heartbeat", () -> c.replaceOne(eq("_id", i.id()), d, new ReplaceOptions().upsert(true)));
    }

    @Override
    public List<InstanceInfo> live(Instant now) {
        return Errors.call("instances.live", () -> {
            List<InstanceInfo> out = new ArrayList<>();
            c.find(Where.where().after("expiresAt", now)).sort(Sorts.ascending("_id")).forEach(d -> out.add(
                    new InstanceInfo(d.getString("_id"), d.getString("host"), Docs.instant(d, "startedAt"),
                            Docs.instant(d, "lastSeenAt"), Docs.instant(d, "expiresAt"),
                            d.get("weight") == null ? 1 : Docs.integer(d, "weight"))));
            return out;
        });
    }

    @Override
    public void remove(String id) {
        Errors.run("instances.remove", () -> c.deleteOne(eq("_id", id)));
    }
}
