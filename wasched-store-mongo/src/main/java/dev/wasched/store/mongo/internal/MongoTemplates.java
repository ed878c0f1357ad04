package dev.wasched.store.mongo.internal;

import static com.mongodb.client.model.Filters.eq;

import com.mongodb.MongoException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Sorts;
import dev.wasched.message.Template;
import dev.wasched.spi.store.DuplicateKeyException;
import dev.wasched.spi.store.TemplateRepository;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bson.Document;

/** Templates, {@code _id} = name, so the name is unique by construction. */
public final class MongoTemplates implements TemplateRepository {
    private final MongoCollection<Document> c;

    public MongoTemplates(MongoDatabase db) {
        this.c = db.getCollection(Schema.TEMPLATES);
    }

    private static Document toDoc(Template t) {
        return new Document("_id", t.name()).append("body", t.body()).append("createdAt", Docs.date(t.createdAt()))
                .append("updatedAt", Docs.date(t.updatedAt())).append("version", t.version());
    }

    private static Template fromDoc(Document d) {
        return new Template(d.getString("_id"), d.getString("body"), Docs.instant(d, "createdAt"),
                Docs.instant(d, "updatedAt"), Docs.lng(d, "version"));
    }

    @Override
    public void insert(Template template) {
        try {
            c.insertOne(toDoc(template));
        } catch (MongoException e) {
            if (Errors.isDuplicateKey(e)) {
                throw new DuplicateKeyException("template " + template.name() + " exists");
            }
            throw Errors.wrap("templates.insert", e);
        }
    }

    @Override
    public boolean update(Template t) {
        return Errors.call("templates.update", () -> c.replaceOne(Where.id(t.name())
                .eq("version", t.version() - 1), toDoc(t)).getMatchedCount() == 1);
    }

    @Override
    public Optional<Template> findByName(String name) {
        return Errors.call("templates.findByName", () -> Optional.ofNullable(c.find(eq("_id", name)).first())
                .map(MongoTemplates::fromDoc));
    }

    @Override
    public boolean delete(String name) {
        return Errors.call("templates.delete", () -> c.deleteOne(eq("_id", name)).getDeletedCount() == 1);
    }

    @Override
    public List<Template> list() {
        return Errors.call("templates.list", () -> {
            List<Template> out = new ArrayList<>();
            c.find().sort(Sorts.ascending("_id")).forEach(d -> out.add(fromDoc(d)));
            return out;
        });
    }
}
