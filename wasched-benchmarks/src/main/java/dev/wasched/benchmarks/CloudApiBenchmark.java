package dev.wasched.benchmarks;

import dev.wasched.Secret;
import dev.wasched.Wasched;
import dev.wasched.contact.ContactSpec;
import dev.wasched.delivery.DeliveryStatus;
import dev.wasched.schedule.ScheduleSpec;
import dev.wasched.schedule.Target;
import dev.wasched.schedule.Trigger;
import dev.wasched.session.AccountState;
import dev.wasched.store.jdbc.JdbcStore;
import dev.wasched.testkit.cloud.CloudMessage;
import dev.wasched.testkit.cloud.CloudStatus;
import dev.wasched.testkit.cloud.FakeCloudApi;
import dev.wasched.whatsapp.cloud.CloudApiConfig;
import dev.wasched.whatsapp.cloud.CloudApiTransport;
import dev.wasched.whatsapp.cloud.CloudWebhook;
import dev.wasched.whatsapp.cloud.CloudWebhookServer;
import dev.wasched.whatsapp.cloud.ServiceWindowPolicy;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * CLOUD: one Cloud API number, pacing off ({@link CloudApiTransport#PACING}, no throughput limit in the transport), a tag campaign of
 * {@code bench.cloud.messages} contacts through the engine on PostgreSQL to the fake Cloud API over HTTP, whose
 * SENT and DELIVERED statuses come back by signed webhook to a {@link CloudWebhookServer}. Then every message is
 * marked read at once. Reported: messages sent per second (from the campaign's creation until every delivery was
 * SENT or further, fan-out included), the rate at which the fake accepted them (first to last), webhook status events applied per second into the store (DELIVERED during the campaign, READ
 * after it), and duplicates (messages the fake accepted for the same delivery).
 */
final class CloudApiBenchmark {
    private static final String ACCOUNT = "cloud-bench";

    record Result(int messages, boolean complete, double sentPerSecond, double apiPerSecond,
                  double deliveredAckedPerSecond,
                  double readAckedPerSecond, long webhookEventsApplied, int duplicates) {
    }

    private final PostgresServer postgres;
    private final int messages;
    /** Sends in flight at once: the transport's maxConcurrentSends and the engine's send window. */
    private final int atOnce;

    CloudApiBenchmark(PostgresServer postgres) {
        this.postgres = postgres;
        this.messages = Integer.getInteger("bench.cloud.messages", 5_000);
        this.atOnce = Integer.getInteger("bench.cloud.atOnce", CloudApiConfig.DEFAULT_CONCURRENT_SENDS);
    }

    Result run() throws InterruptedException {
        postgres.freshSchema("cloud");
        CloudStatus acks = CloudStatus.valueOf(System.getProperty("bench.cloud.autoStatus", "DELIVERED"));
        try (FakeCloudApi api = FakeCloudApi.builder().enforceServiceWindow(false).autoStatusUpTo(acks).start();
             PostgresServer.CountedPool pool = postgres.pool("cloud");
             JdbcStore store = JdbcStore.builder(pool.dataSource()).autoMigrate(true).build()) {
            CloudWebhook webhook = CloudWebhook.builder().appSecret(Secret.of(api.appSecret()))
                    .verifyToken(Secret.of("bench")).build();
            try (CloudWebhookServer server = CloudWebhookServer.start(webhook, new InetSocketAddress("127.0.0.1", 0),
                    "/whatsapp")) {
                api.webhookUrl(server.url());
                CloudApiConfig config = CloudApiConfig.builder().account(ACCOUNT).phoneNumberId(api.phoneNumberId())
                        .accessToken(Secret.of(api.accessToken())).baseUrl(api.baseUrl()).webhook(webhook)
                        .serviceWindow(ServiceWindowPolicy.LEAVE_TO_API).maxConcurrentSends(atOnce)
                        .messagesPerSecond(0).build(); // pacing off: no throughput limit of its own
                try (Wasched wasched = Wasched.builder().store(store).instanceId("cloud-bench")
                        .transport(ACCOUNT, () -> new CloudApiTransport(config))
                        .pacing(ACCOUNT, CloudApiTransport.PACING).sendWindow(atOnce).build()) {
                    wasched.start();
                    waitFor(() -> wasched.sessions().status(ACCOUNT).state() == AccountState.READY,
                            Duration.ofSeconds(30));
                    for (int i = 0; i < messages; i++) {
                        String phone = String.format("+4917%08d", 10_000_000 + i);
                        api.registerNumber(phone);
                        wasched.contacts().create(ContactSpec.builder().name("C" + i).phone(phone).tag("bench").build());
                    }
                    Instant start = Instant.now();
                    long t0 = System.nanoTime();
                    wasched.schedules().create(ScheduleSpec.builder().account(ACCOUNT).to(Target.tag("bench"))
                            .text("Spring sale starts today").trigger(Trigger.once(start)).build());
                    Duration limit = Duration.ofSeconds(60 + messages / 20);
                    boolean sent = waitFor(() -> atLeast(wasched, DeliveryStatus.SENT) >= messages, limit);
                    double sentSeconds = (System.nanoTime() - t0) / 1e9;
                    boolean delivered = acks == CloudStatus.SENT
                            || waitFor(() -> atLeast(wasched, DeliveryStatus.DELIVERED) >= messages, limit);
                    double deliveredSeconds = (System.nanoTime() - t0) / 1e9;
                    long r0 = System.nanoTime();
                    for (CloudMessage m : api.messages()) {
                        api.status(m.id(), CloudStatus.READ);
                    }
                    boolean read = waitFor(() -> atLeast(wasched, DeliveryStatus.READ) >= messages, limit);
                    double readSeconds = (System.nanoTime() - r0) / 1e9;
                    Set<String> markers = new HashSet<>();
                    int duplicates = 0;
                    for (CloudMessage m : api.messages()) {
                        String delivery = m.callbackData().split(":")[1];
                        if (!markers.add(delivery)) {
                            duplicates++;
                        }
                    }
                    var accepted = api.messages();
                    double apiSeconds = Duration.between(accepted.get(0).at(), accepted.get(accepted.size() - 1).at())
                            .toNanos() / 1e9;
                    return new Result(messages, sent && delivered && read, messages / sentSeconds,
                            (accepted.size() - 1) / apiSeconds,
                            messages / deliveredSeconds, messages / readSeconds, webhook.appliedEvents(), duplicates);
                }
            }
        }
    }

    /** Deliveries of the account at {@code level} or further along SENT → DELIVERED → READ. */
    private static long atLeast(Wasched wasched, DeliveryStatus level) {
        Map<DeliveryStatus, Long> counts = wasched.deliveries().counts(ACCOUNT);
        long n = counts.getOrDefault(DeliveryStatus.READ, 0L);
        if (level != DeliveryStatus.READ) {
            n += counts.getOrDefault(DeliveryStatus.DELIVERED, 0L);
        }
        if (level == DeliveryStatus.SENT) {
            n += counts.getOrDefault(DeliveryStatus.SENT, 0L);
        }
        return n;
    }

    private static boolean waitFor(java.util.function.BooleanSupplier done, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }
}
