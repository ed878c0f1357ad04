package dev.wasched.examples.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wasched.Secret;
import dev.wasched.Wasched;
import dev.wasched.memory.InMemoryStore;
import dev.wasched.policy.PacingPolicy;
import dev.wasched.testkit.SettableClock;
import dev.wasched.testkit.transport.RecordingTransport;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WaschedHttpApiTest {
    private static final String KEY = "test-key-0123456789-abcdefghijklmnop";
    private final SettableClock clock = SettableClock.at("2026-06-01T08:00:00Z");
    private final RecordingTransport transport = new RecordingTransport("shop");
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    private Wasched wasched;
    private WaschedHttpApi api;

    @BeforeEach
    void start() throws Exception {
        wasched = Wasched.builder().store(new InMemoryStore()).clock(clock).transport(transport)
                .pacing(PacingPolicy.unlimited()).defaultRegion("DE").build();
        api = WaschedHttpApi.start(wasched, Secret.of(KEY), new InetSocketAddress("127.0.0.1", 0));
    }

    @AfterEach
    void stop() {
        api.close();
        wasched.close();
    }

    private record Answer(int status, JsonNode body) {
    }

    private Answer call(String method, String path, String body, String key) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.address().getPort() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.body().isEmpty() ? null : json.readTree(r.body()));
    }

    private Answer call(String method, String path, String body) throws Exception {
        return call(method, path, body, KEY);
    }

    @Test
    void withoutTheRightKeyEverythingIs401() throws Exception {
        assertThat(call("GET", "/api/contacts", null, null).status()).isEqualTo(401);
        assertThat(call("GET", "/api/contacts", null, KEY + "x").status()).isEqualTo(401);
        assertThat(call("GET", "/api/contacts", null, KEY.substring(1)).status()).isEqualTo(401);
        assertThat(call("GET", "/healthz", null, null).status()).as("liveness is open").isEqualTo(200);
    }

    @Test
    void contactsScheduleAndDeliveriesEndToEnd() throws Exception {
        Answer created = call("POST", "/api/contacts",
                "{\"name\":\"Ann\",\"phone\":\"0151 12345678\",\"tags\":[\"VIP\"],\"fields\":{\"city\":\"Köln\"}}");
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.body().get("phone").asText()).isEqualTo("+4915112345678");
        assertThat(created.body().get("tags").get(0).asText()).isEqualTo("vip");
        String id = created.body().get("id").asText();
        assertThat(call("GET", "/api/contacts/" + id, null).body().get("name").asText()).isEqualTo("Ann");
        assertThat(call("GET", "/api/contacts?tag=vip", null).body().get("items")).hasSize(1);

        Answer schedule = call("POST", "/api/schedules", "{\"account\":\"shop\",\"to\":{\"tag\":\"vip\"},"
                + "\"text\":\"Hi {{name}} from {{city}}\",\"trigger\":{\"once\":\"2026-06-01T08:00:00Z\"}}");
        assertThat(schedule.status()).isEqualTo(201);
        assertThat(schedule.body().get("trigger").get("type").asText()).isEqualTo("once");
        wasched.runDue();
        assertThat(transport.sent()).singleElement().satisfies(m -> assertThat(m.text()).isEqualTo("Hi Ann from Köln"));
        Answer deliveries = call("GET", "/api/deliveries?status=sent", null);
        assertThat(deliveries.body().get("items")).singleElement()
                .satisfies(d -> assertThat(d.get("recipient").asText()).isEqualTo("+4915112345678"));
        String deliveryId = deliveries.body().get("items").get(0).get("id").asText();
        assertThat(call("POST", "/api/deliveries/" + deliveryId + "/requeue", null).status())
                .as("a SENT delivery cannot be requeued").isEqualTo(409);

        String scheduleId = schedule.body().get("id").asText();
        assertThat(call("POST", "/api/schedules/" + scheduleId + "/pause", null).body().get("paused").asBoolean()).isTrue();
        assertThat(call("DELETE", "/api/schedules/" + scheduleId, null).status()).isEqualTo(204);
        assertThat(call("GET", "/api/schedules/" + scheduleId, null).status()).isEqualTo(404);
        assertThat(call("POST", "/api/contacts/" + id + "/opt-out", null).body().get("optedOut").asBoolean()).isTrue();
    }

    private List<JsonNode> items(String path) throws Exception {
        List<JsonNode> out = new java.util.ArrayList<>();
        call("GET", path, null).body().get("items").forEach(out::add);
        return out;
    }

    @Test
    void webhooksAreRegisteredListedAndRemovedWithoutShowingTheSecret() throws Exception {
        Answer bad = call("POST", "/api/webhooks", "{\"url\":\"ftp://hooks.example.com/in\",\"secret\":\"s3\"}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body().get("field").asText()).isEqualTo("url");
        assertThat(call("POST", "/api/webhooks", "{\"url\":\"https://hooks.example.com/in\",\"secret\":\"s3\","
                + "\"events\":[\"NoSuchEvent\"]}").body().get("field").asText()).isEqualTo("events");

        Answer created = call("POST", "/api/webhooks", "{\"url\":\"https://hooks.example.com/in\",\"secret\":\"s3\","
                + "\"events\":[\"DeliverySent\",\"DeliveryDead\"]}");
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.body().has("secret")).isFalse();
        String id = created.body().get("id").asText();
        assertThat(items("/api/webhooks")).singleElement()
                .satisfies(w -> assertThat(w.get("url").asText()).isEqualTo("https://hooks.example.com/in"));
        assertThat(wasched.webhooks().find(id).orElseThrow().secret().reveal()).isEqualTo("s3");
        assertThat(items("/api/webhooks/" + id + "/failed")).isEmpty();
        assertThat(call("DELETE", "/api/webhooks/" + id, null).status()).isEqualTo(204);
        assertThat(call("DELETE", "/api/webhooks/" + id, null).status()).isEqualTo(404);
        assertThat(items("/api/webhooks")).isEmpty();
    }

    @Test
    void aScheduleIsEditedAndDeliveriesCancelledAndDismissed() throws Exception {
        String body = "{\"account\":\"shop\",\"to\":{\"group\":\"g\"},\"text\":\"%s\","
                + "\"trigger\":{\"once\":\"2026-06-01T08:00:30Z\"}%s}";
        Answer created = call("POST", "/api/schedules", String.format(body, "old words", ""));
        String id = created.body().get("id").asText();
        wasched.runDue(); // made ahead, due at 08:00:30: the fan-out wrote a new version of the schedule
        long version = call("GET", "/api/schedules/" + id, null).body().get("version").asLong();
        assertThat(version).isGreaterThan(created.body().get("version").asLong());
        assertThat(items("/api/deliveries?status=PENDING")).singleElement()
                .satisfies(d -> assertThat(d.get("fireAt").asText()).isEqualTo("2026-06-01T08:00:30Z"));

        Answer edited = call("PUT", "/api/schedules/" + id, String.format(body, "new words", ",\"version\":" + version));
        assertThat(edited.status()).as(String.valueOf(edited.body())).isEqualTo(200);
        assertThat(edited.body().get("version").asLong()).isEqualTo(version + 1);
        Answer stale = call("PUT", "/api/schedules/" + id, String.format(body, "stale", ",\"version\":" + version));
        assertThat(stale.status()).isEqualTo(409);
        assertThat(call("PUT", "/api/schedules/nope", String.format(body, "x", "")).status()).isEqualTo(404);
        clock.advance(Duration.ofSeconds(30));
        wasched.runDue();
        assertThat(transport.sent()).singleElement().satisfies(m -> assertThat(m.text()).isEqualTo("new words"));

        call("POST", "/api/schedules", "{\"account\":\"shop\",\"to\":{\"group\":\"h\"},\"text\":\"x\","
                + "\"trigger\":{\"once\":\"2026-06-01T08:01:00Z\"}}");
        wasched.runDue();
        String pending = items("/api/deliveries?status=PENDING").get(0).get("id").asText();
        Answer cancelled = call("POST", "/api/deliveries/" + pending + "/cancel", null);
        assertThat(cancelled.body().get("status").asText()).isEqualTo("CANCELLED");
        assertThat(cancelled.body().get("lastError").asText()).isEqualTo("cancelled by hand");
        assertThat(call("POST", "/api/deliveries/" + pending + "/cancel", null).status()).isEqualTo(409);

        transport.failPermanentlyFor("dead-end");
        call("POST", "/api/schedules", "{\"account\":\"shop\",\"to\":{\"group\":\"dead-end\"},\"text\":\"x\","
                + "\"trigger\":{\"once\":\"2026-06-01T08:00:30Z\"}}");
        wasched.runDue();
        JsonNode dead = items("/api/deliveries?status=DEAD").get(0);
        String deadId = dead.get("id").asText();
        long deadVersion = dead.get("version").asLong();
        assertThat(call("POST", "/api/deliveries/" + deadId + "/dismiss?version=" + (deadVersion - 1), null).status())
                .isEqualTo(409);
        assertThat(call("POST", "/api/deliveries/" + deadId + "/dismiss?version=x", null).status()).isEqualTo(400);
        Answer dismissed = call("POST", "/api/deliveries/" + deadId + "/dismiss?version=" + deadVersion, null);
        assertThat(dismissed.body().get("status").asText()).isEqualTo("DISMISSED");
        assertThat(items("/api/deliveries?status=DEAD")).isEmpty();
        assertThat(call("POST", "/api/deliveries/" + deadId + "/undo", null).status()).isEqualTo(405);
    }

    @Test
    void badRequestsNameTheProblemAndChangeNothing() throws Exception {
        Answer phone = call("POST", "/api/contacts", "{\"name\":\"X\",\"phone\":\"12\"}");
        assertThat(phone.status()).isEqualTo(400);
        assertThat(phone.body().get("field").asText()).isEqualTo("phone");
        assertThat(phone.body().get("message").asText()).contains("'12'");
        assertThat(call("POST", "/api/contacts", "{not json").body().get("message").asText()).contains("malformed JSON");
        assertThat(call("POST", "/api/contacts", "[1,2]").status()).isEqualTo(400);
        assertThat(call("POST", "/api/contacts", "{\"phone\":5}").body().get("field").asText()).isEqualTo("phone");
        Answer cron = call("POST", "/api/schedules", "{\"account\":\"shop\",\"to\":{\"group\":\"g\"},\"text\":\"x\","
                + "\"trigger\":{\"cron\":\"61 * * * *\",\"zone\":\"UTC\"}}");
        assertThat(cron.status()).isEqualTo(400);
        assertThat(cron.body().get("message").asText()).contains("'61 * * * *'");
        assertThat(call("POST", "/api/schedules", "{\"account\":\"shop\",\"to\":{\"group\":\"g\"},\"text\":\"x\","
                + "\"trigger\":{\"cron\":\"0 9 * * *\",\"zone\":\"Mars/Olympus\"}}").body().get("message").asText())
                .contains("Mars/Olympus");
        assertThat(call("POST", "/api/schedules", "{\"account\":\"shop\",\"to\":{\"contacts\":[\"nope\"]},\"text\":\"x\","
                + "\"trigger\":{\"once\":\"2026-06-01T09:00:00Z\"}}").status()).isEqualTo(404);
        assertThat(call("GET", "/api/contacts?limit=abc", null).body().get("field").asText()).isEqualTo("limit");
        assertThat(call("GET", "/api/deliveries?status=LOST", null).body().get("message").asText()).contains("LOST");
        assertThat(call("PUT", "/api/contacts", "{}").status()).isEqualTo(405);
        assertThat(call("POST", "/api/contacts", "{\"phone\":\"" + "1".repeat(WaschedHttpApi.MAX_BODY) + "\"}").status())
                .isEqualTo(413);
        assertThat(call("GET", "/api/contacts", null).body().get("items")).isEmpty();
        assertThat(call("GET", "/api/schedules", null).body().get("items")).isEmpty();
        clock.advance(Duration.ofHours(2));
        assertThat(wasched.runDue()).isZero();
    }

    @Test
    void aBirthdayScheduleIsCreatedShownAndSent() throws Exception {
        assertThat(call("POST", "/api/contacts", "{\"name\":\"Ann\",\"phone\":\"0151 12345678\",\"tags\":[\"friends\"],"
                + "\"fields\":{\"birthday\":\"1990-06-02\"}}").status()).isEqualTo(201);
        Answer created = call("POST", "/api/schedules", "{\"account\":\"shop\",\"to\":{\"tag\":\"friends\"},"
                + "\"text\":\"Happy {{years}}th, {{name}}!\",\"trigger\":{\"yearlyOn\":\"birthday\",\"at\":\"09:00\"}}");
        assertThat(created.status()).as(String.valueOf(created.body())).isEqualTo(201);
        JsonNode trigger = call("GET", "/api/schedules/" + created.body().get("id").asText(), null).body().get("trigger");
        assertThat(trigger.get("type").asText()).isEqualTo("yearlyOn");
        assertThat(trigger.get("field").asText()).isEqualTo("birthday");
        assertThat(trigger.get("at").asText()).isEqualTo("09:00");
        clock.set(java.time.Instant.parse("2026-06-02T07:00:00Z")); // 09:00 in Berlin, Ann's zone by her number
        wasched.runDue();
        assertThat(transport.sent()).singleElement().satisfies(m -> assertThat(m.text()).isEqualTo("Happy 36th, Ann!"));

        Answer group = call("POST", "/api/schedules", "{\"account\":\"shop\",\"to\":{\"group\":\"g\"},"
                + "\"text\":\"x\",\"trigger\":{\"yearlyOn\":\"birthday\",\"at\":\"09:00\"}}");
        assertThat(group.status()).isEqualTo(400);
        assertThat(group.body().get("message").asText()).contains("group").contains("birthday");
    }
}
