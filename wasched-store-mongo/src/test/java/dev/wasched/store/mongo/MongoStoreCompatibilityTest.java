package dev.wasched.store.mongo;

import dev.wasched.spi.store.WaschedStore;
import dev.wasched.testkit.store.StoreCompatibilityKit;
import org.junit.jupiter.api.AfterEach;

/** The shared store contract against mongo-java-server; every store object has its own client (connection pool). */
class MongoStoreCompatibilityTest extends StoreCompatibilityKit {
    private String database;

    @Override
    protected WaschedStore createStore() {
        database = TestServer.freshDatabase();
        return MongoStore.connect(TestServer.uri(), database);
    }

    @Override
    protected WaschedStore openAnotherStore(WaschedStore first) {
        return MongoStore.connect(TestServer.uri(), database);
    }

    /** Half the kit's campaign: still several claim batches per account, and the engines' schedulers still race. */
    @Override
    protected int engineTestDeliveries() {
        return 1000;
    }

    @AfterEach
    void dropDatabase() {
        TestServer.drop(database);
    }
}
