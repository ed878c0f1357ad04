package dev.wasched.store.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import dev.wasched.PageRequest;
import dev.wasched.contact.Contact;
import dev.wasched.contact.PhoneNumber;
import dev.wasched.contact.Registration;
import dev.wasched.delivery.Delivery;
import dev.wasched.delivery.DeliveryQuery;
import dev.wasched.delivery.DeliveryStatus;
import dev.wasched.delivery.Recipient;
import dev.wasched.message.MediaAttachment;
import dev.wasched.message.MessageContent;
import dev.wasched.schedule.MisfirePolicy;
import dev.wasched.schedule.Schedule;
import dev.wasched.schedule.ScheduledMessage;
import dev.wasched.schedule.Target;
import dev.wasched.schedule.Trigger;
import dev.wasched.spi.store.ScheduleRepository.FanOutResult;
import dev.wasched.spi.store.SessionSnapshot;
import dev.wasched.spi.store.StoreException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What is particular to the MongoDB store: crash-safe fan-out without transactions, chunking, errors, indexes. */
class MongoStoreTest {
    private static final Instant T0 = Instant.parse("2026-05-04T10:15:30.123Z");

    private String database;
    private MongoStore store;

    @BeforeEach
    void open() {
        database = TestServer.freshDatabase();
        store = MongoStore.connect(TestServer.uri(), database);
    }

    @AfterEach
    void close() {
        store.close();
        TestServer.drop(database);
    }

    private MongoDatabase raw() {
        return TestServer.admin().getDatabase(database);
    }

    private static Schedule schedule(String id, Instant next) {
        return Schedule.builder().id(id).name("weekly").account("acc").target(Target.tag("vip"))
                .message(ScheduledMessage.text("Hi {{name}}")).trigger(Trigger.every(Duration.ofDays(7)))
                .misfire(MisfirePolicy.DEFAULT).nextFireAt(next).createdAt(T0).updatedAt(T0).version(1).build();
    }

    private static List<Delivery> occurrence(Schedule s, Instant fireAt, int recipients) {
        List<Delivery> out = new ArrayList<>();
        for (int i = 0; i < recipients; i++) {
            String phone = String.format("+4915%09d", 100_000_000 + i);
            out.add(Delivery.pending(UUID.randomUUID().toString(), s.id(), fireAt,
                    Recipient.contact("c" + i, phone, null), s.account(), MessageContent.text("Hi " + i), T0));
        }
        return out;
    }

    // ---- fan-out without transactions ---------------------------------------------------------------------

    @Test
    void crashBetweenInsertAndAdvanceNeitherLosesNorDuplicatesADelivery() {
        Schedule s = schedule("s1", T0);
        store.schedules().insert(s);
        Instant lease = T0.plusSeconds(30);

        // Instance 1 claims, inserts the deliveries of the occurrence, and dies before advancing the schedule.
        Schedule claimed = store.schedules().claimDue(T0, "i1", lease, 10).get(0);
        List<Delivery> first = occurrence(claimed, T0, 50);
        assertThat(store.deliveries().insertAll(first)).isEqualTo(50);

        // The schedule is still due; once the lease expires, instance 2 claims it and fans the occurrence out again
        // (new delivery ids, same unique keys).
        assertThat(store.schedules().claimDue(T0.plusSeconds(1), "i2", lease.plusSeconds(1), 10)).as("still leased")
                .isEmpty();
        Schedule again = store.schedules().claimDue(lease, "i2", lease.plusSeconds(30), 10).get(0);
        assertThat(again.nextFireAt()).isEqualTo(T0);
        List<Delivery> second = occurrence(again, T0, 50);
        Schedule advanced = again.advanced(T0.plus(Duration.ofDays(7)), 1, 0, lease);
        FanOutResult r = store.schedules().fanOut(advanced, second);

        assertThat(r).isEqualTo(new FanOutResult(0, true));
        assertThat(store.schedules().findById("s1")).contains(advanced);
        List<Delivery> stored = store.deliveries()
                .history(DeliveryQuery.all().forSchedule("s1"), PageRequest.first(1000)).items();
        assertThat(stored).hasSize(50).extracting(Delivery::id)
                .containsExactlyInAnyOrderElementsOf(first.stream().map(Delivery::id).toList());
        assertThat(stored).extracting(Delivery::uniqueKey).doesNotHaveDuplicates();
        assertThat(store.schedules().claimDue(lease.plusSeconds(60), "i3", lease.plusSeconds(90), 10)).as("advanced")
                .isEmpty();
    }

