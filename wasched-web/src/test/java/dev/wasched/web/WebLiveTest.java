package dev.wasched.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wasched.access.Role;
import dev.wasched.delivery.DeliveryStatus;
import dev.wasched.memory.InMemoryStore;
import dev.wasched.policy.PacingPolicy;
import dev.wasched.testkit.SettableClock;
import dev.wasched.testkit.transport.RecordingTransport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The running side of the API: live events, the login QR code, a contact import with progress, media uploads. */
class WebLiveTest {
    private final RecordingTransport transport = new RecordingTransport("shop").requireLogin();
    private WebFixture web;

    @BeforeEach
    void start() throws Exception {
        web = new WebFixture(new InMemoryStore(), new SettableClock(Instant.now()), b -> b.transport(transport)
                .pacing(PacingPolicy.unlimited()).defaultRegion("DE").clock(java.time.Clock.systemUTC()));
        web.wasched.start();
    }

    @AfterEach
    void stop() throws Exception {
        web.close();
    }

    /** The lines of an open event stream, as they come. */
    private BlockingQueue<String> events(WebFixture.Caller caller) {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        HttpRequest request = HttpRequest.newBuilder(URI.create(web.base + "/events"))
                .header("Authorization", "Bearer " + caller.key).build();
        HttpClient.newHttpClient().sendAsync(request, HttpResponse.BodyHandlers.ofLines()).thenAccept(r -> {
            lines.add("status " + r.statusCode());
            try (Stream<String> body = r.body()) {
                Iterator<String> it = body.iterator();
                while (it.hasNext()) {
                    lines.add(it.next());
                }
            }
            lines.add("ended");
        });
        return lines;
    }

