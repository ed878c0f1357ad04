package dev.wasched.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wasched.PageRequest;
import dev.wasched.Wasched;
import dev.wasched.delivery.Delivery;
import dev.wasched.delivery.DeliveryQuery;
import dev.wasched.spi.store.SessionSnapshot;
import dev.wasched.testkit.telegram.FakeTelegramBotApi;
import dev.wasched.testkit.whatsapp.InPageModules;
import dev.wasched.testkit.whatsapp.LinkRejectedException;
import dev.wasched.testkit.whatsapp.WhatsAppWebSimulator;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code wasched run} as a service manager runs it: its own JVM started by a shell with umask 022, WhatsApp Web (the
 * simulator in Chromium) linked by the QR code it shows, Telegram configured, stopped by SIGTERM. The second start
 * needs no QR code, because the shutdown saved the session, encrypted with a key the first start created; nothing is
 * sent twice. Other commands run in JVMs of their own next to it, on the same embedded store.
 */
class RunCommandTest {
    private static final String ALICE = "+4915123456701";
    private static final String BOB = "+4915123456702";
    private static final long CHAT = 42;
    private static final String INSTANCE = "run-under-test";
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
            + "Chrome/130.0.0.0 Safari/537.36";

    @TempDir
    Path dir;
    private WhatsAppWebSimulator phone;
    private FakeTelegramBotApi telegram;
    private Path config;
    private Path data;
    private final List<Process> processes = new CopyOnWriteArrayList<>();

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

