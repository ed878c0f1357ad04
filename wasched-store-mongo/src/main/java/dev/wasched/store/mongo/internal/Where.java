package dev.wasched.store.mongo.internal;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import org.bson.BsonDocument;
import org.bson.Document;
import org.bson.codecs.configuration.CodecRegistry;
import org.bson.conversions.Bson;

/**
 * A query filter as one flat document ({@code {a: 1, b: {$lte: x}}}). The driver's {@code Filters.and} renders an
 * explicit {@code $and}, which means the same to MongoDB, but simpler servers (mongo-java-server) evaluate it more
 * slowly and never match it to an index.
 */
public final class Where implements Bson {
    private final Document d = new Document();

    private Where() {
    }

    public static Where where() {
        return new Where();
    }

    public static Where id(Object id) {
        return new Where().eq("_id", id);
    }

    public Where eq(String field, Object value) {
        d.append(field, value);
        return this;
    }

    private Where op(String field, String op, Object value) {
        Object existing = d.get(field);
        if (existing instanceof Document ops) {
            ops.append(op, value);
        } else {
            d.append(field, new Document(op, value));
        }
        return this;
    }

    public Where lte(String field, Object value) {
        return op(field, "$lte", value);
    }

    public Where lt(String field, Object value) {
        return op(field, "$lt", value);
    }

    public Where gt(String field, Object value) {
        return op(field, "$gt", value);
    }

    public Where gte(String field, Object value) {
        return op(field, "$gte", value);
    }

    public Where ne(String field, Object value) {
        return op(field, "$ne", value);
    }

    public Where in(String field, Collection<?> values) {
        return op(field, "$in", List.copyOf(values));
    }

    public Where nin(String field, Collection<?> values) {
        return op(field, "$nin", List.copyOf(values));
    }

    /** {@code field < t} for a millisecond field: the millisecond a sub-millisecond {@code t} falls in is before it. */
    public Where before(String field, Instant t) {
        return t.getNano() % 1_000_000 == 0 ? lt(field, Docs.date(t)) : lte(field, Docs.date(t));
    }

    /** {@code field >= t} for a millisecond field and any instant. */
    public Where atOrAfter(String field, Instant t) {
        return t.getNano() % 1_000_000 == 0 ? gte(field, Docs.date(t)) : gt(field, Docs.date(t));
    }

    /** {@code field <= t}: comparing with the truncated date is exact. */
    public Where atOrBefore(String field, Instant t) {
        return lte(field, Docs.date(t));
    }

    /** {@code field > t}: comparing with the truncated date is exact. */
    public Where after(String field, Instant t) {
        return gt(field, Docs.date(t));
    }

    public Where or(Where... alternatives) {
        d.append("$or", java.util.Arrays.stream(alternatives).map(w -> w.d).toList());
        return this;
    }

    @Override
    public <T> BsonDocument toBsonDocument(Class<T> documentClass, CodecRegistry registry) {
        return d.toBsonDocument(documentClass, registry);
    }

    @Override
    public String toString() {
        return d.toJson();
    }
}
