package dev.wasched.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.wasched.Wasched;
import dev.wasched.delivery.DeliveryStatus;
import dev.wasched.health.Health;
import dev.wasched.policy.PacingPolicy;
import dev.wasched.store.jdbc.JdbcStore;
import dev.wasched.testkit.transport.MessageLog;
import dev.wasched.testkit.transport.RecordingTransport;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL goes away under load and comes back on the same port with the same data directory. The engine (default
 * lease, heartbeat and poll settings) must report the outage, back off instead of hammering the database, go on by
 * itself once the database answers, and lose or repeat nothing.
 *
 * <p>The engine's store uses an unpooled DataSource, so every store call is one connection attempt and a loop that
 * retried without pausing would show up as thousands of them (the contacts are written through a pool beforehand). By
 * default the outage lasts 5 s (long enough for each loop to pause three times) and hits a campaign of 60 deliveries:
 * with a connection per store call each send costs several connections, and the campaign only has to be running when
 * the outage begins and still have work left when it ends. Depending on where it falls, a session lease may lapse
 * while its dispatcher takes back the batch the outage broke off. The longer runs use the same properties:
 * {@code -Doutage.seconds=10 -Doutage.deliveries=300} (the former default) or {@code -Doutage.seconds=30
 * -Doutage.deliveries=300}.
 */
@Tag("slow")
class DatabaseOutageTest {
    private static final Logger log = LoggerFactory.getLogger(DatabaseOutageTest.class);
    private static final Duration OUTAGE = Duration.ofSeconds(Long.getLong("outage.seconds", 5));
    private static final List<String> ACCOUNTS = List.of("acc-1", "acc-2", "acc-3");
    private static final int DELIVERIES = Integer.getInteger("outage.deliveries", 60);
    /** The builder's default heartbeat: maintenance tries the store once per interval. */
    private static final Duration HEARTBEAT = Duration.ofSeconds(10);

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void theEngineBacksOffDuringAnOutageAndResumesWithoutLosingOrRepeating(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("pgdata");
        int port = freePort();
        EmbeddedPostgres postgres = startPostgres(port, data);
        try {
            String url = postgres.getJdbcUrl("postgres", "postgres");
            List<String> phones;
            try (HikariDataSource setupPool = new HikariDataSource(poolConfig(url));
                 JdbcStore setup = JdbcStore.builder(setupPool).autoMigrate(true).build()) {
                phones = Campaigns.createTaggedContacts(setup, DELIVERIES, ACCOUNTS);
            }
            PGSimpleDataSource unpooled = new PGSimpleDataSource();
            unpooled.setUrl(url);
            CountingDataSource counting = new CountingDataSource(unpooled);
            MessageLog truth = new MessageLog();
            try (JdbcStore store = JdbcStore.create(counting)) {
                // A gap per account keeps the campaign running for some seconds, so the outage hits it mid-way.
                var builder = Wasched.builder().store(store).instanceId("outage")
                        .pacing(PacingPolicy.unlimited().withGap(Duration.ofMillis(50), Duration.ZERO));
                for (String a : ACCOUNTS) {
                    builder.transport(a, () -> new RecordingTransport(a, truth));
                }
                try (Wasched wasched = builder.build()) {
                    Campaigns.scheduleOneMessagePerContact(wasched, ACCOUNTS);
                    wasched.start();
                    await("a part of the campaign sent").atMost(Duration.ofSeconds(60))
                            .pollInterval(Duration.ofMillis(20)).until(() -> truth.size() >= DELIVERIES / 5);

                    postgres.close();
                    int sentBefore = truth.size();
                    long attemptsBefore = counting.requests();
                    log.info("PostgreSQL stopped after {} sends, for {}", sentBefore, OUTAGE);
                    // The outage itself is the point here, not a wait for something to happen.
                    Thread.sleep(OUTAGE.toMillis());
                    long attemptsDuring = counting.requests() - attemptsBefore;
                    int sentDuring = truth.size() - sentBefore;
                    Health health = wasched.health();
                    List<String> problems = wasched.diagnostics().recentProblems();
                    postgres = startPostgres(port, data);
                    log.info("PostgreSQL back after {}: {} connection attempts, {} sends while it was down", OUTAGE,
                            attemptsDuring, sentDuring);

                    assertThat(health.status()).isEqualTo(Health.Status.DOWN);
                    assertThat(health.store().reachable()).isFalse();
                    assertThat(problems).as("recent problems").anyMatch(p -> p.contains("failed"));
                    assertThat(sentDuring).as("sends while the store was down").isLessThanOrEqualTo(ACCOUNTS.size());
                    // Scheduler, each dispatcher and the change listener pause 1, 2, 4, 8, 16, 30 s after failures:
                    // about six tries each in 30 s. Maintenance tries once per heartbeat. Without back-off each
                    // loop would try hundreds of times a second.
                    long loops = ACCOUNTS.size() + 2;
                    long bound = loops * 8 + OUTAGE.dividedBy(HEARTBEAT) + 2;
                    assertThat(attemptsDuring).as("connection attempts during the outage").isLessThanOrEqualTo(bound);

                    await("the campaign finished after the outage").atMost(Duration.ofSeconds(120))
                            .pollInterval(Duration.ofMillis(200))
                            .untilAsserted(() -> assertThat(store.deliveries().countByStatus(null))
                                    .containsOnlyKeys(DeliveryStatus.SENT)
                                    .containsEntry(DeliveryStatus.SENT, (long) DELIVERIES));
                    assertThat(truth.duplicates()).as("deliveries sent twice").isEmpty();
                    List<String> recipients = truth.entries().stream().map(MessageLog.Entry::recipient).toList();
                    assertThat(recipients).hasSize(DELIVERIES).doesNotHaveDuplicates();
                    assertThat(new HashSet<>(recipients)).isEqualTo(new HashSet<>(phones));
                }
            }
        } finally {
            postgres.close();
        }
    }

    private static HikariConfig poolConfig(String url) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setMaximumPoolSize(4);
        return config;
    }

    /** A server on {@code port} over {@code data}: created on first start, reused (not wiped) on a restart. */
    private static EmbeddedPostgres startPostgres(int port, Path data) throws IOException {
        return EmbeddedPostgres.builder().setPort(port).setDataDirectory(data).setCleanDataDirectory(false).start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