    @Test
    void crashHalfWayThroughTheInsertsIsCompletedByTheNextFanOut() {
        Schedule s = schedule("s2", T0);
        store.schedules().insert(s);
        Schedule claimed = store.schedules().claimDue(T0, "i1", T0.plusSeconds(30), 1).get(0);
        List<Delivery> all = occurrence(claimed, T0, 40);
        // Only the first 15 reached the database before the crash.
        assertThat(store.deliveries().insertAll(all.subList(0, 15))).isEqualTo(15);

        Schedule again = store.schedules().claimDue(T0.plusSeconds(30), "i2", T0.plusSeconds(60), 1).get(0);
        FanOutResult r = store.schedules().fanOut(again.advanced(null, 1, 0, T0.plusSeconds(30)),
                occurrence(again, T0, 40));

        assertThat(r).isEqualTo(new FanOutResult(25, true));
        assertThat(store.deliveries().countByStatus(null)).containsEntry(DeliveryStatus.PENDING, 40L);
        Set<String> keys = new HashSet<>();
        store.deliveries().history(DeliveryQuery.all(), PageRequest.first(1000)).items()
                .forEach(d -> assertThat(keys.add(d.uniqueKey())).as("key %s once", d.uniqueKey()).isTrue());
    }

    @Test
    void fanOutOfALostLeaseInsertsNothing() {
        store.schedules().insert(schedule("s3", T0));
        Schedule mine = store.schedules().claimDue(T0, "i1", T0.plusSeconds(30), 1).get(0);
        Schedule theirs = store.schedules().claimDue(T0.plusSeconds(30), "i2", T0.plusSeconds(60), 1).get(0);
        assertThat(theirs.version()).isEqualTo(mine.version() + 1);
        FanOutResult r = store.schedules().fanOut(mine.advanced(null, 1, 0, T0), occurrence(mine, T0, 5));
        assertThat(r).isEqualTo(new FanOutResult(0, false));
        assertThat(store.deliveries().countByStatus(null)).isEmpty();
    }

    @Test
    void insertAllCountsOnlyNewDeliveriesInAMixedBatch() {
        Schedule s = schedule("s4", T0);
        List<Delivery> ds = occurrence(s, T0, 10);
        assertThat(store.deliveries().insertAll(List.of(ds.get(1), ds.get(3), ds.get(8)))).isEqualTo(3);
        List<Delivery> retry = occurrence(s, T0, 10); // same keys, new ids
        List<Delivery> mixed = new ArrayList<>(retry);
        mixed.add(ds.get(1)); // same id again
        assertThat(store.deliveries().insertAll(mixed)).isEqualTo(7);
        assertThat(store.deliveries().countDue("acc", T0)).isEqualTo(10);
    }

    // ---- session snapshots over the document limit ---------------------------------------------------------

