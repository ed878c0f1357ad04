package dev.wasched.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import dev.wasched.Wasched;
import dev.wasched.delivery.DeliveryStatus;
import dev.wasched.store.jdbc.JdbcStore;
import dev.wasched.store.jdbc.TestPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Three engine JVMs ({@link ChaosEngineMain}) on one PostgreSQL database drain a campaign; once part of it is out,
 * the busiest JVM is killed with SIGKILL. The survivors must take its session and delivery leases over and finish
 * the campaign. Afterwards every delivery is SENT exactly once (by the journals of all JVMs, the killed one's
 * included) or UNCERTAIN (the killed JVM was inside the send call: never resent), and none is left behind.
 *
 * <p>By default 1,000 deliveries with short leases (3 s); {@code -Dchaos.deliveries=20000} runs the full version,
 * which uses the builder's default leases (30 s) unless {@code -Dchaos.defaultLeases=false}. The time until the dead
 * JVM's leases are taken over is printed.
 */
@Tag("slow")
class ProcessChaosTest {
    private static final Logger log = LoggerFactory.getLogger(ProcessChaosTest.class);
    private static final int DEFAULT_DELIVERIES = 1_000;
    private static final int DELIVERIES = Integer.getInteger("chaos.deliveries", DEFAULT_DELIVERIES);
    private static final boolean DEFAULT_LEASES = Boolean.parseBoolean(
            System.getProperty("chaos.defaultLeases", String.valueOf(DELIVERIES > DEFAULT_DELIVERIES)));
    /** What each mode gives the builder; the takeover wait is bounded by these, not by the machine's speed. */
    private static final Duration LEASE = Duration.ofSeconds(DEFAULT_LEASES ? 30 : 3);
    private static final Duration TAKEOVER_SLACK = Duration.ofSeconds(5);
    private static final List<String> ACCOUNTS = List.of("acc-1", "acc-2", "acc-3", "acc-4", "acc-5", "acc-6");
    private static final int ENGINES = 3;
    private static final Set<DeliveryStatus> FINAL = EnumSet.of(DeliveryStatus.SENT, DeliveryStatus.UNCERTAIN);

