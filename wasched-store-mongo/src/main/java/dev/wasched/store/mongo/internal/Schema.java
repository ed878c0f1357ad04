package dev.wasched.store.mongo.internal;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * Collection names and the indexes the queries rely on. Everything is created on start and is idempotent, so many
 * instances may start at once. Only plain (and unique) indexes: no TTL, partial or text indexes, which some servers
 * (and the in-JVM test server) lack.
 */
public final class Schema {
    public static final String CONTACTS = "contacts";
    public static final String TEMPLATES = "templates";
    public static final String SCHEDULES = "schedules";
    public static final String DELIVERIES = "deliveries";
    public static final String MEDIA = "media";
    public static final String MEDIA_CHUNKS = "media_chunks";
    public static final String SESSIONS = "sessions";
    public static final String SESSION_CHUNKS = "session_chunks";
    public static final String SESSION_QUARANTINE = "session_quarantine";
    public static final String LEASES = "leases";
    public static final String INSTANCES = "instances";
    public static final String PACING = "pacing";
    public static final String INBOUND = "inbound";
    public static final String ACCOUNTS = "accounts";
    public static final String USERS = "users";
    public static final String API_KEYS = "api_keys";
    public static final String AUDIT = "audit";

    private static final List<String> ALL = List.of(CONTACTS, TEMPLATES, SCHEDULES, DELIVERIES, MEDIA, MEDIA_CHUNKS,
            SESSIONS, SESSION_CHUNKS, SESSION_QUARANTINE, LEASES, INSTANCES, PACING, INBOUND, ACCOUNTS,
            USERS, API_KEYS, AUDIT);

    private Schema() {
    }

    public static void create(MongoDatabase db) {
        Set<String> existing = db.listCollectionNames().into(new HashSet<>());
        for (String name : ALL) {
            if (!existing.contains(name)) {
                try {
                    db.createCollection(name);
                } catch (com.mongodb.MongoCommandException e) {
                    // 48 = NamespaceExists: another instance created it in the meantime.
                    if (e.getErrorCode() != 48) {
                        throw e;
                    }
                }
            }
        }
        MongoCollection<Document> contacts = db.getCollection(CONTACTS);
        unique(contacts, "phone_unique", Indexes.ascending("phone"));
        plain(contacts, "tags", Indexes.ascending("tags", "_id"));

        plain(db.getCollection(SCHEDULES), "due_schedules", Indexes.ascending("paused", "nextFireAt"));

        MongoCollection<Document> deliveries = db.getCollection(DELIVERIES);
        unique(deliveries, "fanout_key", Indexes.ascending("scheduleId", "fireAt", "recipientKey"));
        plain(deliveries, "due_deliveries", Indexes.ascending("account", "status", "dueAt"));
        plain(deliveries, "history_by_contact", Indexes.compoundIndex(Indexes.ascending("contactId"),
                Indexes.descending("_id")));
        plain(deliveries, "history_by_time", Indexes.ascending("createdAt"));
        plain(deliveries, "transport_message_id", Indexes.ascending("account", "transportMessageId"));
        plain(deliveries, "lease_owner", Indexes.ascending("leaseOwner"));
        // In-flight deliveries of an account (takeover) use due_deliveries' (account, status) prefix; the former
        // row-lease expiry index (status, leaseUntil) has no query left and is no longer created.
        plain(deliveries, "sent_to", Indexes.ascending("account", "address", "status"));
        plain(deliveries, "purge", Indexes.ascending("status", "updatedAt"));
        // Answered deliveries (count, history): the few with a repliedAt sit apart from the many null entries.
        plain(deliveries, "replied", Indexes.ascending("repliedAt", "account"));

        plain(db.getCollection(MEDIA_CHUNKS), "media_chunks", Indexes.ascending("sha256", "n"));
        plain(db.getCollection(SESSION_CHUNKS), "session_chunks", Indexes.ascending("generation", "n"));
        plain(db.getCollection(SESSION_CHUNKS), "session_chunks_account", Indexes.ascending("account", "writtenAt"));
        plain(db.getCollection(SESSION_QUARANTINE), "quarantine_account", Indexes.ascending("account"));
        plain(db.getCollection(SESSION_QUARANTINE), "quarantine_age", Indexes.ascending("quarantinedAt"));
        plain(db.getCollection(INSTANCES), "live_instances", Indexes.ascending("expiresAt"));

        // A key is found by the hash of the key presented, and one key is one document.
        unique(db.getCollection(API_KEYS), "api_key_secret", Indexes.ascending("secretHash"));

        MongoCollection<Document> inbound = db.getCollection(INBOUND);
        unique(inbound, "inbound_message", Indexes.ascending("account", "messageId"));
        plain(inbound, "inbound_by_account", Indexes.compoundIndex(Indexes.ascending("account"), Indexes.descending("_id")));
        plain(inbound, "inbound_by_contact", Indexes.compoundIndex(Indexes.ascending("contactId"),
                Indexes.descending("_id")));
    }

    private static void unique(MongoCollection<Document> c, String name, Bson keys) {
        c.createIndex(keys, new IndexOptions().name(name).unique(true));
    }

    private static void plain(MongoCollection<Document> c, String name, Bson keys) {
        c.createIndex(keys, new IndexOptions().name(name));
    }
}