    private void writeConfig(String... extra) throws IOException {
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
                "telegram.token.env = WASCHED_TELEGRAM_TOKEN",
                "telegram.chats = " + CHAT,
                "telegram.baseUrl = " + telegram.baseUrl()));
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
    private final class Instance {
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

    private static String newKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    private SessionSnapshot storedSession() {
        CliConfig c = CliConfig.load(config, Map.of("WASCHED_TELEGRAM_TOKEN", "x"));
        try (OpenStore store = OpenStore.open(c)) {
            return store.store().sessions().load("shop").orElseThrow();
        }
    }

    @Test
    void linksByQrSendsAndAfterSigtermRestartsWithTheKeyItCreatedWithoutAQrCode() throws Exception {
        assertThat(CliResult.run("schedule", "-c", config.toString(), "--account", "shop", "--to", "0151 2345 6701",
                "--text", "Hello from run", "--at", "now").code()).isZero();
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
    void aQrCodeFileIsPrivateAndGoneOnExitEvenWhenNobodyScannedIt() throws Exception {
        Path png = Files.createDirectories(dir.resolve("qr")).resolve("qr-shop.png");
        Files.writeString(png, "left over by a run that was killed");
        Files.setPosixFilePermissions(png, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));

        Instance run = new Instance(Map.of());
        await("the QR code as a PNG", run, () -> run.printed("the QR code is also in"));
        assertThat(Files.readAllBytes(png)).startsWith(0x89, 'P', 'N', 'G');
        assertThat(ForkedCli.mode(png)).isEqualTo("rw-------");
        run.stop();
        assertThat(Files.exists(png)).as("removed on exit").isFalse();
        assertThat(Files.list(png.getParent())).as("no temporary files left").isEmpty();
    }

    @Test
    void aKeyFromTheEnvironmentStillWorksAndRotatesToANewOneThroughThePreviousKey() throws Exception {
        writeConfig("session.key.env = WASCHED_SESSION_KEY");
        String oldKey = newKey();
        Instance first = new Instance(Map.of("WASCHED_SESSION_KEY", oldKey));
        first.link();
        first.stop();
        assertThat(storedSession().encrypted()).isTrue();

        // Rotation: the new key, and the old one as previous; the session loads and is saved under the new key.
        writeConfig("session.key.env = WASCHED_SESSION_KEY", "session.key.previous.env = WASCHED_OLD_SESSION_KEY");
        String newKey = newKey();
        Instance rotating = new Instance(Map.of("WASCHED_SESSION_KEY", newKey, "WASCHED_OLD_SESSION_KEY", oldKey));
        await("READY with the previous key", rotating, () -> rotating.printed("account shop: READY"));
        rotating.stop();

        writeConfig("session.key.env = WASCHED_SESSION_KEY");
        Instance after = new Instance(Map.of("WASCHED_SESSION_KEY", newKey));
        await("READY with the new key alone", after, () -> after.printed("account shop: READY"));
        after.stop();
        for (Instance i : List.of(first, rotating, after)) {
            assertThat(i.lines()).as(i.describe()).noneMatch(l -> l.contains("created a new session key"));
        }
        assertThat(rotating.lines()).noneMatch(l -> l.contains("QR code"));
        assertThat(after.lines()).noneMatch(l -> l.contains("QR code"));
        assertThat(Files.exists(data.resolve("session.key"))).as("no key file with a key from the environment")
                .isFalse();
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

    @Test
    void theOtherCommandsWorkOnTheEmbeddedStoreWhileRunHasItOpen() throws Exception {
        Instance run = new Instance(Map.of());
        run.link();

        // The files of the running instance are its owner's only (the shell's umask is 022).
        assertThat(ForkedCli.mode(data)).isEqualTo("rwx------");
        Path lockFile = data.resolve("wasched.lock.db");
        for (Path p : List.of(data.resolve("wasched.mv.db"), lockFile, data.resolve("session.key"))) {
            assertThat(ForkedCli.mode(p)).as(p.toString()).isEqualTo("rw-------");
        }
        int port = h2ServerPort(lockFile);
        assertOnlyOnLoopback(port);

        Map<String, String> env = Map.of("WASCHED_TELEGRAM_TOKEN", "unused");
        CliResult status = ForkedCli.run(dir, env, "status", "-c", config.toString());
        assertThat(status.code()).as(status.err()).isZero();
        assertThat(status.out()).contains("instances: " + INSTANCE).contains("account shop: run by " + INSTANCE);

        CliResult scheduled = ForkedCli.run(dir, env, "schedule", "-c", config.toString(), "--account", "shop",
                "--to", "0151 2345 6701", "--text", "Scheduled next to run", "--at", "now");
        assertThat(scheduled.code()).as(scheduled.err()).isZero();
        await("the running instance sending it", run, () -> phone.received(ALICE).size() == 1);
        assertThat(phone.received(ALICE).get(0).text()).isEqualTo("Scheduled next to run");

        Path contacts = Files.writeString(dir.resolve("contacts.csv"), "name,phone\nBob,0151 2345 6702\n");
        CliResult imported = ForkedCli.run(dir, env, "import", "-c", config.toString(), contacts.toString());
        assertThat(imported.code()).as(imported.out() + imported.err()).isZero();
        CliResult deliveries = ForkedCli.run(dir, env, "deliveries", "-c", config.toString());
        assertThat(deliveries.code()).as(deliveries.err()).isZero();
        assertThat(deliveries.out()).contains(ALICE);
        CliResult dlq = ForkedCli.run(dir, env, "dlq", "list", "-c", config.toString());
        assertThat(dlq.code()).as(dlq.err()).isZero();

        assertThat(run.process.isAlive()).as(run.describe()).isTrue();
        run.stop();
        assertThat(phone.received(ALICE)).as("sent exactly once").hasSize(1);
        CliConfig c = CliConfig.load(config, env);
        try (OpenStore store = OpenStore.open(c); Wasched w = ConfigOption.offline(c, store)) {
            assertThat(w.contacts().findByPhone(BOB)).as("the import reached the store").isPresent();
        }
    }

    /** The port of the TCP server H2 started for the open database, from its lock file ({@code server=HOST:PORT}). */
    private static int h2ServerPort(Path lockFile) throws IOException {
        Properties p = new Properties();
        try (var in = Files.newInputStream(lockFile)) {
            p.load(in);
        }
        String server = p.getProperty("server");
        assertThat(server).as("H2 runs its server for other processes").isNotNull();
        return Integer.parseInt(server.substring(server.lastIndexOf(':') + 1));
    }

    /** The port listens on 127.0.0.1 only: per the kernel's socket table, and by trying another local address. */
    private static void assertOnlyOnLoopback(int port) throws IOException {
        String hexPort = String.format(Locale.ROOT, ":%04X", port);
        List<String> listening = new ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path t = Path.of(table);
            if (Files.isReadable(t)) {
                for (String line : Files.readAllLines(t, StandardCharsets.US_ASCII)) {
                    String[] f = line.trim().split("\\s+");
                    if (f.length > 3 && f[1].endsWith(hexPort) && f[3].equals("0A")) {
                        listening.add(f[1].substring(0, f[1].length() - hexPort.length()));
                    }
                }
            }
        }
        // 127.0.0.1 as IPv4, or as an IPv4-mapped IPv6 address
        assertThat(listening).as("listening sockets on port " + port).isNotEmpty()
                .allMatch(a -> a.equals("0100007F") || a.equals("0000000000000000FFFF00000100007F"));
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
        }
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                if (!a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
                    try (Socket s = new Socket()) {
                        s.connect(new InetSocketAddress(a, port), 2000);
                        throw new AssertionError("H2's port " + port + " answers on " + a);
                    } catch (IOException expected) {
                        // refused: not bound there
                    }
                }
            }
        }
    }
}