    @Test
    @Timeout(value = 30, unit = TimeUnit.MINUTES)
    void aKilledEngineJvmLosesNothingAndResendsNothing(@TempDir Path dir) throws Exception {
        String schema = "chaos";
        try (HikariDataSource pool = TestPostgres.pool(schema, 4, true);
             JdbcStore store = JdbcStore.builder(pool).autoMigrate(true).build()) {
            Campaigns.createTaggedContacts(store, DELIVERIES, ACCOUNTS);
            try (Wasched setup = Wasched.builder().store(store).instanceId("setup").build()) {
                Campaigns.scheduleOneMessagePerContact(setup, ACCOUNTS);
            }
            List<EngineJvm> engines = new ArrayList<>();
            try {
                for (int i = 0; i < ENGINES; i++) {
                    engines.add(EngineJvm.start("engine-" + i, TestPostgres.schemaUrl(schema), dir));
                }
                long startedAt = System.nanoTime();
                await("a third of the campaign sent").atMost(Duration.ofMinutes(5))
                        .pollInterval(Duration.ofMillis(200))
                        .until(() -> totalSends(engines) >= DELIVERIES / 3);

                EngineJvm victim = busiest(engines);
                Set<String> victimAccounts = sessionsOwnedBy(store, victim.id);
                assertThat(victimAccounts).as("accounts the killed JVM was sending for").isNotEmpty();
                long sendsAtKill = totalSends(engines);
                long killedAt = System.nanoTime();
                victim.kill();
                log.info("killed {} (accounts {}) after {} of {} sends", victim.id, victimAccounts, sendsAtKill,
                        DELIVERIES);

                await("the killed JVM's leases taken over").atMost(LEASE.multipliedBy(4).plusSeconds(60))
                        .pollInterval(Duration.ofMillis(100))
                        .until(() -> takenOver(store, victim.id, victimAccounts));
                Duration takeover = Duration.ofNanos(System.nanoTime() - killedAt);
                String figure = String.format("takeover of the killed JVM's leases: %.1f s (lease %d s)",
                        takeover.toMillis() / 1000.0, LEASE.toSeconds());
                log.info(figure);
                // The bound: one lease duration after the last renewal (which came before the kill), plus the
                // scheduling slack of a loaded two-core machine running three engine JVMs and PostgreSQL.
                assertThat(takeover).as(figure).isLessThanOrEqualTo(LEASE.plus(TAKEOVER_SLACK));

                await("every delivery final").atMost(Duration.ofSeconds(120).plusMillis(DELIVERIES * 25L))
                        .pollInterval(Duration.ofMillis(200))
                        .until(() -> allFinal(store));
                log.info("{} deliveries final {} s after the start", DELIVERIES,
                        TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startedAt));
                for (EngineJvm e : engines) {
                    if (e != victim) {
                        long stopping = System.nanoTime();
                        assertThat(e.stop()).as(e.id + " exit code; its log:%n%s", e.logTail()).isZero();
                        log.info("{} stopped in {} ms", e.id, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopping));
                    }
                }

                Map<String, DeliveryStatus> statuses = statuses(pool);
                Map<String, Integer> sends = JournalingTransport.Journal.sendsPerDelivery(
                        engines.stream().map(e -> e.journal).toList());
                assertThat(statuses).as("deliveries fanned out").hasSize(DELIVERIES);
                assertThat(sends.keySet().stream().filter(id -> !statuses.containsKey(id)).toList())
                        .as("sends of unknown deliveries").isEmpty();
                assertThat(sends.entrySet().stream().filter(s -> s.getValue() > 1).toList())
                        .as("deliveries sent more than once").isEmpty();
                Set<String> sent = withStatus(statuses, DeliveryStatus.SENT);
                Set<String> uncertain = withStatus(statuses, DeliveryStatus.UNCERTAIN);
                assertThat(sent.size() + uncertain.size()).as("deliveries SENT or UNCERTAIN").isEqualTo(DELIVERIES);
                assertThat(sent.stream().filter(id -> sends.getOrDefault(id, 0) != 1).toList())
                        .as("SENT deliveries without exactly one send").isEmpty();
                // Only sends in progress become UNCERTAIN: the send window per account of the killed JVM at most.
                assertThat(uncertain.size()).as("UNCERTAIN deliveries")
                        .isLessThanOrEqualTo(victimAccounts.size() * ChaosEngineMain.SEND_WINDOW);
                long uncertainButOut = uncertain.stream().filter(sends::containsKey).count();
                log.info("{} SENT exactly once, {} UNCERTAIN ({} of them had reached WhatsApp before the kill)",
                        sent.size(), uncertain.size(), uncertainButOut);
            } finally {
                engines.forEach(EngineJvm::kill);
            }
        }
    }

    private static long totalSends(List<EngineJvm> engines) throws IOException {
        long n = 0;
        for (EngineJvm e : engines) {
            n += JournalingTransport.Journal.lines(e.journal);
        }
        return n;
    }

    private static EngineJvm busiest(List<EngineJvm> engines) throws IOException {
        EngineJvm best = engines.get(0);
        long most = -1;
        for (EngineJvm e : engines) {
            long n = JournalingTransport.Journal.lines(e.journal);
            if (n > most) {
                most = n;
                best = e;
            }
        }
        return best;
    }

    private static Set<String> sessionsOwnedBy(JdbcStore store, String instanceId) {
        return ACCOUNTS.stream()
                .filter(a -> store.leases().owner("session:" + a).filter(instanceId::equals).isPresent())
                .collect(Collectors.toSet());
    }

    /** Another instance holds each session the dead one held, and none of its claims or sends is left. */
    private static boolean takenOver(JdbcStore store, String dead, Set<String> deadAccounts) {
        boolean sessions = deadAccounts.stream().allMatch(a -> store.leases().owner("session:" + a)
                .filter(owner -> !owner.equals(dead)).isPresent());
        return sessions && store.deliveries().findLeasedBy(dead, 1).isEmpty();
    }

    private static boolean allFinal(JdbcStore store) {
        Map<DeliveryStatus, Long> counts = store.deliveries().countByStatus(null);
        long total = counts.values().stream().mapToLong(Long::longValue).sum();
        return total == DELIVERIES && FINAL.containsAll(counts.keySet());
    }

    private static Map<String, DeliveryStatus> statuses(HikariDataSource pool) throws SQLException {
        Map<String, DeliveryStatus> m = new HashMap<>();
        try (Connection c = pool.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, status FROM wasched_delivery")) {
            while (rs.next()) {
                m.put(rs.getString(1), DeliveryStatus.valueOf(rs.getString(2)));
            }
        }
        return m;
    }

    private static Set<String> withStatus(Map<String, DeliveryStatus> statuses, DeliveryStatus status) {
        return statuses.entrySet().stream().filter(e -> e.getValue() == status).map(Map.Entry::getKey)
                .collect(Collectors.toCollection(HashSet::new));
    }

    /** A forked {@code java} running {@link ChaosEngineMain}, its output in a log file beside its journal. */
    private static final class EngineJvm {
        final String id;
        final Path journal;
        final Path logFile;
        final Process process;

        private EngineJvm(String id, Path journal, Path logFile, Process process) {
            this.id = id;
            this.journal = journal;
            this.logFile = logFile;
            this.process = process;
        }

        static EngineJvm start(String id, String jdbcUrl, Path dir) throws IOException {
            Path journal = dir.resolve(id + ".sends");
            Path logFile = dir.resolve(id + ".log");
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-XX:+UseSerialGC", "-Dorg.slf4j.simpleLogger.defaultLogLevel=info",
                    "-cp", System.getProperty("java.class.path"), ChaosEngineMain.class.getName(),
                    jdbcUrl, id, journal.toString(), DEFAULT_LEASES ? "default" : "short"));
            command.addAll(ACCOUNTS);
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(logFile.toFile()).start();
            return new EngineJvm(id, journal, logFile, p);
        }

        /** SIGKILL: no shutdown hook, no close, no lease handed back. */
        void kill() {
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** A graceful stop: closing standard input makes the engine close; returns the exit code. */
        int stop() throws Exception {
            process.getOutputStream().close();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                kill();
                return -1;
            }
            return process.exitValue();
        }

        String logTail() {
            try {
                List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
                return String.join(System.lineSeparator(), lines.subList(Math.max(0, lines.size() - 40), lines.size()));
            } catch (IOException e) {
                return "(no log: " + e + ")";
            }
        }
    }
}
