package dev.wasched.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.wasched.Wasched;
import dev.wasched.reliability.Campaigns;
import dev.wasched.delivery.DeliveryStatus;
import dev.wasched.policy.PacingPolicy;
import dev.wasched.testkit.transport.MessageLog;
import dev.wasched.testkit.transport.RecordingTransport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Three engines, each with its own pool and JdbcStore on one PostgreSQL database, running on real threads, send a
 * campaign over six WhatsApp accounts. Part way one engine shuts down, so its accounts move to the others. Every
 * message must reach WhatsApp (the shared recording log) exactly once.
 *
 * <p>By default 3,000 messages, many claim batches per account on each side of the hand-over;
 * {@code -Dengines.deliveries=10000} runs the large campaign.
 */
class ThreeEnginesOnePostgresTest {
    private static final Logger log = LoggerFactory.getLogger(ThreeEnginesOnePostgresTest.class);
    private static final int TOTAL = Integer.getInteger("engines.deliveries", 3_000);
    private static final List<String> ACCOUNTS = List.of("acc-1", "acc-2", "acc-3", "acc-4", "acc-5", "acc-6");

    @Test
    @Timeout(120)
    void aCampaignGoesOutExactlyOnceWhileAccountsChangeHands() throws Exception {
        long t0 = System.nanoTime();
        List<String> phones = new ArrayList<>();
        try (HikariDataSource setupPool = TestPostgres.pool("engines", 8, true);
             JdbcStore setup = JdbcStore.builder(setupPool).autoMigrate(true).build()) {
            phones.addAll(Campaigns.createTaggedContacts(setup, TOTAL, ACCOUNTS));
        }
        long t1 = System.nanoTime();
        log.info("{} contacts in {} ms", TOTAL, (t1 - t0) / 1_000_000);

        MessageLog truth = new MessageLog();
        Map<String, List<RecordingTransport>> transportsByEngine = new ConcurrentHashMap<>();
        List<Wasched> engines = new ArrayList<>();
        List<PooledStore> stores = new ArrayList<>();
        try {
            for (int e = 0; e < 3; e++) {
                String id = "engine-" + e;
                // Scheduler, one dispatcher per account, maintenance, listener, API calls: 10 is ample.
                HikariDataSource pool = TestPostgres.pool("engines", 10, false);
                PooledStore store = new PooledStore(JdbcStore.create(pool), pool);
                stores.add(store);
                List<RecordingTransport> mine = new CopyOnWriteArrayList<>();
                transportsByEngine.put(id, mine);
                var builder = Wasched.builder().store(store).instanceId(id).pacing(PacingPolicy.unlimited())
                        .leaseDuration(Duration.ofSeconds(6)).heartbeatInterval(Duration.ofMillis(500))
                        .fallbackPoll(Duration.ofSeconds(2)).claimBatchSize(100);
                for (String a : ACCOUNTS) {
                    builder.transport(a, () -> {
                        RecordingTransport t = new RecordingTransport(a, truth);
                        mine.add(t);
                        return t;
                    });
                }
                engines.add(builder.build());
            }
            Campaigns.scheduleOneMessagePerContact(engines.get(0), ACCOUNTS);
            engines.forEach(Wasched::start);

            waitFor(() -> truth.size() >= TOTAL * 3 / 10, 60);
            Set<String> ownedByFirst = new HashSet<>();
            for (RecordingTransport t : transportsByEngine.get("engine-0")) {
                if (t.attempts() > 0) {
                    ownedByFirst.add(t.account());
                }
            }
            log.info("{} sent; engine-0 (accounts {}) shuts down", truth.size(), ownedByFirst);
            engines.get(0).close();
            int atHandOver = truth.size();

            waitFor(() -> truth.size() >= TOTAL, 90);
            long t2 = System.nanoTime();
            log.info("{} messages sent by three engines in {} ms (setup {} ms)", truth.size(), (t2 - t1) / 1_000_000,
                    (t1 - t0) / 1_000_000);
            Thread.sleep(500);

            assertThat(truth.duplicates()).as("deliveries sent twice").isEmpty();
            List<String> recipients = truth.entries().stream().map(MessageLog.Entry::recipient).toList();
            assertThat(recipients).hasSize(TOTAL).doesNotHaveDuplicates();
            assertThat(new HashSet<>(recipients)).isEqualTo(new HashSet<>(phones));
            Map<DeliveryStatus, Long> counts = stores.get(1).deliveries().countByStatus(null);
            assertThat(counts).containsEntry(DeliveryStatus.SENT, (long) TOTAL);
            assertThat(counts.keySet()).containsOnly(DeliveryStatus.SENT);
            assertThat(atHandOver).as("work left for the others").isLessThan(TOTAL);
            // The accounts engine-0 had sent for went on from engines 1 and 2.
            Set<String> continuedElsewhere = new HashSet<>();
            for (String e : List.of("engine-1", "engine-2")) {
                for (RecordingTransport t : transportsByEngine.get(e)) {
                    if (t.attempts() > 0) {
                        continuedElsewhere.add(t.account());
                    }
                }
            }
            assertThat(continuedElsewhere).containsAll(ownedByFirst);
        } finally {
            engines.forEach(Wasched::close);
            stores.forEach(PooledStore::close);
        }
    }

    private static void waitFor(java.util.function.BooleanSupplier condition, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }
}
