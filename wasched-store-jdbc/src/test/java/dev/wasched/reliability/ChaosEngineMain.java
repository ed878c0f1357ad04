package dev.wasched.reliability;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.wasched.Wasched;
import dev.wasched.WaschedBuilder;
import dev.wasched.policy.PacingPolicy;
import dev.wasched.store.jdbc.JdbcStore;
import dev.wasched.testkit.transport.RecordingTransport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * One engine JVM of {@link ProcessChaosTest}: an engine on the given PostgreSQL schema with a journaling transport
 * for every account, running until its standard input closes (a graceful stop) or it is killed.
 *
 * <p>Arguments: JDBC URL, instance id, journal file, {@code short} or {@code default} leases, account names.
 */
public final class ChaosEngineMain {
    /** Deliveries of one account SENDING at once: the most a kill may leave UNCERTAIN per account. */
    static final int SEND_WINDOW = 4;

    private ChaosEngineMain() {
    }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        String instanceId = args[1];
        Path journalFile = Path.of(args[2]);
        boolean shortLeases = "short".equals(args[3]);
        List<String> accounts = List.of(args).subList(4, args.length);

        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        // Scheduler, one dispatcher per account, maintenance and the change listener.
        config.setMaximumPoolSize(accounts.size() + 4);
        config.setPoolName(instanceId);
        try (HikariDataSource pool = new HikariDataSource(config);
             JdbcStore store = JdbcStore.create(pool);
             JournalingTransport.Journal journal = new JournalingTransport.Journal(journalFile)) {
            WaschedBuilder builder = Wasched.builder().store(store).instanceId(instanceId)
                    .pacing(PacingPolicy.unlimited()).claimBatchSize(100)
                    .sendWindow(SEND_WINDOW);
            if (shortLeases) {
                builder.leaseDuration(Duration.ofSeconds(3)).heartbeatInterval(Duration.ofSeconds(1))
                        .fallbackPoll(Duration.ofSeconds(1));
            }
            for (String account : accounts) {
                builder.transport(account, () -> new JournalingTransport(new RecordingTransport(account), journal));
            }
            try (Wasched wasched = builder.build()) {
                wasched.start();
                while (System.in.read() != -1) {
                    // The test closes our standard input to stop us gracefully.
                }
            }
        }
    }
}
