package dev.wasched.store.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.wasched.Wasched;
import dev.wasched.contact.ContactSpec;
import dev.wasched.spi.store.WaschedStore;
import dev.wasched.testkit.transport.RecordingTransport;
import org.junit.jupiter.api.Test;

/** The MongoDB example of docs/stores.md, on the in-JVM server: both ways to make a store see one database. */
class DocSnippetsMongoStoreTest {

    @Test
    void aStoreOnTheApplicationsClientAndOneOwningItsClientShareTheDatabase() throws Exception {
        String connectionString = TestServer.uri();
        RecordingTransport whatsapp = new RecordingTransport("shop");
        TestServer.admin().getDatabase("wasched").drop();

        // docs:docs/stores.md#mongodb-store-wasched-store-mongo:begin
        // connectionString: "mongodb://db1,db2,db3/?replicaSet=rs0", "mongodb://localhost:27017", ...
        // With the application's own client (the store never closes it):
        MongoClient client = MongoClients.create(connectionString);
        WaschedStore store = new MongoStore(client, "wasched");

        // Or let the store own its client (closed by store.close()):
        WaschedStore owned = MongoStore.connect(connectionString, "wasched");

        Wasched wasched = Wasched.builder().store(store).transport(whatsapp).build();
        // docs:docs/stores.md#mongodb-store-wasched-store-mongo:end

        try (client) {
            try (wasched) {
                wasched.contacts().create(ContactSpec.builder().name("Ann").phone("+4915112345678").build());
                assertThat(owned.contacts().findByPhone("+4915112345678")).as("the same database").isPresent();
            }
            owned.close();
            store.close();
            assertThat(client.getDatabase("wasched").getCollection("contacts").countDocuments())
                    .as("the application's client still open").isEqualTo(1);
        }
    }
}
