package dev.wasched.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wasched.spi.store.SessionSnapshot;
import dev.wasched.testkit.telegram.FakeTelegramBotApi;
import dev.wasched.testkit.whatsapp.InPageModules;
import dev.wasched.testkit.whatsapp.LinkRejectedException;
import dev.wasched.testkit.whatsapp.WhatsAppWebSimulator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the tests of {@code wasched run} share: per test a fast simulator (the phone), the fake Telegram Bot API and a
 * configuration for one account, and a way to run {@code wasched} commands in JVMs of their own. The tests are split
 * over {@link RunCommandTest} and {@link RunCommandFilesAndKeysTest} so that the two halves run in parallel test JVMs.
 */
abstract class RunCommandFixture {
    static final String ALICE = "+4915123456701";
    static final String BOB = "+4915123456702";
    static final long CHAT = 42;
    static final String INSTANCE = "run-under-test";
    static final Duration WAIT = Duration.ofSeconds(60);
    static final String USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
            + "Chrome/130.0.0.0 Safari/537.36";

    @TempDir
    Path dir;
    WhatsAppWebSimulator phone;
    FakeTelegramBotApi telegram;
    Path config;
    Path data;
    final List<Process> processes = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        // A fast page: boots in 100 ms, registers its in-page modules within 200 ms of the chat list.
        phone = WhatsAppWebSimulator.builder().loadingScreen(Duration.ofMillis(100)).pollInterval(Duration.ofMillis(100))
                .inPageModules(InPageModules.standard().withRegistrationSpread(Duration.ofMillis(200))).build().start();
        phone.registerNumber(ALICE);
        phone.registerNumber(BOB);
        telegram = FakeTelegramBotApi.start(FakeTelegramBotApi.DEFAULT_TOKEN);
        data = dir.resolve("data");
        config = dir.resolve("wasched.properties");
        writeConfig();
    }

    void writeConfig(String... extra) throws IOException {
        List<String> lines = new ArrayList<>(List.of(
                "store.url = h2:" + data.resolve("wasched"),
                "defaultRegion = DE",
                "accounts = shop",
                "instanceId = " + INSTANCE,
                "whatsapp.webUrl = " + phone.url(),
                "whatsapp.browser = " + System.getenv().getOrDefault("WASCHED_CHROMIUM", "/usr/bin/chromium"),
                "whatsapp.workDirectory = " + dir.resolve("browser"),
                "whatsapp.qrDirectory = " + dir.resolve("qr"),
                "whatsapp.pollInterval = PT0.1S",
                // saves each start a throwaway browser launch that only learns the user agent
                "whatsapp.userAgent = " + USER_AGENT,
                "pacing.minGap = PT0S",
                "pacing.jitter = PT0S",
                "pacing.simulateTyping = false",
                // work other processes write on the embedded store is found by this poll, not announced
                "fallbackPoll = PT1S",
                "telegram.token.env = WASCHED_TELEGRAM_TOKEN",
                "telegram.chats = " + CHAT,
                "telegram.baseUrl = " + telegram.baseUrl(),
                "web.port = 0"));
        lines.addAll(List.of(extra));
        Files.write(config, lines);
    }

    @AfterEach
    void tearDown() {
        processes.forEach(Process::destroyForcibly);
        telegram.close();
        phone.close();
    }

    /** A running {@code wasched run} in its own JVM. */
    final class Instance {
        final ForkedCli.Started started;
        final Process process;

        Instance(Map<String, String> env) throws IOException {
            this(env, "run");
        }

        /** {@code wasched COMMAND... -c CONFIG} in its own JVM. */
        Instance(Map<String, String> env, String... command) throws IOException {
            Map<String, String> all = new HashMap<>(env);
            all.put("WASCHED_TELEGRAM_TOKEN", telegram.token());
            List<String> args = new ArrayList<>(List.of(command));
            args.addAll(List.of("-c", config.toString()));
            started = ForkedCli.start(dir, all, args.toArray(String[]::new));
            process = started.process();
            processes.add(process);
        }

        List<String> lines() {
            return started.lines();
        }

        boolean printed(String text) {
            return started.printed(text);
        }

        /** SIGTERM, as systemd or Kubernetes stop a service; returns the exit code. */
        int terminate() throws InterruptedException {
            process.destroy();
            assertThat(process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).as("stopped within " + WAIT).isTrue();
            return process.exitValue();
        }

        String describe() {
            return started.describe();
        }

        /** Waits for the QR code and scans it with the phone, then for READY. */
        void link() throws InterruptedException {
            await("the QR code in the terminal", this, () -> printed("scan this QR code"));
            await("the phone scanning it", this, () -> {
                try {
                    phone.scanQr(phone.awaitQrPayload(Duration.ofSeconds(5)));
                    return true;
                } catch (LinkRejectedException e) {
                    return false;
                }
            });
            await("READY", this, () -> printed("account shop: READY"));
        }

        void stop() throws InterruptedException {
            assertThat(terminate()).as(describe()).isEqualTo(143);
            assertThat(lines()).as(describe()).anyMatch(l -> l.equals("stopped"));
        }
    }

    static void await(String what, Instance instance, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline || !instance.process.isAlive()) {
                throw new AssertionError("waiting for " + what + " (alive: " + instance.process.isAlive() + ")\n"
                        + instance.describe());
            }
            Thread.sleep(50);
        }
    }

    static String newKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    SessionSnapshot storedSession() {
        CliConfig c = CliConfig.load(config, Map.of("WASCHED_TELEGRAM_TOKEN", "x"));
        try (OpenStore store = OpenStore.open(c)) {
            return store.store().sessions().load("shop").orElseThrow();
        }
    }
}
