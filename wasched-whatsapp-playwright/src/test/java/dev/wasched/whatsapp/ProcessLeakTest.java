package dev.wasched.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wasched.session.AccountState;
import dev.wasched.testkit.whatsapp.WhatsAppWebSimulator;
import dev.wasched.whatsapp.internal.BrowserProcesses;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every close ends the browser, wherever the transport was in its start-up. */
class ProcessLeakTest extends BrowserTestBase {
    private static final int CYCLES = 30;

    @Test
    void thirtyStartsAndClosesLeaveNoChromiumProcess() {
        WhatsAppWebSimulator sim = simulator();
        String marker = workDir.toString();
        long chromiumBefore = allChromium();
        long driversBefore = drivers();
        int maxMarked = 0;
        for (int i = 0; i < CYCLES; i++) {
            PlaywrightTransport t = transport(sim, "leak-" + i, b -> b.closeTimeout(Duration.ofSeconds(5)));
            t.start(new RecordingContext("leak-" + i));
            switch (i % 3) {
                case 0 -> TestSupport.await("QR", () -> t.state() == AccountState.QR); // page up
                case 1 -> TestSupport.await("a browser process", () -> !BrowserProcesses.withMarker(marker).isEmpty());
                default -> { } // close while Playwright is still starting
            }
            maxMarked = Math.max(maxMarked, BrowserProcesses.withMarker(marker).size());
            t.close();
            assertThat(BrowserProcesses.withMarker(marker)).as("browser of cycle %d after close", i).isEmpty();
            assertThat(t.state()).isEqualTo(AccountState.STOPPED);
        }
        // Crashpad handlers leave a moment after their browser; nothing else may stay.
        TestSupport.await("no chromium beyond the " + chromiumBefore + " there were before",
                Duration.ofSeconds(10), () -> allChromium() <= chromiumBefore);
        assertThat(drivers()).as("Playwright drivers").isLessThanOrEqualTo(driversBefore);
        assertThat(maxMarked).as("a browser was running in the cycles that waited for one").isPositive();
        System.out.printf("process-leak: %d cycles, marked browser processes at most %d while open, 0 after each close;"
                + " chromium processes before=%d after=%d, drivers before=%d after=%d%n",
                CYCLES, maxMarked, chromiumBefore, allChromium(), driversBefore, drivers());
    }

    private static long allChromium() {
        try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
            return all.filter(ProcessHandle::isAlive).filter(p -> BrowserProcesses.commandLine(p).contains("chromium")).count();
        }
    }

    private static long drivers() {
        return BrowserProcesses.jvmChildren(cmd -> cmd.contains("run-driver")).size();
    }
}
