package dev.wasched.store.mongo.internal;

import java.time.Instant;
import java.util.Date;
import org.bson.Document;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;

/**
 * Small conversions shared by the mappers. Instants are BSON dates (milliseconds); the domain records already
 * truncate to milliseconds, so a round trip is exact.
 */
public final class Docs {
    // Relaxed JSON prints numbers as numbers (no {"$numberLong": ...}), which is what StoreCodec reads.
    private static final JsonWriterSettings JSON = JsonWriterSettings.builder().outputMode(JsonMode.RELAXED).build();

    private Docs() {
    }

    public static Date date(Instant instant) {
        return instant == null ? null : new Date(instant.toEpochMilli());
    }

    public static Instant instant(Document d, String key) {
        Date v = d.getDate(key);
        return v == null ? null : v.toInstant();
    }

    public static long lng(Document d, String key) {
        Object v = d.get(key);
        return v == null ? 0L : ((Number) v).longValue();
    }

    public static int integer(Document d, String key) {
        Object v = d.get(key);
        return v == null ? 0 : ((Number) v).intValue();
    }

    public static boolean bool(Document d, String key) {
        return Boolean.TRUE.equals(d.getBoolean(key));
    }

    /** A StoreCodec JSON object as an embedded document, so it stays readable in the shell. */
    public static Document embed(String json) {
        return Document.parse(json);
    }

    /** An embedded document back to the JSON StoreCodec reads. */
    public static String json(Document d, String key) {
        Document sub = d.get(key, Document.class);
        if (sub == null) {
            throw new IllegalStateException("stored document " + d.get("_id") + " has no '" + key + "'");
        }
        return sub.toJson(JSON);
    }

    /** A regular expression matching {@code text} literally, the same in Java and in PCRE (MongoDB). */
    public static String literalRegex(String text) {
        StringBuilder out = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            // Escaping ASCII punctuation is literal in both engines; letters and non-ASCII stay as they are.
            if (c < 128 && !Character.isLetterOrDigit(c)) {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }
}
