package dev.wasched.store.mongo.internal;

import static com.mongodb.client.model.Filters.eq;

import com.mongodb.MongoException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import dev.wasched.message.MediaAttachment;
import dev.wasched.spi.store.MediaRepository;
import dev.wasched.spi.store.StoreException;
import java.util.Optional;
import org.bson.Document;

/**
 * Media by SHA-256: chunks in {@code media_chunks} ({@code _id = sha256:n}), then a small head in {@code media}. The
 * head is written last, so a file is visible only once complete; the same file put twice (or by two instances at
 * once) writes identical chunks, and duplicates are ignored.
 */
public final class MongoMedia implements MediaRepository {
    private final MongoCollection<Document> heads;
    private final MongoCollection<Document> chunks;

    public MongoMedia(MongoDatabase db) {
        this.heads = db.getCollection(Schema.MEDIA);
        this.chunks = db.getCollection(Schema.MEDIA_CHUNKS);
    }

    @Override
    public void put(MediaAttachment a, byte[] bytes) {
        String sha = a.sha256();
        Errors.run("media.put", () -> {
            if (heads.find(eq("_id", sha)).first() != null) {
                return;
            }
            Chunks.write(chunks, bytes, n -> new Document("_id", sha + ":" + n).append("sha256", sha), true);
            Document head = new Document("_id", sha).append("mimeType", a.mimeType()).append("fileName", a.fileName())
                    .append("size", (long) bytes.length).append("chunks", Chunks.count(bytes.length));
            try {
                heads.insertOne(head);
            } catch (MongoException e) {
                if (!Errors.isDuplicateKey(e)) {
                    throw e;
                }
            }
        });
    }

    @Override
    public Optional<byte[]> get(String sha256) {
        return Errors.call("media.get", () -> {
            Document head = heads.find(eq("_id", sha256)).first();
            if (head == null) {
                return Optional.empty();
            }
            byte[] data = Chunks.read(chunks, eq("sha256", sha256), Docs.integer(head, "chunks"),
                    Docs.lng(head, "size"));
            if (data == null) {
                throw new StoreException("media " + sha256 + " is incomplete in the store (chunks missing)", null);
            }
            return Optional.of(data);
        });
    }
}