    private static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void twentyMegabyteSnapshotsAreChunkedAndReplacedAtomically() {
        byte[] v1 = random(20 * 1024 * 1024, 1);
        byte[] v2 = random(20 * 1024 * 1024 + 17, 2);
        assertThat(store.sessions().replace(new SessionSnapshot("acc", v1, "sha-1", true, T0, 1))).isTrue();
        SessionSnapshot back = store.sessions().load("acc").orElseThrow();
        assertThat(back.data()).isEqualTo(v1);
        assertThat(back.version()).isEqualTo(1);
        assertThat(raw().getCollection("session_chunks").countDocuments()).isEqualTo(20);
        Document head = raw().getCollection("sessions").find(Filters.eq("_id", "acc")).first();
        assertThat(head).isNotNull();
        assertThat(head.containsKey("data")).as("the head stays small").isFalse();

        assertThat(store.sessions().replace(new SessionSnapshot("acc", v2, "sha-2", true, T0.plusSeconds(1), 2)))
                .isTrue();
        assertThat(store.sessions().load("acc").orElseThrow().data()).isEqualTo(v2);
        assertThat(raw().getCollection("session_chunks").countDocuments()).as("old generation deleted").isEqualTo(21);

        // A stale writer wrote nothing that stays.
        assertThat(store.sessions().replace(new SessionSnapshot("acc", v1, "sha-3", true, T0, 2))).isFalse();
        assertThat(raw().getCollection("session_chunks").countDocuments()).isEqualTo(21);
        assertThat(store.sessions().load("acc").orElseThrow().sha256()).isEqualTo("sha-2");

        store.sessions().quarantine("acc", "checksum mismatch", T0.plusSeconds(2));
        assertThat(store.sessions().load("acc")).isEmpty();
        assertThat(store.sessions().quarantinedCount("acc")).isEqualTo(1);
        assertThat(raw().getCollection("session_chunks").countDocuments()).as("kept for inspection").isEqualTo(21);

        SessionSnapshot empty = new SessionSnapshot("acc", new byte[0], "sha-empty", false, T0, 1);
        assertThat(store.sessions().replace(empty)).isTrue();
        assertThat(store.sessions().load("acc").orElseThrow().data()).isEmpty();
        store.sessions().delete("acc");
        assertThat(store.sessions().load("acc")).isEmpty();
    }

