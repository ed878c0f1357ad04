package dev.wasched.store.mongo.internal;

import com.mongodb.MongoException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import dev.wasched.Page;
import dev.wasched.PageRequest;
import dev.wasched.inbound.InboundMessage;
import dev.wasched.spi.store.InboundRepository;
import java.util.Optional;
import org.bson.Document;

/** Received messages, {@code _id} = the engine's id; a unique index on (account, messageId) keeps one per message. */
public final class MongoInbound implements InboundRepository {
    private final MongoCollection<Document> c;

    public MongoInbound(MongoDatabase db) {
        this.c = db.getCollection(Schema.INBOUND);
    }

    private static Document toDoc(InboundMessage m) {
        return new Document("_id", m.id()).append("account", m.account()).append("messageId", m.messageId())
                .append("sender", m.sender()).append("chat", m.chat()).append("contactId", m.contactId())
                .append("text", m.text()).append("mediaKind", m.mediaKind())
                .append("quotedMessageId", m.quotedMessageId()).append("sentAt", Docs.date(m.sentAt()))
                .append("receivedAt", Docs.date(m.receivedAt())).append("repliedDeliveryId", m.repliedDeliveryId());
    }

    private static InboundMessage fromDoc(Document d) {
        return new InboundMessage(d.getString("_id"), d.getString("account"), d.getString("messageId"),
                d.getString("sender"), d.getString("chat"), d.getString("contactId"), d.getString("text"),
                d.getString("mediaKind"), d.getString("quotedMessageId"), Docs.instant(d, "sentAt"),
                Docs.instant(d, "receivedAt"), d.getString("repliedDeliveryId"));
    }

    @Override
    public boolean insert(InboundMessage m) {
        try {
            c.insertOne(toDoc(m));
            return true;
        } catch (MongoException e) {
            if (Errors.isDuplicateKey(e)) {
                return false; // the account has this message already
            }
            throw Errors.wrap("inbound.insert", e);
        }
    }

    @Override
    public Optional<InboundMessage> find(String account, String messageId) {
        return Errors.call("inbound.find", () -> Optional.ofNullable(c.find(Where.where().eq("account", account)
                .eq("messageId", messageId)).first()).map(MongoInbound::fromDoc));
    }

    @Override
    public Page<InboundMessage> list(String account, String contactId, PageRequest page) {
        Where filter = Where.where();
        if (account != null) {
            filter = filter.eq("account", account);
        }
        if (contactId != null) {
            filter = filter.eq("contactId", contactId);
        }
        Where f = filter;
        return Errors.call("inbound.list", () -> Pages.descending(c, f, page, MongoInbound::fromDoc,
                InboundMessage::id));
    }
}
