package dev.wasched.whatsapp;

import dev.wasched.testkit.transport.RecordingTransportContext;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wasched.session.AccountState;
import dev.wasched.testkit.whatsapp.WhatsAppWebSimulator;
import dev.wasched.whatsapp.internal.BrowserProcesses;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Every close ends the browser, wherever the transport was in its start-up. Only processes this JVM can have started
 * are counted, so browsers of other programs on the machine neither fail the test nor hide a leak.
 */
@Tag("browser")
class ProcessLeakTest extends BrowserTestBase {
    /** Two of each kind of cycle; more (-Dleak.cycles) belong to a soak run, not the default suite. */
    private static final int CYCLES = Integer.getInteger("leak.cycles", 6);

    @Test
    void repeatedStartsAndClosesLeaveNoChromiumProcess() {
        WhatsAppWebSimulator sim = simulator();
        String marker = workDir.toString();
        Set<String> profiles = new LinkedHashSet<>(); // of the browsers seen running, to find their strays later
        Set<ProcessHandle> before = ours(marker, profiles);
        long driversBefore = drivers();
        int maxMarked = 0;
        for (int i = 0; i < CYCLES; i++) {
            PlaywrightTransport t = transport(sim, "leak-" + i, b -> b.closeTimeout(Duration.ofSeconds(5)));
            t.start(new RecordingTransportContext("leak-" + i));
            switch (i % 3) {
                case 0 -> TestSupport.await("QR", () -> t.state() == AccountState.QR); // page up
                case 1 -> TestSupport.await("a browser process", () -> !BrowserProcesses.withMarker(marker).isEmpty());
                default -> { } // close while Playwright is still starting
            }
            maxMarked = Math.max(maxMarked, BrowserProcesses.withMarker(marker).size());
            profiles.addAll(BrowserProcesses.profileDirectories(BrowserProcesses.withMarker(marker)));
            t.close();
            assertThat(BrowserProcesses.withMarker(marker)).as("browser of cycle %d after close", i).isEmpty();
            assertThat(t.state()).isEqualTo(AccountState.STOPPED);
        }
        // Zygotes and renderers may outlive their browser for a moment; nothing may stay.
        TestSupport.await("no process of these browsers beyond the " + before.size() + " there were before",
                Duration.ofSeconds(10), () -> before.containsAll(ours(marker, profiles)));
        assertThat(drivers()).as("Playwright drivers").isLessThanOrEqualTo(driversBefore);
        assertThat(maxMarked).as("a browser was running in the cycles that waited for one").isPositive();
        assertThat(profiles).as("profile directories seen").isNotEmpty();
        System.out.printf("process-leak: %d cycles, marked browser processes at most %d while open, 0 after each close;"
                + " processes of this JVM or its browsers before=%d after=%d, drivers before=%d after=%d%n",
                CYCLES, maxMarked, before.size(), ours(marker, profiles).size(), driversBefore, drivers());
    }

    /**
     * The live processes this test may have left: everything below this JVM, and what names the transports' marker or
     * one of their browsers' profile directories (a zygote whose browser is gone is no longer below this JVM).
     * Chromium's crash handlers name neither and cannot be told apart from other programs' ones, so they are not
     * counted.
     */
    private static Set<ProcessHandle> ours(String marker, Set<String> profiles) {
        Set<ProcessHandle> found = new LinkedHashSet<>();
        try (Stream<ProcessHandle> below = ProcessHandle.current().descendants()) {
            below.filter(ProcessHandle::isAlive).forEach(found::add);
        }
        found.addAll(BrowserProcesses.withMarker(marker));
        for (String profile : profiles) {
            found.addAll(BrowserProcesses.withMarker(profile));
        }
        return found;
    }

    private static long drivers() {
        return BrowserProcesses.jvmChildren(cmd -> cmd.contains("run-driver")).size();
    }
}