    @Test
    void readersNeverSeeAMixOfTwoSnapshots() throws Exception {
        byte[] a = random(3 * 1024 * 1024 + 5, 3);
        byte[] b = random(3 * 1024 * 1024 + 9, 4);
        assertThat(store.sessions().replace(new SessionSnapshot("acc", a, "a", false, T0, 1))).isTrue();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicInteger reads = new AtomicInteger();
        Thread reader = new Thread(() -> {
            try (MongoStore other = MongoStore.connect(TestServer.uri(), database)) {
                while (!stop.get()) {
                    SessionSnapshot s = other.sessions().load("acc").orElseThrow();
                    byte[] expected = s.sha256().equals("a") ? a : b;
                    if (!java.util.Arrays.equals(expected, s.data())) {
                        throw new AssertionError("snapshot " + s + " does not hold its own bytes");
                    }
                    reads.incrementAndGet();
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        reader.start();
        for (int v = 2; v <= 12; v++) {
            boolean even = v % 2 == 0;
            assertThat(store.sessions().replace(new SessionSnapshot("acc", even ? b : a, even ? "b" : "a", false,
                    T0.plusSeconds(v), v))).isTrue();
        }
        stop.set(true);
        reader.join(30_000);
        assertThat(failure.get()).isNull();
        assertThat(reads.get()).isPositive();
    }

    @Test
    void mediaLargerThanOneDocumentRoundTrips() {
        byte[] big = random(17 * 1024 * 1024, 5);
        MediaAttachment m = new MediaAttachment("e".repeat(64), "video/mp4", "clip.mp4", big.length);
        store.media().put(m, big);
        store.media().put(m, big);
        assertThat(store.media().get(m.sha256())).hasValueSatisfying(b -> assertThat(b).isEqualTo(big));
        assertThat(raw().getCollection("media_chunks").countDocuments()).isEqualTo(17);
    }

    // ---- mapping ------------------------------------------------------------------------------------------

    @Test
    void userChosenKeysAndRegexCharactersAreSafe() {
        Schedule s = Schedule.builder().id("s5").name("").account("acc").target(Target.contacts("c1"))
                .message(ScheduledMessage.template("promo", Map.of("order.id", "7", "$price", "9", "", "empty")))
                .trigger(Trigger.cron("0 9 * * MON", ZoneId.of("Europe/Berlin"))).misfire(MisfirePolicy.skip())
                .nextFireAt(T0).createdAt(T0).updatedAt(T0).version(1).build();
        store.schedules().insert(s);
        assertThat(store.schedules().findById("s5")).contains(s);

        Contact c = new Contact("c1", "A.B (x) [*]", PhoneNumber.of("+14155550123"), Set.of("vip"),
                Map.of("a.b", "1", "$c", "2"), false, Registration.UNKNOWN, null, T0, T0, 1);
        store.contacts().insert(c);
        assertThat(store.contacts().findById("c1")).contains(c);
        assertThat(store.contacts().search("(x) [*", PageRequest.first(10)).items()).containsExactly(c);
        assertThat(store.contacts().search("a.b", PageRequest.first(10)).items()).containsExactly(c);
        assertThat(store.contacts().search("a.c", PageRequest.first(10)).items()).as("'.' is literal").isEmpty();
    }

    @Test
    void instantsAreBsonDates() {
        Delivery d = occurrence(schedule("s6", T0), T0, 1).get(0);
        store.deliveries().insertAll(List.of(d));
        Document raw = raw().getCollection("deliveries").find(Filters.eq("_id", d.id())).first();
        assertThat(raw.get("dueAt")).isInstanceOf(java.util.Date.class);
        assertThat(raw.get("recipient")).as("codec form, embedded").isInstanceOf(Document.class);
        assertThat(store.deliveries().findById(d.id())).contains(d);
    }

    @Test
    void indexesAreCreatedOnStart() {
        Map<String, Document> indexes = new java.util.HashMap<>();
        for (String collection : List.of("deliveries", "contacts", "schedules")) {
            raw().getCollection(collection).listIndexes().forEach(i -> indexes.put(i.getString("name"), i));
        }
        assertThat(indexes).containsKeys("fanout_key", "due_deliveries", "history_by_contact", "transport_message_id",
                "lease_owner", "phone_unique", "due_schedules");
        assertThat(indexes.get("fanout_key").get("key", Document.class).keySet())
                .containsExactly("scheduleId", "fireAt", "recipientKey");
        assertThat(indexes.get("fanout_key").getBoolean("unique")).isTrue();
        assertThat(indexes.get("phone_unique").getBoolean("unique")).isTrue();
        assertThat(indexes.get("due_deliveries").get("key", Document.class).keySet())
                .containsExactly("account", "status", "dueAt");
        // Starting a second store on the same database is harmless.
        MongoStore.connect(TestServer.uri(), database).close();
    }

    // ---- errors -------------------------------------------------------------------------------------------

    @Test
    void anUnreachableServerIsAStoreException() {
        MongoServer own = new MongoServer(new MemoryBackend());
        InetSocketAddress address = own.bind();
        String uri = "mongodb://127.0.0.1:" + address.getPort() + "/?serverSelectionTimeoutMS=500&connectTimeoutMS=500";
        MongoStore s = MongoStore.connect(uri, "gone");
        try {
            s.ping();
            own.shutdownNow();
            assertThatThrownBy(s::ping).isInstanceOf(StoreException.class).hasMessageContaining("ping");
            assertThatThrownBy(() -> s.deliveries().claimDue("acc", T0, new dev.wasched.spi.store.Lease("session:acc", "i1", 1), 10))
                    .isInstanceOf(StoreException.class);
        } finally {
            s.close();
            own.shutdownNow();
        }
        assertThatThrownBy(() -> MongoStore.connect(uri, "gone")).isInstanceOf(StoreException.class);
    }
}
