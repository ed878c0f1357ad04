package dev.wasched.store.mongo.internal;

import com.mongodb.client.FindIterable;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Sorts;
import dev.wasched.Page;
import dev.wasched.PageRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.bson.Document;

/** Cursor pagination by {@code _id} (time-ordered ids): one extra document tells whether another page exists. */
final class Pages {
    private Pages() {
    }

    static <T> Page<T> ascending(MongoCollection<Document> c, Where filter, PageRequest req, Function<Document, T> map,
                                 Function<T, String> id) {
        Where f = req.cursor() == null ? filter : filter.gt("_id", req.cursor());
        return fetch(c.find(f).sort(Sorts.ascending("_id")), req, map, id);
    }

    static <T> Page<T> descending(MongoCollection<Document> c, Where filter, PageRequest req, Function<Document, T> map,
                                  Function<T, String> id) {
        Where f = req.cursor() == null ? filter : filter.lt("_id", req.cursor());
        return fetch(c.find(f).sort(Sorts.descending("_id")), req, map, id);
    }

    private static <T> Page<T> fetch(FindIterable<Document> it, PageRequest req, Function<Document, T> map,
                                     Function<T, String> id) {
        List<T> fetched = new ArrayList<>();
        for (Document d : it.limit(req.limit() + 1)) {
            fetched.add(map.apply(d));
        }
        return Page.of(fetched, req.limit(), id);
    }
}
