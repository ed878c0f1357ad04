package dev.wasched.store.mongo.internal;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoBulkWriteException;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.client.model.Sorts;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.bson.types.Binary;

/**
 * Splits large byte arrays over several documents (like GridFS), because one document holds at most 16 MB and a
 * session snapshot or a media file may be larger. A chunk is {@code {_id, n, data}} plus the owner's fields.
 */
final class Chunks {
    /** 1 MiB: well below the document limit, and few documents for a typical 1–20 MB snapshot. */
    static final int CHUNK_BYTES = 1024 * 1024;
    /** Chunks sent per insert, to keep one request near 8 MB. */
    private static final int PER_INSERT = 8;

    private Chunks() {
    }

    static int count(int size) {
        return (size + CHUNK_BYTES - 1) / CHUNK_BYTES;
    }

    /**
     * Writes the chunks of {@code data}. {@code chunk(n)} gives chunk {@code n}'s document without its data.
     * Chunks that exist already (same {@code _id}) are left alone when {@code ignoreExisting}: used for content
     * addressed data, where an existing chunk holds the same bytes.
     */
    static void write(MongoCollection<Document> c, byte[] data, IntFunction<Document> chunk, boolean ignoreExisting) {
        int total = count(data.length);
        List<Document> batch = new ArrayList<>(PER_INSERT);
        for (int n = 0; n < total; n++) {
            int from = n * CHUNK_BYTES;
            byte[] part = Arrays.copyOfRange(data, from, Math.min(data.length, from + CHUNK_BYTES));
            batch.add(chunk.apply(n).append("n", n).append("data", new Binary(part)));
            if (batch.size() == PER_INSERT || n == total - 1) {
                insert(c, batch, ignoreExisting);
                batch = new ArrayList<>(PER_INSERT);
            }
        }
    }

    private static void insert(MongoCollection<Document> c, List<Document> batch, boolean ignoreExisting) {
        try {
            c.insertMany(batch, new InsertManyOptions().ordered(false));
        } catch (MongoBulkWriteException e) {
            if (!ignoreExisting || e.getWriteConcernError() != null) {
                throw e;
            }
            for (BulkWriteError err : e.getWriteErrors()) {
                if (err.getCategory() != ErrorCategory.DUPLICATE_KEY) {
                    throw e;
                }
            }
        }
    }

    /**
     * Reads and joins the chunks matching {@code filter}; null when they are not exactly {@code count} chunks
     * numbered 0.. adding up to {@code size} bytes (deleted or not yet complete).
     */
    static byte[] read(MongoCollection<Document> c, Bson filter, int count, long size) {
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(size, Integer.MAX_VALUE - 8));
        int expected = 0;
        for (Document d : c.find(filter).sort(Sorts.ascending("n"))) {
            if (Docs.integer(d, "n") != expected) {
                return null;
            }
            byte[] part = d.get("data", Binary.class).getData();
            out.write(part, 0, part.length);
            expected++;
        }
        if (expected != count || out.size() != size) {
            return null;
        }
        return out.toByteArray();
    }
}
