package dev.wasched.whatsapp;

import dev.wasched.policy.ReconnectPolicy;
import dev.wasched.spi.transport.TransportEvent;
import dev.wasched.testkit.whatsapp.InPageModules;
import dev.wasched.testkit.whatsapp.LinkRejectedException;
import dev.wasched.testkit.whatsapp.WhatsAppWebSimulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Shared pieces of the browser tests: the system Chromium, quick timeouts, a fast simulator, waiting helpers. */
final class TestSupport {
    static final Duration WAIT = Duration.ofSeconds(30);

    private TestSupport() {
    }

    /**
     * Asserts that the simulator's record of a message ({@code true_<chat>_<key>...}) is the message the page showed
     * with {@code pageId}: the same full id on the 2024 page, the bare key on the 2025-26 page.
     */
    static void assertSameMessage(String recordedId, String pageId) {
        org.assertj.core.api.Assertions.assertThat(pageId).as("the id the page showed").isNotBlank();
        org.assertj.core.api.Assertions.assertThat(recordedId.equals(pageId) || recordedId.endsWith("_" + pageId)
                || recordedId.contains("_" + pageId + "_"))
                .as("the recorded message %s is the one shown as %s", recordedId, pageId).isTrue();
    }

    /** Debian's Chromium (or WASCHED_CHROMIUM); the tests need it and fail, not skip, without it. */
    static Path chromium() {
        Path p = Path.of(System.getenv().getOrDefault("WASCHED_CHROMIUM", "/usr/bin/chromium"));
        if (!Files.isExecutable(p)) {
            throw new IllegalStateException("these tests need Chromium at " + p
                    + " (apt-get install -y chromium, or set WASCHED_CHROMIUM)");
        }
        return p;
    }

    /**
     * A simulator that boots fast; its modules register within 200 ms of the chat list (the real page's 1.5 s is what
     * {@code PageLayerTest} waits out), since every transport in AUTO waits for the registry to settle.
     */
    static WhatsAppWebSimulator.Builder fastSimulator() {
        return WhatsAppWebSimulator.builder().loadingScreen(Duration.ofMillis(100)).pollInterval(Duration.ofMillis(100))
                .inPageModules(InPageModules.standard().withRegistrationSpread(FAST_MODULE_SPREAD));
    }

    /** How long the fast simulator's page takes to register its modules: within the tests' module settle time. */
    static final Duration FAST_MODULE_SPREAD = Duration.ofMillis(200);

    /** A configuration with timeouts that suit a local simulator. */
    static PlaywrightTransportConfig.Builder config(String account, String url, Path workDir) {
        return PlaywrightTransportConfig.builder(account)
                .webUrl(url)
                .browserExecutable(chromium())
                .workDirectory(workDir)
                .pollInterval(Duration.ofMillis(100))
                .pageTimeout(Duration.ofSeconds(30)) // waited out only when something is wrong
                .elementTimeout(Duration.ofSeconds(5))
                .sendTimeout(Duration.ofSeconds(10))
                .restoreTimeout(Duration.ofSeconds(20))
                .sessionSaveInterval(Duration.ofMillis(500))
                // fastSimulator registers its modules within 200 ms; PageLayerTest waits the real 750 ms out
                .moduleSettle(Duration.ofMillis(250))
                // Longer than Chromium's delay in writing localStorage to disk, shorter than the 10 s default.
                .snapshotSettle(Duration.ofSeconds(6))
                .ackSweepInterval(Duration.ofSeconds(1))
                .reconnect(new ReconnectPolicy(Duration.ofMillis(200), Duration.ofSeconds(2), 0.1, 5, Duration.ofSeconds(10)));
    }

    /**
     * The main browser processes of the transports working under {@code prefix}: the one process whose disk cache
     * lies there (its other processes name the profile folder, which lies there too).
     */
    static List<ProcessHandle> browsers(Path prefix) {
        return dev.wasched.whatsapp.internal.BrowserProcesses.withMarker("--disk-cache-dir=" + prefix);
    }

    /** Scans the newest QR payload the transport reported; retries when the simulator rotated it meanwhile. */
    static void scanLatestQr(WhatsAppWebSimulator sim, List<TransportEvent> events) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            Optional<String> payload = events.stream().filter(e -> e instanceof TransportEvent.QrCode)
                    .map(e -> ((TransportEvent.QrCode) e).payload()).reduce((a, b) -> b);
            if (payload.isPresent()) {
                try {
                    sim.scanQr(payload.get());
                    return;
                } catch (LinkRejectedException e) {
                    if (System.nanoTime() > deadline) {
                        throw e;
                    }
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no QR code was reported; events: " + events);
            }
            pause();
        }
    }

    /**
     * Waits until the stored session is a browser profile snapshot that holds the simulator's login data in its
     * {@code Local Storage} folder (Chromium commits localStorage to disk a few seconds after the page wrote it).
     */
    static void awaitLoginStored(java.util.concurrent.atomic.AtomicReference<byte[]> session, Path scratch) {
        awaitLoginStored(session::get, scratch);
    }

    static void awaitLoginStored(Supplier<byte[]> session, Path scratch) {
        await("the login stored in the profile snapshot", () -> {
            byte[] s = session.get();
            if (s == null || !dev.wasched.whatsapp.internal.ProfileArchive.isArchive(s)) {
                return false;
            }
            try {
                Path dir = Files.createTempDirectory(scratch, "unpacked-");
                dev.wasched.whatsapp.internal.ProfileArchive.unpack(s, dir);
                Path ls = dir.resolve("Default/Local Storage");
                if (!Files.isDirectory(ls)) {
                    return false;
                }
                try (var files = Files.walk(ls)) {
                    return files.filter(Files::isRegularFile).anyMatch(f -> {
                        try {
                            return new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1)
                                    .contains("WASimSession");
                        } catch (java.io.IOException e) {
                            return false;
                        }
                    });
                }
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
    }

    static void await(String what, BooleanSupplier condition) {
        await(what, WAIT, condition);
    }

    static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            pause();
        }
    }

    static <T> T awaitValue(String what, Supplier<Optional<T>> probe) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            Optional<T> v = probe.get();
            if (v.isPresent()) {
                return v.get();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + WAIT + " waiting for " + what);
            }
            pause();
        }
    }

    /** The poll step of the condition waits above (not a fixed wait for an outcome). */
    private static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
