package dev.wasched.examples;

import dev.wasched.testkit.whatsapp.WhatsAppWebSimulator;
import dev.wasched.whatsapp.PlaywrightTransportConfig;
import java.nio.file.Path;
import java.time.Duration;

/** The WhatsApp Web transport's settings for an end-to-end test against the simulator: short waits, no guessing. */
final class SimulatorTransport {
    private SimulatorTransport() {
    }

    static PlaywrightTransportConfig.Builder config(String account, WhatsAppWebSimulator sim, Path workDirectory) {
        return PlaywrightTransportConfig.builder(account)
                .webUrl(sim.url())
                .browserExecutable(Path.of(System.getenv().getOrDefault("WASCHED_CHROMIUM", "/usr/bin/chromium")))
                .workDirectory(workDirectory)
                // a user agent of its own spares the start a throwaway launch that only learns Chromium's
                .userAgent("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 "
                        + "Safari/537.36")
                .pollInterval(Duration.ofMillis(100))
                .pageTimeout(Duration.ofSeconds(30))
                .elementTimeout(Duration.ofSeconds(5))
                .sendTimeout(Duration.ofSeconds(10));
    }
}
