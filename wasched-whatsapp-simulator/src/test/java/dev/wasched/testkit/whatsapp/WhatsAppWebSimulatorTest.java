package dev.wasched.testkit.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The control API and the page's HTTP protocol, without a browser: lifecycle, misuse, and the
 * server-side guarantees (idempotent sends, acks, faults) a transport's exactly-once logic needs.
 */
class WhatsAppWebSimulatorTest {

    private static final String BOB = "+14155550123";
    /** Only ever waited out when something is wrong: long enough for a loaded machine. */
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private WhatsAppWebSimulator sim;

    @AfterEach
    void close() {
        if (sim != null) {
            sim.close();
        }
    }

    // ------------------------------------------------------------------ lifecycle

    @Test
    void lifecycleIsStartOnceThenCloseAndNoThreadSurvivesClose() throws Exception {
        sim = WhatsAppWebSimulator.builder().build();
        assertThatThrownBy(sim::url).isInstanceOf(IllegalStateException.class);
        sim.start();
        assertThatThrownBy(sim::start).isInstanceOf(IllegalStateException.class);
        String url = sim.url();
        assertThat(url).matches("http://127\\.0\\.0\\.1:\\d+");

        // Exercise the HTTP pool and the timer so that their threads exist.
        sim.registerNumber(BOB);
        String client = linkedClient();
        sendText(client, BOB, "hello");
        sim.awaitReceived(BOB, 1, WAIT);
        assertThat(simulatorThreads()).isNotEmpty();

        sim.close();
        sim.close(); // idempotent
        assertThat(simulatorThreads()).isEmpty();
        assertThatThrownBy(sim::url).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> http.send(HttpRequest.newBuilder(URI.create(url + "/")).build(),
                HttpResponse.BodyHandlers.discarding())).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> sim.scanQr("2@x")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void servesThePageWithAStrictContentSecurityPolicy() throws Exception {
        sim = WhatsAppWebSimulator.builder().build().start();
        for (String path : List.of("/", "/send?phone=1&text=x", "/app.js", "/app.css")) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(sim.url() + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(path).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Security-Policy").orElseThrow())
                    .contains("default-src 'self'").doesNotContain("unsafe");
        }
        HttpResponse<String> missing = http.send(HttpRequest.newBuilder(URI.create(sim.url() + "/nope")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(missing.statusCode()).isEqualTo(404);
    }

    @Test
    void builderRejectsNonsense() {
        var b = WhatsAppWebSimulator.builder();
        assertThatThrownBy(() -> b.qrRotationInterval(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.qrRotationsBeforeExpiry(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.ackDelays(Duration.ofMillis(-1), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.pollInterval(Duration.ofMillis(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.phoneNumber("not a number")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.port(70000)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DomVariant.standard().withSendIcon("send\"]")).isInstanceOf(IllegalArgumentException.class);
    }

    // ------------------------------------------------------------------ control API misuse

    @Test
    void linkingWithSomethingNoPageShowsIsRejectedWithAReason() {
        sim = WhatsAppWebSimulator.builder().build().start();
        assertThat(sim.currentQrPayload()).isEmpty();
        assertThatThrownBy(() -> sim.scanQr("2@never,shown,any,where"))
                .isInstanceOfSatisfying(LinkRejectedException.class,
                        e -> assertThat(e.reason()).isEqualTo(LinkRejectedException.Reason.UNKNOWN_QR_CODE));
        assertThatThrownBy(() -> sim.enterPairingCode("ABCD-EFGH"))
                .isInstanceOfSatisfying(LinkRejectedException.class,
                        e -> assertThat(e.reason()).isEqualTo(LinkRejectedException.Reason.UNKNOWN_PAIRING_CODE));
        assertThat(sim.isLinked()).isFalse();
    }

    @Test
    void misuseFailsWithClearExceptions() {
        sim = WhatsAppWebSimulator.builder().build().start();
        assertThatThrownBy(() -> sim.registerNumber("12")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("E.164");
        assertThatThrownBy(() -> sim.registerNumber(BOB, " ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> sim.receivedInGroup("nope")).isInstanceOf(IllegalArgumentException.class);
        sim.createGroup("Team", BOB);
        assertThatThrownBy(() -> sim.createGroup("Team")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> sim.deliver("true_1@c.us_X")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> sim.dropSends(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> sim.awaitReceived(BOB, 1, Duration.ofMillis(100)))
                .isInstanceOf(AssertionError.class).hasMessageContaining("+14155550123");
        assertThat(sim.isRegistered(BOB)).isFalse();
        sim.registerNumber("+1 (415) 555-0123");
        assertThat(sim.isRegistered("14155550123")).isTrue();
    }

    @Test
    void mediaIsImmutableAndComparedByContent() {
        byte[] bytes = {1, 2, 3};
        var media = new ReceivedMessage.Media("a.bin", "application/octet-stream", bytes);
        bytes[0] = 9;
        media.bytes()[1] = 9;
        assertThat(media.bytes()).containsExactly(1, 2, 3);
        assertThat(media).isEqualTo(new ReceivedMessage.Media("a.bin", "application/octet-stream", new byte[] {1, 2, 3}));
        assertThat(media.sha256()).isEqualTo("039058c6f2c0cb492c533b0a4d14ef77cc0f78abccced5287d84a1a2011cfb81");
    }

    // ------------------------------------------------------------------ the page protocol

    @Test
    void aRetriedPostOfTheSameMessageIdIsRecordedOnce() throws Exception {
        sim = WhatsAppWebSimulator.builder().build().start();
        sim.registerNumber(BOB);
        String client = linkedClient();
        String id = "true_14155550123@c.us_3EB00123456789ABCDEF";
        Map<String, Object> body = Map.of("chat", "14155550123@c.us", "id", id, "text", "  once  ");

        assertThat(post("/api/clients/" + client + "/messages", body).path("status").asText()).isEqualTo("sent");
        assertThat(post("/api/clients/" + client + "/messages", body).path("status").asText()).isIn("sent", "delivered");

        assertThat(sim.received(BOB)).singleElement().satisfies(m -> {
            assertThat(m.id()).isEqualTo(id);
            assertThat(m.text()).isEqualTo("once");
        });
    }

    @Test
    void onlyALinkedPageMaySendAndOnlyWellFormedIds() throws Exception {
        sim = WhatsAppWebSimulator.builder().build().start();
        sim.registerNumber(BOB);
        Map<String, Object> body = Map.of("chat", "14155550123@c.us", "id", "true_14155550123@c.us_3EB00123456789ABCDEF",
                "text", "x");
        assertThat(postStatus("/api/clients/nobody/messages", body)).isEqualTo(404);
        String unlinked = post("/api/clients", Map.of()).path("clientId").asText();
        assertThat(postStatus("/api/clients/" + unlinked + "/messages", body)).isEqualTo(401);

        String client = linkedClient();
        assertThat(postStatus("/api/clients/" + client + "/messages",
                Map.of("chat", "14155550123@c.us", "id", "true_999@c.us_3EB00123456789ABCDEF", "text", "x")))
                .isEqualTo(400);
        assertThat(postStatus("/api/clients/" + client + "/messages",
                Map.of("chat", "4915000000000@c.us", "id", "true_4915000000000@c.us_3EB00123456789ABCDEF", "text", "x")))
                .isEqualTo(404);
        assertThat(sim.allReceived()).isEmpty();
    }

    @Test
    void slowDroppedAndHeldMessagesBehaveAsDocumented() throws Exception {
        sim = WhatsAppWebSimulator.builder().ackDelays(Duration.ofMillis(20), Duration.ofMillis(20)).build().start();
        sim.registerNumber(BOB);
        String client = linkedClient();

        // Long enough that a loaded machine does not let it land before the two looks below.
        sim.slowSends(Duration.ofSeconds(2));
        String slow = sendText(client, BOB, "slow");
        assertThat(sim.receivedMessage(slow)).isEmpty();
        assertThatThrownBy(() -> sim.deliver(slow)).isInstanceOf(IllegalStateException.class);
        assertThat(sim.awaitStatus(slow, AckStatus.READ, WAIT).text()).isEqualTo("slow");

        sim.clearFaults();
        sim.dropSends(1);
        String dropped = sendText(client, BOB, "dropped");
        String retried = sendText(client, BOB, "dropped", dropped); // the page retrying the same id
        assertThat(retried).isEqualTo(dropped);
        assertThat(sim.receivedMessage(dropped)).isEmpty();

        sim.holdAcks();
        String held = sendText(client, BOB, "held");
        assertThat(sim.receivedMessage(held).orElseThrow().status()).isEqualTo(AckStatus.SENT);
        sim.deliver(held);
        assertThat(sim.receivedMessage(held).orElseThrow().status()).isEqualTo(AckStatus.DELIVERED);
        sim.releaseAcks();
        sim.awaitStatus(held, AckStatus.READ, WAIT);

        assertThat(sim.received(BOB)).extracting(ReceivedMessage::text).containsExactly("slow", "held");
    }

    // ------------------------------------------------------------------ helpers

    /** Registers a page through the HTTP protocol and links it by QR, as a browser would. */
    private String linkedClient() throws Exception {
        JsonNode r = post("/api/clients", Map.of());
        String payload = r.path("view").path("qr").path("payload").asText();
        assertThat(sim.currentQrPayload()).contains(payload);
        sim.scanQr(payload);
        return r.path("clientId").asText();
    }

    private String sendText(String client, String e164, String text) throws Exception {
        byte[] key = new byte[8];
        new SecureRandom().nextBytes(key);
        String id = "true_" + e164.substring(1) + "@c.us_3EB0" + HexFormat.of().withUpperCase().formatHex(key);
        return sendText(client, e164, text, id);
    }

    private String sendText(String client, String e164, String text, String id) throws Exception {
        JsonNode r = post("/api/clients/" + client + "/messages",
                Map.of("chat", e164.substring(1) + "@c.us", "id", id, "text", text));
        assertThat(r.has("status")).isTrue();
        return id;
    }

    private JsonNode post(String path, Object body) throws Exception {
        HttpResponse<String> r = http.send(request(path, body), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json.readTree(r.body());
    }

    private int postStatus(String path, Object body) throws Exception {
        return http.send(request(path, body), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private HttpRequest request(String path, Object body) throws IOException {
        return HttpRequest.newBuilder(URI.create(sim.url() + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)))
                .build();
    }

    private static Set<String> simulatorThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(n -> n.startsWith("wa-sim-"))
                .collect(Collectors.toSet());
    }
}
