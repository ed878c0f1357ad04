package dev.wasched.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wasched.PageRequest;
import dev.wasched.Wasched;
import dev.wasched.delivery.Delivery;
import dev.wasched.delivery.DeliveryQuery;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code wasched run} as a service manager runs it: its own JVM started by a shell with umask 022, WhatsApp Web (the
 * simulator in Chromium) linked by the QR code it shows, Telegram configured, stopped by SIGTERM. The second start
 * needs no QR code, because the shutdown saved the session, encrypted with a key the first start created; nothing is
 * sent twice. {@code link} saves a session that run then uses; without session encryption every start warns. The
 * files run keeps (QR code, key, store) are {@link RunCommandFilesAndKeysTest}'s.
 */
class RunCommandTest extends RunCommandFixture {
    @Test
    void linksByQrSendsAndAfterSigtermRestartsWithTheKeyItCreatedWithoutAQrCode() throws Exception {
        assertThat(CliResult.run("schedule", "-c", config.toString(), "--account", "shop", "--to", "0151 2345 6701",
                "--text", "Hello from run", "--at", "now").code()).isZero();
        Path password = Files.writeString(dir.resolve("admin.password"), "correct horse battery staple\n");
        assertThat(CliResult.run("user", "add", "-c", config.toString(), "admin", "--role", "admin",
                "--password-file", password.toString()).code()).isZero();
        Path keyFile = data.resolve("session.key");
        Path png = dir.resolve("qr/qr-shop.png");

        Instance first = new Instance(Map.of());
        await("the QR code as a PNG", first, () -> first.printed("the QR code is also in"));
        assertThat(ForkedCli.mode(png)).as("only the owner may read the QR code").isEqualTo("rw-------");
        first.link();
        await("the QR code file removed once linked", first, () -> !Files.exists(png));
        await("the scheduled message", first, () -> phone.received(ALICE).size() == 1);
        assertThat(telegram.awaitPhoto(CHAT, p -> true, WAIT)).as("QR code sent to the Telegram chat").isNotNull();
        assertThat(first.lines()).as(first.describe()).anyMatch(l -> l.startsWith("created a new session key in "));
        assertThat(ForkedCli.mode(keyFile)).isEqualTo("rw-------");
        assertThat(Base64.getDecoder().decode(Files.readString(keyFile).strip())).hasSize(32);
        byte[] key = Files.readAllBytes(keyFile);
        first.stop();
        assertThat(storedSession().encrypted()).as("the stored login is encrypted").isTrue();

        Instance second = new Instance(Map.of());
        await("READY from the saved session", second, () -> second.printed("account shop: READY"));
        assertThat(second.lines()).as("no QR code after the restart").noneMatch(l -> l.contains("QR code"));
        assertThat(second.lines()).as("the key is reused").noneMatch(l -> l.contains("created a new session key"));
        await("the web API", second, () -> second.printed("web API at http://127.0.0.1:"));
        String api = second.lines().stream().filter(l -> l.contains("web API at ")).findFirst().orElseThrow()
                .replaceAll(".*web API at (\\S+).*", "$1");
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        java.net.http.HttpResponse<String> signedIn = http.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(api + "/session")).header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"user\":\"admin\",\"password\":"
                        + "\"correct horse battery staple\"}")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(200);
        String cookie = signedIn.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
        java.net.http.HttpResponse<String> sent = http.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(api + "/deliveries?status=SENT")).header("Cookie", cookie).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(sent.body()).as("the message sent, seen over the web API").contains("+4915123456701");
        second.stop();
        assertThat(Files.readAllBytes(keyFile)).as("the key file is never rewritten").isEqualTo(key);
        assertThat(Files.exists(png)).isFalse();

        assertThat(phone.received(ALICE)).as("sent exactly once").hasSize(1);
        CliConfig c = CliConfig.load(config, Map.of("WASCHED_TELEGRAM_TOKEN", "x"));
        try (OpenStore store = OpenStore.open(c); Wasched w = ConfigOption.offline(c, store)) {
            List<Delivery> all = w.deliveries().history(DeliveryQuery.all(), PageRequest.first(10)).items();
            assertThat(all).singleElement().satisfies(d -> assertThat(d.sentAt()).isNotNull());
        }
    }

    @Test
    void linkSavesTheSessionAndSendsNothingThenRunNeedsNoQrCodeAndLinkRefusesARunningAccount() throws Exception {
        assertThat(CliResult.run("schedule", "-c", config.toString(), "--account", "shop", "--to", "0151 2345 6701",
                "--text", "Hello after the link", "--at", "now").code()).isZero();
        Instance link = new Instance(Map.of(), "link", "shop");
        link.link();
        assertThat(link.process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).as(link.describe()).isTrue();
        assertThat(link.process.exitValue()).as(link.describe()).isZero();
        assertThat(link.lines()).anyMatch(l -> l.startsWith("account shop is linked; its session is saved"));
        assertThat(phone.received(ALICE)).as("link sends nothing").isEmpty();
        assertThat(storedSession().encrypted()).isTrue();

        CliResult probe = ForkedCli.run(dir, Map.of("WASCHED_TELEGRAM_TOKEN", "x"), "probe", "shop",
                "-c", config.toString());
        assertThat(probe.code()).as(probe.out() + probe.err()).isZero();
        assertThat(probe.out()).contains("account shop: READY, screen MAIN", "WhatsApp Web build: 2.3000.",
                "ok   composeBox: matched candidate", "probe passed").doesNotContain("QR code");
        assertThat(phone.received(ALICE)).as("probe sends nothing").isEmpty();

        Instance run = new Instance(Map.of());
        await("READY from the linked session", run, () -> run.printed("account shop: READY"));
        await("the scheduled message", run, () -> phone.received(ALICE).size() == 1);
        assertThat(run.lines()).as("no QR code after link").noneMatch(l -> l.contains("QR code"));

        CliResult refused = ForkedCli.run(dir, Map.of("WASCHED_TELEGRAM_TOKEN", "x"), "link", "shop",
                "-c", config.toString());
        assertThat(refused.code()).as(refused.out() + refused.err()).isEqualTo(ExitCodes.FAILED);
        assertThat(refused.out()).contains("account shop is running on instance " + INSTANCE);
        run.stop();
        assertThat(phone.received(ALICE)).as("sent exactly once").hasSize(1);
    }

    @Test
    void withoutEncryptionEveryStartWarns() throws Exception {
        // No browser to start: this is about what run says before its accounts come up.
        writeConfig("session.encryption = off", "whatsapp.browser = " + dir.resolve("no-such-browser"));
        for (int start = 1; start <= 2; start++) {
            Instance i = new Instance(Map.of());
            await("running", i, () -> i.printed("running as instance"));
            await("the warning", i, () -> i.started.err().lines()
                    .anyMatch(l -> l.contains("WARN") && l.contains("session.encryption is off")));
            i.stop();
            assertThat(i.started.err()).as("the engine warns too").contains("no session key is configured");
        }
        assertThat(Files.exists(data.resolve("session.key"))).isFalse();
    }
}
