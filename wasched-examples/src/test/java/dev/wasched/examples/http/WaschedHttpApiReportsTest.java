package dev.wasched.examples.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wasched.Secret;
import dev.wasched.Wasched;
import dev.wasched.delivery.Delivery;
import dev.wasched.delivery.DeliveryStatus;
import dev.wasched.delivery.Recipient;
import dev.wasched.message.MessageContent;
import dev.wasched.store.jdbc.JdbcStore;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report and the CSV export over HTTP, on an embedded H2 store. */
class WaschedHttpApiReportsTest {
    private static final String KEY = "test-key-0123456789-abcdefghijklmnop";
    private static final Instant FIRE = Instant.parse("2026-05-04T08:00:00Z");
    private static final int ROWS = 3_000;
    @TempDir
    Path dir;
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    private JdbcStore store;
    private Wasched wasched;
    private WaschedHttpApi api;
    private String scheduleId;
    private final List<String> ids = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        store = JdbcStore.embedded(dir.resolve("db/wasched"));
        wasched = Wasched.builder().store(store).defaultRegion("DE").build();
        wasched.accounts().add(dev.wasched.account.AccountSpec.builder("shop").kind("whatsapp-web").build());
        api = WaschedHttpApi.start(wasched, Secret.of(KEY), new InetSocketAddress("127.0.0.1", 0));
        HttpResponse<String> created = send("POST", "/api/schedules", "{\"account\":\"shop\",\"to\":{\"group\":\"family\"},"
                + "\"text\":\"hi\",\"trigger\":{\"cron\":\"0 9 * * MON-FRI\",\"zone\":\"Europe/Berlin\"}}", KEY);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        scheduleId = json.readTree(created.body()).get("id").asText();
        Instant now = Instant.now();
        List<Delivery> many = new ArrayList<>();
        for (int i = 0; i < ROWS; i++) {
            String id = String.format("0190bbbb-0000-7000-8000-%012d", i);
            ids.add(id);
            many.add(Delivery.pending(id, scheduleId, FIRE, Recipient.number(String.format("+4915%09d", i),
                    ZoneOffset.UTC), "shop", MessageContent.text("hi"), now));
        }
        store.deliveries().insertAll(many);
        Delivery first = many.get(0).claimForSending("i1", now);
        store.deliveries().update(first);
        Delivery sent = first.sent("wamid.1", now, now);
        store.deliveries().update(sent);
        store.deliveries().update(sent.acknowledged(DeliveryStatus.READ, now));
        store.deliveries().markReplied(first.id(), now);
        Delivery second = many.get(1).claimForSending("i1", now);
        store.deliveries().update(second);
        store.deliveries().update(second.sent("wamid.2", now, now));
    }

    @AfterEach
    void stop() {
        api.close();
        wasched.close();
        store.close();
    }

    private HttpResponse<String> send(String method, String path, String body, String key) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.address().getPort() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            b.header("X-Api-Key", key);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aSchedulesReportHasItsOccurrencesTotalsAndRates() throws Exception {
        HttpResponse<String> r = send("GET", "/api/schedules/" + scheduleId + "/report", null, KEY);

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode report = json.readTree(r.body());
        assertThat(report.get("scheduleId").asText()).isEqualTo(scheduleId);
        JsonNode totals = report.get("totals");
        assertThat(totals.get("total").asLong()).isEqualTo(ROWS);
        assertThat(totals.get("sent").asLong()).isEqualTo(2);
        assertThat(totals.get("read").asLong()).isEqualTo(1);
        assertThat(totals.get("replied").asLong()).isEqualTo(1);
        assertThat(totals.get("readRate").asDouble()).isEqualTo(0.5);
        assertThat(totals.get("byStatus").get("PENDING").asLong()).isEqualTo(ROWS - 2);
        assertThat(totals.get("byStatus").get("DEAD").asLong()).isZero();
        assertThat(report.get("occurrences")).hasSize(1);
        assertThat(report.get("occurrences").get(0).get("fireAt").asText()).isEqualTo("2026-05-04T08:00:00Z");

        JsonNode later = json.readTree(send("GET", "/api/schedules/" + scheduleId
                + "/report?fireAt=2026-05-05T08:00:00Z", null, KEY).body());
        assertThat(later.get("total").asLong()).isZero();
        assertThat(later.get("readRate").isNull()).as("no rate while nothing was sent").isTrue();

        assertThat(send("GET", "/api/schedules/no-such/report", null, KEY).statusCode()).isEqualTo(404);
        assertThat(send("GET", "/api/schedules/" + scheduleId + "/report?fireAt=tomorrow", null, KEY).statusCode())
                .isEqualTo(400);
        assertThat(send("GET", "/api/schedules/" + scheduleId + "/report", null, null).statusCode()).isEqualTo(401);
    }

    @Test
    void theCsvExportIsStreamedChunkedWithEveryRowOnce() throws Exception {
        HttpResponse<String> r = send("GET", "/api/deliveries.csv?schedule=" + scheduleId, null, KEY);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).contains("text/csv; charset=utf-8");
        assertThat(r.headers().firstValue("Transfer-Encoding")).contains("chunked");
        assertThat(r.headers().firstValue("Content-Length")).isEmpty();
        String[] lines = r.body().split("\r\n");
        assertThat(lines[0]).startsWith("id,schedule_id,fire_at,");
        assertThat(lines).hasSize(ROWS + 1);
        Set<String> seen = new HashSet<>();
        for (int i = 1; i < lines.length; i++) {
            assertThat(seen.add(lines[i].substring(0, lines[i].indexOf(',')))).isTrue();
        }
        assertThat(seen).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(r.body().length()).as("more than one chunk").isGreaterThan(2 * StreamedBody.CHUNK);

        HttpResponse<String> read = send("GET", "/api/deliveries.csv?status=read&replied=true", null, KEY);
        assertThat(read.body().split("\r\n")).hasSize(2);
        assertThat(read.body()).contains(ids.get(0) + "," + scheduleId).contains(",'+4915000000000,");

        HttpResponse<String> bad = send("GET", "/api/deliveries.csv?status=LOST", null, KEY);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(json.readTree(bad.body()).get("field").asText()).isEqualTo("status");
        assertThat(send("GET", "/api/deliveries.csv", null, null).statusCode()).isEqualTo(401);
        assertThat(send("POST", "/api/deliveries.csv", "", KEY).statusCode()).isEqualTo(405);
    }

    @Test
    void aStoreThatFailsHalfwayLeavesTheAnswerVisiblyIncomplete() throws Exception {
        // The same store, whose third page of history fails.
        java.util.concurrent.atomic.AtomicInteger pages = new java.util.concurrent.atomic.AtomicInteger();
        dev.wasched.spi.store.DeliveryRepository failing = (dev.wasched.spi.store.DeliveryRepository)
                java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                        new Class<?>[]{dev.wasched.spi.store.DeliveryRepository.class}, (proxy, method, args) -> {
                            if (method.getName().equals("history") && pages.incrementAndGet() == 3) {
                                throw new dev.wasched.spi.store.StoreException("the database went away", null);
                            }
                            return method.invoke(store.deliveries(), args);
                        });
        dev.wasched.spi.store.WaschedStore flaky = (dev.wasched.spi.store.WaschedStore)
                java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                        new Class<?>[]{dev.wasched.spi.store.WaschedStore.class}, (proxy, method, args) ->
                                method.getName().equals("deliveries") ? failing : method.invoke(store, args));
        try (Wasched other = Wasched.builder().store(flaky).build();
             WaschedHttpApi otherApi = WaschedHttpApi.start(other, Secret.of(KEY),
                     new InetSocketAddress("127.0.0.1", 0))) {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + otherApi.address().getPort()
                    + "/api/deliveries.csv")).header("X-Api-Key", KEY).build();

            org.assertj.core.api.Assertions.assertThatThrownBy(() ->
                            http.send(request, HttpResponse.BodyHandlers.ofString()))
                    .as("no closing chunk: the client cannot take the first pages for the whole file")
                    .isInstanceOf(java.io.IOException.class);
            assertThat(pages.get()).isEqualTo(3);
        }
    }
}
