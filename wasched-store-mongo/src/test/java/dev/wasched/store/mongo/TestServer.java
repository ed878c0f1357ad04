package dev.wasched.store.mongo;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One in-JVM mongo-java-server for the whole test run, on an ephemeral port; each test uses a fresh database. With
 * {@code WASCHED_TEST_MONGO_URI} set (such as {@code mongodb://127.0.0.1:27017}) the tests use that server instead.
 */
final class TestServer {
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static MongoServer server;
    private static String uri;
    private static MongoClient admin;

    private TestServer() {
    }

    /** A real server the tests were pointed at, or null for the in-JVM one. */
    private static final String EXTERNAL = System.getenv("WASCHED_TEST_MONGO_URI");

    static synchronized String uri() {
        if (uri == null && EXTERNAL != null && !EXTERNAL.isBlank()) {
            uri = EXTERNAL;
            admin = MongoClients.create(uri);
            Runtime.getRuntime().addShutdownHook(new Thread(admin::close));
        }
        if (uri == null) {
            server = new MongoServer(new MemoryBackend());
            InetSocketAddress address = server.bind();
            uri = "mongodb://127.0.0.1:" + address.getPort();
            admin = MongoClients.create(uri);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                admin.close();
                server.shutdownNow();
            }));
        }
        return uri;
    }

    static String freshDatabase() {
        return "wasched_test_" + DATABASES.incrementAndGet();
    }

    /** A client for looking at the raw collections; owned by this class. */
    static MongoClient admin() {
        uri();
        return admin;
    }

    /**
     * Helper indexes for throughput tests only. mongo-java-server indexes nothing but unique keys, and uses an index
     * only when a query's fields equal the index's fields exactly; every compare-and-set ({@code {_id, version}})
     * therefore scans the whole collection. These unique indexes (unique anyway, as {@code _id} is) turn that scan
     * into a lookup. A real server needs none of this: its {@code _id} index serves those filters.
     */
    static void addLookupIndexes(String database) {
        if (EXTERNAL != null && !EXTERNAL.isBlank()) {
            return; // a real server runs on the store's own indexes
        }
        var db = admin().getDatabase(database);
        for (String collection : java.util.List.of("deliveries", "schedules", "contacts")) {
            db.getCollection(collection).createIndex(com.mongodb.client.model.Indexes.ascending("_id", "version"),
                    new com.mongodb.client.model.IndexOptions().unique(true).name("test_cas"));
        }
        db.getCollection("deliveries").createIndex(
                com.mongodb.client.model.Indexes.ascending("_id", "version", "status"),
                new com.mongodb.client.model.IndexOptions().unique(true).name("test_claim"));
    }

    static void drop(String database) {
        admin().getDatabase(database).drop();
    }
}
