package dev.wasched.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wasched.access.Role;
import dev.wasched.delivery.DeliveryStatus;
import dev.wasched.memory.InMemoryStore;
import dev.wasched.policy.PacingPolicy;
import dev.wasched.testkit.SettableClock;
import dev.wasched.spi.transport.TransportContext;
import dev.wasched.spi.transport.TransportEvent;
import dev.wasched.testkit.transport.ForwardingTransport;
import dev.wasched.testkit.transport.RecordingTransport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
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
    private final QrRotating linking = new QrRotating(transport);
    private WebFixture web;

    /** Shows a new login QR code when told, as WhatsApp Web does every little while until the code is scanned. */
    private static final class QrRotating extends ForwardingTransport {
        private volatile TransportContext context;

        QrRotating(RecordingTransport delegate) {
            super(delegate);
        }

        @Override
        public void start(TransportContext context) {
            this.context = context;
            super.start(context);
        }

        void rotate(String payload) {
            context.emit(new TransportEvent.QrCode(payload));
        }
    }

    @BeforeEach
    void start() throws Exception {
        web = new WebFixture(new InMemoryStore(), new SettableClock(Instant.now()), b -> b.transport(linking)
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

    /** The frame after the next {@code event: TYPE} line: its {@code data:} line. */
    private static String awaitEvent(BlockingQueue<String> lines, String type) throws InterruptedException {
        awaitLine(lines, "event: " + type);
        return awaitLine(lines, "data: ");
    }

    @Test
    void aNewQrCodeAndAPairingCodeArriveLiveForOperatorsOnly() throws Exception {
        WebFixture.Caller operator = web.machine(Role.OPERATOR);
        WebFixture.Caller viewer = web.machine(Role.VIEWER);
        BlockingQueue<String> stream = events(operator);
        BlockingQueue<String> viewers = events(viewer);
        assertThat(awaitLine(stream, "status ")).isEqualTo("status 200");
        assertThat(awaitLine(viewers, "status ")).isEqualTo("status 200");
        String first = Awaitility.await().atMost(Duration.ofSeconds(30)).until(
                () -> operator.call("GET", "/sessions/shop/qr.svg", null), r -> r.status() == 200).raw().body();

        // The code shown at start may still be on its way: the new one is the frame dated from now on (wasched
        // dates its events to the millisecond).
        Instant rotated = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        linking.rotate("2@rotated-" + java.util.UUID.randomUUID());
        com.fasterxml.jackson.databind.JsonNode frame;
        do {
            frame = WebFixture.JSON.readTree(awaitEvent(stream, "qr").substring("data: ".length()));
        } while (Instant.parse(frame.path("at").asText()).isBefore(rotated));
        assertThat(frame.path("account").asText()).isEqualTo("shop");
        WebFixture.Response now = operator.call("GET", "/sessions/shop/qr.svg", null);
        assertThat(now.status()).isEqualTo(200);
        assertThat(now.raw().body()).as("the new code is served").startsWith("<svg").isNotEqualTo(first);

        WebFixture.Response paired = operator.call("POST", "/sessions/shop/pairing-code",
                java.util.Map.of("phone", "0151 12345678"));
        assertThat(paired.status()).as(paired.raw().body()).isEqualTo(200);
        assertThat(awaitEvent(stream, "pairing")).contains("\"code\":\"ABCD-5678\"");

        // The viewer's stream saw the account's state, never a code: the state change comes after both codes.
        transport.scanQr();
        List<String> seen = new ArrayList<>();
        String line;
        do {
            line = viewers.poll(30, TimeUnit.SECONDS);
            assertThat(line).as("the viewer's stream goes on").isNotNull();
            seen.add(line);
        } while (!line.startsWith("data: {\"account\":\"shop\",\"from\":\"QR\""));
        assertThat(line).contains("\"to\":\"READY\"");
        assertThat(seen).contains("event: account").noneMatch(l -> l.startsWith("event: qr")
                || l.startsWith("event: pairing"));
    }

    @Test
    void anImportReportsItsProgressLive() throws Exception {
        WebFixture.Caller viewer = web.machine(Role.VIEWER);
        BlockingQueue<String> stream = events(viewer);
        assertThat(awaitLine(stream, "status ")).isEqualTo("status 200");
        WebFixture.Caller operator = web.machine(Role.OPERATOR);
        WebFixture.Response started = operator.send("POST", "/contacts/imports?name=team.csv", "name,phone\n"
                + "Ann,0151 12345678\nBob,12\nCid,+4915112345679\n", "text/csv", false);
        assertThat(started.status()).isEqualTo(202);
        String id = started.json().path("id").asText();

        List<com.fasterxml.jackson.databind.JsonNode> frames = new ArrayList<>();
        while (frames.isEmpty() || !frames.get(frames.size() - 1).path("state").asText().equals("COMPLETED")) {
            com.fasterxml.jackson.databind.JsonNode data = WebFixture.JSON.readTree(awaitEvent(stream, "import")
                    .substring("data: ".length()));
            if (data.path("id").asText().equals(id)) {
                frames.add(data);
            }
        }
        assertThat(frames).extracting(f -> f.path("rowsDone").asLong()).isSorted();
        com.fasterxml.jackson.databind.JsonNode last = frames.get(frames.size() - 1);
        assertThat(last.path("rowsDone").asLong()).isEqualTo(3);
        assertThat(last.path("imported").asLong()).isEqualTo(2);
        assertThat(last.path("rejected").asLong()).isEqualTo(1);
    }
}
