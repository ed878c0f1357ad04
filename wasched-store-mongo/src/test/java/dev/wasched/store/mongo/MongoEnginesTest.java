package dev.wasched.store.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wasched.Wasched;
import dev.wasched.contact.ContactSpec;
import dev.wasched.delivery.Delivery;
import dev.wasched.delivery.DeliveryStatus;
import dev.wasched.delivery.Recipient;
import dev.wasched.message.MessageContent;
import dev.wasched.policy.PacingPolicy;
import dev.wasched.schedule.Schedule;
import dev.wasched.schedule.ScheduleSpec;
import dev.wasched.schedule.Target;
import dev.wasched.schedule.Trigger;
import dev.wasched.testkit.transport.MessageLog;
import dev.wasched.testkit.transport.RecordingTransport;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Real engines (real threads) on one MongoDB database, each with its own store object and client.
 *
 * <p>The campaign has 2,000 deliveries by default; {@code -Dmongo.engines.contacts=2500} runs the 10,000-delivery one.
 */
class MongoEnginesTest {
    private static final List<String> ACCOUNTS = List.of("acc-north", "acc-south", "acc-east", "acc-west");
    /** Contacts of the engine test; each gets one message from every account. */
    private static final int CONTACTS = Integer.getInteger("mongo.engines.contacts", 500);

    private String database;
    private final List<MongoStore> stores = new ArrayList<>();
    private final List<Wasched> engines = new ArrayList<>();

    @BeforeEach
    void database() {
        database = TestServer.freshDatabase();
    }

    @AfterEach
    void close() {
        engines.forEach(Wasched::close);
        stores.forEach(MongoStore::close);
        TestServer.drop(database);
    }

    private Wasched engine(String id, MessageLog truth) {
        MongoStore store = MongoStore.connect(TestServer.uri(), database);
        stores.add(store);
        var builder = Wasched.builder().store(store).instanceId(id).pacing(PacingPolicy.unlimited())
                .fallbackPoll(Duration.ofMillis(200)).heartbeatInterval(Duration.ofSeconds(1))
                .leaseDuration(Duration.ofSeconds(10));
        for (String a : ACCOUNTS) {
            builder.transport(a, () -> new RecordingTransport(a, truth));
        }
        Wasched w = builder.build();
        engines.add(w);
        return w;
    }

    @Test
    @Timeout(120)
    void threeEnginesSendACampaignExactlyOnce() throws Exception {
        int contacts = CONTACTS;
        MessageLog truth = new MessageLog();
        for (int e = 0; e < 3; e++) {
            engine("engine-" + e, truth);
        }
        // Throughput on the in-JVM server only; see TestServer.addLookupIndexes. The store's own indexes are there too.
        TestServer.addLookupIndexes(database);
        Wasched first = engines.get(0);
        long t0 = System.nanoTime();
        Set<String> phones = new HashSet<>();
        for (int i = 0; i < contacts; i++) {
            String phone = String.format("+4915%09d", 100_000_000 + i);
            phones.add(phone);
            first.contacts().create(ContactSpec.builder().name("Person " + i).phone(phone)
                    .tag(i % 2 == 0 ? "half-a" : "half-b").build());
        }
        // Two schedules per account, one per half of the contacts: one delivery per account and contact.
        for (String a : ACCOUNTS) {
            for (String tag : List.of("half-a", "half-b")) {
                first.schedules().create(ScheduleSpec.builder().account(a).to(Target.tag(tag))
                        .text("Hello {{name}} from " + a).trigger(Trigger.once(Instant.now())).build());
            }
        }
        long setUp = System.nanoTime();
        engines.forEach(Wasched::start);
        int expected = contacts * ACCOUNTS.size();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(100);
        while (truth.size() < expected && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        long sent = System.nanoTime();
        System.out.printf("engine test, %d deliveries: set-up %d ms, sending %d ms%n", expected,
                (setUp - t0) / 1_000_000, (sent - setUp) / 1_000_000);

        assertThat(truth.duplicates()).as("deliveries sent twice").isEmpty();
        Set<String> pairs = new HashSet<>();
        int twice = 0;
        for (MessageLog.Entry en : truth.entries()) {
            twice += pairs.add(en.account() + " to " + en.recipient()) ? 0 : 1;
        }
        assertThat(twice).as("recipients that got the same account's message twice").isZero();
        assertThat(pairs.size()).as("distinct (account, recipient) messages").isEqualTo(expected);
        assertThat(truth.entries().stream().filter(en -> !phones.contains(en.recipient())).count())
                .as("messages to unknown numbers").isZero();
        assertThat(truth.texts().stream().filter(t -> !t.startsWith("Hello Person ") || !t.contains(" from acc-"))
                .count()).as("wrongly rendered texts").isZero();
        Map<DeliveryStatus, Long> counts = stores.get(0).deliveries().countByStatus(null);
        assertThat(counts).containsEntry(DeliveryStatus.SENT, (long) expected);
        assertThat(counts.keySet()).containsOnly(DeliveryStatus.SENT);
        // Who ran which account, for the log: not asserted, since one quick engine may take every session lease.
        Set<String> owners = new HashSet<>();
        for (String a : ACCOUNTS) {
            stores.get(0).leases().owner("session:" + a).ifPresent(owners::add);
        }
        System.out.println("session owners: " + owners);
    }

    /**
     * An instance died after inserting an occurrence's delivery but before advancing the schedule. A fresh engine
     * fans the occurrence out again: it inserts nothing new, advances the schedule and sends the one delivery once.
     */
    @Test
    @Timeout(60)
    void anEngineFinishesTheFanOutOfACrashedInstance() throws Exception {
        MessageLog truth = new MessageLog();
        Wasched w = engine("survivor", truth);
        MongoStore store = stores.get(0);
        Schedule s = w.schedules().create(ScheduleSpec.builder().account("acc-north").to(Target.group("Team"))
                .text("Stand-up").trigger(Trigger.once(Instant.now())).build());
        Delivery orphan = Delivery.pending("0190ffff-0000-7000-8000-000000000001", s.id(), s.nextFireAt(),
                Recipient.group("Team", null), "acc-north", MessageContent.text("Stand-up"), Instant.now());
        assertThat(store.deliveries().insertAll(List.of(orphan))).isEqualTo(1);

        w.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while ((truth.size() < 1 || !store.schedules().findById(s.id()).orElseThrow().isComplete())
                && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        Thread.sleep(500); // room for a wrong second send
        assertThat(truth.entries()).hasSize(1);
        assertThat(truth.entries().get(0).deliveryId()).isEqualTo(orphan.id());
        assertThat(store.schedules().findById(s.id()).orElseThrow().runs()).isEqualTo(1);
        assertThat(store.deliveries().countByStatus(null)).containsOnly(Map.entry(DeliveryStatus.SENT, 1L));
    }
}
