package dev.wasched.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wasched.PageRequest;
import dev.wasched.Wasched;
import dev.wasched.delivery.Delivery;
import dev.wasched.delivery.DeliveryQuery;
import dev.wasched.testkit.telegram.FakeTelegramBotApi;
import dev.wasched.testkit.whatsapp.LinkRejectedException;
import dev.wasched.testkit.whatsapp.WhatsAppWebSimulator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code wasched run} as a service manager runs it: its own JVM, WhatsApp Web (the simulator in Chromium) linked by
 * the QR code it shows, Telegram configured, stopped by SIGTERM. The second start needs no QR code, because the
 * shutdown saved the session; nothing is sent twice.
 */
class RunCommandTest {
    private static final String ALICE = "+4915123456701";
    private static final long CHAT = 42;
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;
    private WhatsAppWebSimulator phone;
    private FakeTelegramBotApi telegram;
    private Path config;
    private final List<Process> processes = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        phone = WhatsAppWebSimulator.builder().loadingScreen(Duration.ofMillis(100)).pollInterval(Duration.ofMillis(100))
                .build().start();
        phone.registerNumber(ALICE);
        telegram = FakeTelegramBotApi.start(FakeTelegramBotApi.DEFAULT_TOKEN);
        config = dir.resolve("wasched.properties");
        Files.writeString(config, String.join("\n",
                "store.url = h2:" + dir.resolve("db/wasched"),
                "defaultRegion = DE",
                "accounts = shop",
                "whatsapp.webUrl = " + phone.url(),
                "whatsapp.browser = " + System.getenv().getOrDefault("WASCHED_CHROMIUM", "/usr/bin/chromium"),
                "whatsapp.workDirectory = " + dir.resolve("browser"),
                "whatsapp.qrDirectory = " + dir.resolve("qr"),
                "whatsapp.pollInterval = PT0.1S",
                "pacing.minGap = PT0S",
                "pacing.jitter = PT0S",
                "pacing.simulateTyping = false",
                "session.key.env = WASCHED_SESSION_KEY",
                "telegram.token.env = WASCHED_TELEGRAM_TOKEN",
                "telegram.chats = " + CHAT,
                "telegram.baseUrl = " + telegram.baseUrl(), ""));
    }

    @AfterEach
    void tearDown() {
        processes.forEach(Process::destroyForcibly);
        telegram.close();
        phone.close();
    }

    /**
     * A running {@code wasched run} in its own JVM. Its output goes to files, not pipes: on SIGTERM the JDK closes a
     * child's pipes, and the shutdown lines would be lost.
     */
    private final class Instance {
        final Process process;
        final Path out;
        final Path err;

        Instance(String sessionKey) throws IOException {
            int n = processes.size();
            out = dir.resolve("run-" + n + ".out");
            err = dir.resolve("run-" + n + ".err");
            String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
            ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", classpath, WaschedCli.class.getName(), "run", "-c", config.toString())
                    .directory(dir.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile());
            pb.environment().put("WASCHED_SESSION_KEY", sessionKey);
            pb.environment().put("WASCHED_TELEGRAM_TOKEN", telegram.token());
            pb.environment().put("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
            process = pb.start();
            processes.add(process);
        }

        List<String> lines() {
            try {
                return Files.readAllLines(out, StandardCharsets.UTF_8);
            } catch (IOException e) {
                return List.of();
            }
        }

        boolean printed(String text) {
            return lines().stream().anyMatch(l -> l.contains(text));
        }

        /** SIGTERM, as systemd or Kubernetes stop a service; returns the exit code. */
        int terminate() throws InterruptedException {
            process.destroy();
            assertThat(process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).as("stopped within " + WAIT).isTrue();
            return process.exitValue();
        }

        String describe() {
            try {
                return String.join("\n", lines()) + "\n--- stderr ---\n" + Files.readString(err);
            } catch (IOException e) {
                return e.toString();
            }
        }
    }

    private static void await(String what, Instance instance, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline || !instance.process.isAlive()) {
                throw new AssertionError("waiting for " + what + " (alive: " + instance.process.isAlive() + ")\n"
                        + instance.describe());
            }
            Thread.sleep(50);
        }
    }


    @Test
    void linksByQrSendsAndAfterSigtermRestartsWithoutAQrCode() throws Exception {
        assertThat(CliResult.run("schedule", "-c", config.toString(), "--account", "shop", "--to", "0151 2345 6701",
                "--text", "Hello from run", "--at", "now").code()).isZero();
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        String sessionKey = Base64.getEncoder().encodeToString(key);

        Instance first = new Instance(sessionKey);
        await("the QR code in the terminal", first, () -> first.printed("scan this QR code"));
        await("the phone scanning it", first, () -> {
            try {
                phone.scanQr(phone.awaitQrPayload(Duration.ofSeconds(5)));
                return true;
            } catch (LinkRejectedException e) {
                return false;
            }
        });
        await("READY", first, () -> first.printed("account shop: READY"));
        await("the scheduled message", first, () -> phone.received(ALICE).size() == 1);
        assertThat(Files.exists(dir.resolve("qr/qr-shop.png"))).as("QR code written as PNG").isTrue();
        assertThat(telegram.awaitPhoto(CHAT, p -> true, WAIT)).as("QR code sent to the Telegram chat").isNotNull();
        assertThat(first.terminate()).as(first.describe()).isEqualTo(143);
        assertThat(first.lines()).as(first.describe()).anyMatch(l -> l.equals("stopped"));

        Instance second = new Instance(sessionKey);
        await("READY from the saved session", second, () -> second.printed("account shop: READY"));
        assertThat(second.lines()).as("no QR code after the restart").noneMatch(l -> l.contains("QR code"));
        assertThat(second.terminate()).isEqualTo(143);

        assertThat(phone.received(ALICE)).as("sent exactly once").hasSize(1);
        CliConfig c = CliConfig.load(config, java.util.Map.of());
        try (OpenStore store = OpenStore.open(c); Wasched w = ConfigOption.offline(c, store)) {
            List<Delivery> all = w.deliveries().history(DeliveryQuery.all(), PageRequest.first(10)).items();
            assertThat(all).singleElement().satisfies(d -> assertThat(d.sentAt()).isNotNull());
        }
    }
}
