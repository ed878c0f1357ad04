package dev.wasched.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.zaxxer.hikari.HikariDataSource;
import dev.wasched.Secret;
import dev.wasched.Wasched;
import dev.wasched.contact.ContactSpec;
import dev.wasched.delivery.DeliveryStatus;
import dev.wasched.event.WaschedEvent;
import dev.wasched.policy.PacingPolicy;
import dev.wasched.policy.RetryPolicy;
import dev.wasched.schedule.ScheduleSpec;
import dev.wasched.schedule.Target;
import dev.wasched.schedule.Trigger;
import dev.wasched.spi.store.WaschedStore;
import dev.wasched.store.jdbc.JdbcStore;
import dev.wasched.store.jdbc.TestPostgres;
import dev.wasched.testkit.transport.MessageLog;
import dev.wasched.testkit.transport.RecordingTransport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Webhooks end to end: an engine on a real database sends through {@link RecordingTransport} while its webhook
 * receiver (a real HTTP server that checks every signature) answers 503, while a second endpoint refuses
 * connections and a third never answers; once the receiver is up again it gets every event, once per event id after
 * de-duplication, each delivery's events in order. Short back-off settings stand for the minute of downtime.
 */
class WebhookDeliveryTest {
    private static final String ACCOUNT = "acc-hooks";
    private static final Secret SECRET = Secret.of("whsec-test-0123456789");
    private static final int MESSAGES = 8;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private WaschedStore store(String database) throws IOException {
        if (database.equals("h2")) {
            Path dir = Files.createTempDirectory("wasched-webhooks");
            return JdbcStore.embedded(dir.resolve("db"));
        }
        HikariDataSource pool = TestPostgres.pool("webhooks", 4, true);
        open.add(pool);
        return JdbcStore.builder(pool).autoMigrate(true).build();
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aReceiverThatWasDownGetsEveryEventOncePerIdInOrderAndSendingNeverWaited(String database) throws Exception {
        Receiver receiver = new Receiver();
        open.add(receiver);
        receiver.down.set(true);
        WaschedStore store = store(database);
        open.add(store);
        RecordingTransport transport = new RecordingTransport(ACCOUNT);
        List<WaschedEvent> published = new CopyOnWriteArrayList<>();
        Wasched wasched = Wasched.builder().store(store).transport(transport).instanceId("hooks-1")
                .pacing(PacingPolicy.unlimited()).listener(published::add)
                .webhooks(WebhookOptions.DEFAULT.withPollInterval(Duration.ofMillis(50))
                        .withRetry(new RetryPolicy(100, Duration.ofMillis(20), Duration.ofMillis(200), 2.0, 0.25))
                        .withRequestTimeout(Duration.ofSeconds(2)))
                .build();
        open.add(wasched);
        WebhookEndpoint live = wasched.webhooks().register(new WebhookSpec(receiver.url(),
                Set.of("DeliverySent", "DeliveryAcknowledged"), SECRET));
        wasched.webhooks().register(WebhookSpec.of("http://127.0.0.1:" + closedPort() + "/hooks", SECRET));
        ServerSocket silent = new ServerSocket(0); // connects, never answers: every request waits for its timeout
        open.add(silent);
        wasched.webhooks().register(WebhookSpec.of("http://127.0.0.1:" + silent.getLocalPort() + "/hooks", SECRET));
        wasched.start();

        for (int i = 0; i < MESSAGES; i++) {
            wasched.contacts().create(ContactSpec.builder().name("Person " + i)
                    .phone(String.format("+49151234567%02d", i)).tags(Set.of("hooks")).build());
        }
        wasched.schedules().create(ScheduleSpec.builder().name("hooks").account(ACCOUNT).to(Target.tag("hooks"))
                .text("Hello {{name}}").trigger(Trigger.once(Instant.now())).build());

        // Every message goes out while the receiver answers 503 and the other endpoints refuse or never answer.
        await().atMost(Duration.ofSeconds(60)).until(() -> transport.sent().size() == MESSAGES);
        for (MessageLog.Entry sent : transport.sent()) {
            transport.ack(sent.messageId(), DeliveryStatus.DELIVERED);
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> receiver.refused.get() >= 3 && events(published,
                WaschedEvent.DeliveryAcknowledged.class) == MESSAGES);
        assertThat(receiver.received).as("nothing accepted while down").isEmpty();
        assertThat(transport.sent()).hasSize(MESSAGES);

        receiver.down.set(false);
        Map<String, List<String>> expected = new LinkedHashMap<>();
        for (WaschedEvent e : published) {
            if (e instanceof WaschedEvent.DeliverySent s) {
                expected.computeIfAbsent(s.delivery().id(), k -> new ArrayList<>()).add("DeliverySent");
            } else if (e instanceof WaschedEvent.DeliveryAcknowledged a) {
                expected.computeIfAbsent(a.delivery().id(), k -> new ArrayList<>()).add("DeliveryAcknowledged");
            }
        }
        assertThat(expected).hasSize(MESSAGES);
        await().atMost(Duration.ofSeconds(60)).until(() -> receiver.byDelivery().equals(expected));

        assertThat(receiver.badSignatures.get()).isZero();
        Map<String, Long> idsPerEvent = receiver.received.stream().collect(Collectors.groupingBy(
                r -> r.deliveryId + "/" + r.type, Collectors.mapping(r -> r.eventId, Collectors.toSet()))).entrySet()
                .stream().collect(Collectors.toMap(Map.Entry::getKey, e -> (long) e.getValue().size()));
        assertThat(idsPerEvent).as("one event id per event, however often it was sent").hasSize(2 * MESSAGES)
                .allSatisfy((k, n) -> assertThat(n).isEqualTo(1L));
        for (Received r : receiver.received) {
            assertThat(r.headerType).isEqualTo(r.type);
            assertThat(r.headerEventId).isEqualTo(r.eventId);
        }
        assertThat(wasched.webhooks().failed(live.id(), 10)).isEmpty();
    }

    private static long events(List<WaschedEvent> published, Class<?> kind) {
        return published.stream().filter(kind::isInstance).count();
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private record Received(String eventId, String type, String deliveryId, String headerEventId,
                            String headerType) {
    }

    /** A webhook receiver: checks the signature of every request, answers 503 while down, 200 otherwise. */
    private static final class Receiver implements AutoCloseable {
        final AtomicBoolean down = new AtomicBoolean();
        final AtomicInteger refused = new AtomicInteger();
        final AtomicInteger badSignatures = new AtomicInteger();
        final List<Received> received = new CopyOnWriteArrayList<>();
        private final HttpServer server;

        Receiver() throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/hooks", this::handle);
            server.start();
        }

        java.net.URI url() {
            return java.net.URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hooks");
        }

        private void handle(HttpExchange x) throws IOException {
            try (x) {
                String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                String timestamp = x.getRequestHeaders().getFirst(WebhookSignature.TIMESTAMP_HEADER);
                String signature = x.getRequestHeaders().getFirst(WebhookSignature.SIGNATURE_HEADER);
                if (!WebhookSignature.verify(SECRET, timestamp, body, signature, Duration.ofMinutes(5),
                        Instant.now())) {
                    badSignatures.incrementAndGet();
                    x.sendResponseHeaders(401, -1);
                    return;
                }
                if (down.get()) {
                    refused.incrementAndGet();
                    x.sendResponseHeaders(503, -1);
                    return;
                }
                JsonNode json = JSON.readTree(body);
                received.add(new Received(json.get("id").asText(), json.get("type").asText(),
                        json.get("data").get("delivery").get("id").asText(),
                        x.getRequestHeaders().getFirst(WebhookSignature.EVENT_ID_HEADER),
                        x.getRequestHeaders().getFirst(WebhookSignature.EVENT_TYPE_HEADER)));
                x.sendResponseHeaders(200, -1);
            } catch (RuntimeException e) {
                throw new UncheckedIOException(new IOException(e));
            }
        }

        /** Per delivery, the types of its events in the order their first copy arrived (duplicates dropped by id). */
        synchronized Map<String, List<String>> byDelivery() {
            Map<String, List<String>> out = new LinkedHashMap<>();
            Set<String> ids = new java.util.HashSet<>();
            for (Received r : received) {
                if (ids.add(r.eventId)) {
                    out.computeIfAbsent(r.deliveryId, k -> new ArrayList<>()).add(r.type);
                }
            }
            return out.entrySet().stream().sorted(Map.Entry.comparingByKey()).collect(Collectors.toMap(
                    Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new));
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
