package dev.wasched.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wasched.Wasched;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * {@code wasched run} and the files it keeps: the QR code file (private, gone on exit), a session key from the
 * environment and its rotation, and the embedded store that the other commands use while run has it open (owner-only
 * files, H2's server on the loopback address only). The fixture is {@link RunCommandFixture}'s, as in
 * {@link RunCommandTest}.
 */
class RunCommandFilesAndKeysTest extends RunCommandFixture {
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
        assertThat(status.out()).contains("instances: " + INSTANCE).contains("account shop (ACTIVE): run by " + INSTANCE);

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