    private static String awaitLine(BlockingQueue<String> lines, String prefix) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < end) {
            String l = lines.poll(1, TimeUnit.SECONDS);
            if (l != null && l.startsWith(prefix)) {
                return l;
            }
        }
        throw new AssertionError("no line starting with '" + prefix + "' within 30 s");
    }

    @Test
    void theQrCodeAndEveryDeliveryChangeArriveLiveWithoutAsking() throws Exception {
        WebFixture.Caller viewer = web.machine(Role.VIEWER);
        WebFixture.Caller operator = web.machine(Role.OPERATOR);
        BlockingQueue<String> stream = events(operator);
        assertThat(awaitLine(stream, "status ")).isEqualTo("status 200");

        WebFixture.Response qr = Awaitility.await().atMost(Duration.ofSeconds(30)).until(
                () -> operator.call("GET", "/sessions/shop/qr.svg", null), r -> r.status() == 200);
        assertThat(qr.raw().headers().firstValue("Content-Type").orElse("")).startsWith("image/svg+xml");
        assertThat(qr.raw().body()).startsWith("<svg").contains("<path");
        java.net.http.HttpResponse<byte[]> png = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(web.base + "/sessions/shop/qr.png")).header("Authorization", "Bearer " + operator.key)
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(png.body()));
        assertThat(image.getWidth()).as("a square PNG").isEqualTo(image.getHeight()).isGreaterThan(200);
        assertThat(viewer.call("GET", "/sessions/shop/qr.svg", null).status()).as("the code links a device")
                .isEqualTo(403);

        transport.scanQr();
        assertThat(awaitLine(stream, "data: {\"account\":\"shop\",\"from\":\"QR\"")).contains("\"to\":\"READY\"");
        assertThat(operator.call("GET", "/sessions/shop/qr.svg", null).status()).as("linked: no code any more")
                .isEqualTo(404);
        assertThat(viewer.call("GET", "/sessions/shop", null).json().path("state").asText()).isEqualTo("READY");

        WebFixture.Response schedule = operator.call("POST", "/schedules", java.util.Map.of("account", "shop",
                "to", java.util.Map.of("group", "team"), "text", "hello",
                "trigger", java.util.Map.of("once", Instant.now().toString())));
        assertThat(schedule.status()).isEqualTo(201);
        String sent = awaitLine(stream, "data: {\"id\"");
        assertThat(sent).contains("\"status\":\"SENT\"");
        String id = sent.replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
        transport.ack(transport.sent().get(0).messageId(), DeliveryStatus.READ);
        assertThat(awaitLine(stream, "data: {\"id\":\"" + id)).contains("\"status\":\"READ\"");
    }

    @Test
    void aStreamEndsSoonAfterItsKeyIsRevoked() throws Exception {
        WebFixture.Caller viewer = web.machine(Role.VIEWER);
        BlockingQueue<String> stream = events(viewer);
        assertThat(awaitLine(stream, "status ")).isEqualTo("status 200");
        String id = web.web.users().keys().stream().filter(k -> !k.revoked()).reduce((a, b) -> b).orElseThrow().id();
        web.web.users().revokeKey(id, "test");
        assertThat(awaitLine(stream, "ended")).isEqualTo("ended");
    }

    @Test
    void aContactFileIsImportedInTheBackgroundWithItsRejectedRows() throws Exception {
        WebFixture.Caller operator = web.machine(Role.OPERATOR);
        String csv = "name,phone\nAnn,0151 12345678\nBob,12\nCid,+4915112345679\n";
        WebFixture.Response started = operator.send("POST", "/contacts/imports?name=team.csv&tag=team", csv,
                "text/csv", false);
        assertThat(started.status()).as(started.raw().body()).isEqualTo(202);
        String id = started.json().path("id").asText();
        WebFixture.Response job = Awaitility.await().atMost(Duration.ofSeconds(30)).until(
                () -> operator.call("GET", "/contacts/imports/" + id, null),
                r -> r.json().path("state").asText().equals("COMPLETED"));
        assertThat(job.json().path("imported").asLong()).isEqualTo(2);
        assertThat(job.json().path("rejected").asLong()).isEqualTo(1);
        String rejected = operator.send("GET", "/contacts/imports/" + id + "/rejected.csv", null, null, false).raw()
                .body();
        assertThat(rejected).startsWith("line,reason,detail,phone").contains("\r\n3,");
        assertThat(operator.call("GET", "/contacts?tag=team", null).items("name")).containsExactlyInAnyOrder("Ann",
                "Cid");
        assertThat(operator.send("POST", "/contacts/imports", csv, "text/csv", false).json().path("error")
                .path("field").asText()).isEqualTo("name");
        assertThat(web.machine(Role.VIEWER).send("POST", "/contacts/imports?name=x.csv", csv, "text/csv", false)
                .status()).isEqualTo(403);
    }

    @Test
    void mediaIsUploadedAndSentWithItsCaption() throws Exception {
        WebFixture.Caller operator = web.machine(Role.OPERATOR);
        transport.scanQr();
        byte[] pdf = "%PDF-1.4 menu".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        WebFixture.Response uploaded = operator.send("POST", "/media?name=menu.pdf", new String(pdf,
                java.nio.charset.StandardCharsets.US_ASCII), "application/pdf", false);
        assertThat(uploaded.status()).as(uploaded.raw().body()).isEqualTo(201);
        assertThat(uploaded.json().path("size").asLong()).isEqualTo(pdf.length);
        WebFixture.Response schedule = operator.call("POST", "/schedules", java.util.Map.of("account", "shop",
                "to", java.util.Map.of("group", "team"), "text", "this week's menu", "media", uploaded.json(),
                "trigger", java.util.Map.of("once", Instant.now().toString())));
        assertThat(schedule.status()).as(schedule.raw().body()).isEqualTo(201);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> !transport.sent().isEmpty());
        assertThat(transport.sent()).singleElement().satisfies(m -> {
            assertThat(m.text()).isEqualTo("this week's menu");
            assertThat(m.mediaSha256()).isEqualTo(uploaded.json().path("sha256").asText());
        });
        assertThat(operator.send("POST", "/media?name=x.bin", "x", "", false).status()).isEqualTo(400);
    }
}
