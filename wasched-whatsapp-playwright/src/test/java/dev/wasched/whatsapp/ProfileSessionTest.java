package dev.wasched.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wasched.session.AccountState;
import dev.wasched.spi.transport.TransportEvent;
import dev.wasched.testkit.transport.RecordingTransportContext;
import dev.wasched.testkit.whatsapp.ReceivedMessage;
import dev.wasched.testkit.whatsapp.WhatsAppWebSimulator;
import dev.wasched.whatsapp.internal.BrowserProcesses;
import dev.wasched.whatsapp.internal.ProfileArchive;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Sessions are browser profiles: the simulator keeps its login data encrypted with a non-extractable CryptoKey in
 * IndexedDB, as WhatsApp Web does, so only a copy of the profile folders logs in again; a storage-state snapshot
 * does not ({@link ProfileSessionQuarantineTest}).
 */
@Tag("browser")
class ProfileSessionTest extends BrowserTestBase {

    private PlaywrightTransport linkedAndStored(WhatsAppWebSimulator sim, String account,
                                                RecordingTransportContext ctx) throws Exception {
        PlaywrightTransport t = linked(sim, account, ctx, b -> b.sessionSaveInterval(Duration.ofMillis(300)));
        TestSupport.awaitLoginStored(ctx.session, Files.createTempDirectory(workDir, "check-"));
        return t;
    }

    @Test
    void aRestartLogsInFromTheProfileSnapshotWithoutAQrCode() throws Exception {
        WhatsAppWebSimulator sim = simulator();
        AtomicReference<byte[]> session = new AtomicReference<>();
        RecordingTransportContext first = new RecordingTransportContext("restart", session);
        linkedAndStored(sim, "restart", first).close();
        assertThat(ProfileArchive.isArchive(session.get())).as("the stored session is a profile snapshot").isTrue();
        assertThat(TestSupport.browsers(workDir)).as("the browser ended").isEmpty();
        try (var left = Files.list(workDir)) {
            assertThat(left.filter(p -> p.getFileName().toString().startsWith("wasched-")))
                    .as("the profile folder was deleted on close").isEmpty();
        }

        RecordingTransportContext second = new RecordingTransportContext("restart", session);
        PlaywrightTransport t = transport(sim, "restart", b -> b);
        t.start(second);
        TestSupport.await("READY from the profile snapshot", () -> t.state() == AccountState.READY);
        assertThat(second.events(TransportEvent.QrCode.class)).as("no QR code after a restart").isEmpty();
        assertThat(second.quarantined).isEmpty();
        t.send(text(ALICE, "after the restart"));
        assertThat(sim.received(ALICE)).extracting(ReceivedMessage::text).containsExactly("after the restart");
    }

    /**
     * Snapshots are packed and stored beside the sends, while the page writes (each send adds to the chat history in
     * IndexedDB); one taken that way, not the tidy one at close, restores without a QR code.
     */
    @Test
    void aSnapshotTakenWhileSendingRestoresWithoutAQrCode() throws Exception {
        WhatsAppWebSimulator sim = simulator(b -> b.chatHistoryBytes(2L * 1024 * 1024));
        AtomicReference<byte[]> session = new AtomicReference<>();
        RecordingTransportContext first = new RecordingTransportContext("busy", session);
        // Sends through the interface open chats, and so change the profile while they run; in-page ones do not.
        PlaywrightTransport t = linked(sim, "busy", first, b -> b.sessionSaveInterval(Duration.ofMillis(300))
                .pageLayer(PageLayer.UI_ONLY));
        TestSupport.awaitLoginStored(first.session, Files.createTempDirectory(workDir, "check-"));
        long before = t.stats().snapshotsSaved();
        byte[] busy = null;
        for (int i = 0; i < 120 && busy == null; i++) {
            byte[] stored = session.get();
            t.send(text(ALICE, "busy " + i));
            Thread.sleep(100);
            if (t.stats().snapshotsSaved() > before && session.get() != stored) {
                busy = session.get(); // stored while sends went on
            }
        }
        assertThat(busy).as("a snapshot was stored between sends " + t.stats()).isNotNull();
        assertThat(t.stats().lastSnapshotBytes()).as("the chat history is in the snapshot").isGreaterThan(1024 * 1024);
        t.close();

        AtomicReference<byte[]> copy = new AtomicReference<>(busy);
        RecordingTransportContext second = new RecordingTransportContext("busy", copy);
        PlaywrightTransport again = transport(sim, "busy", b -> b);
        again.start(second);
        TestSupport.await("READY from the busy snapshot", () -> again.state() == AccountState.READY);
        assertThat(second.events(TransportEvent.QrCode.class)).isEmpty();
        assertThat(second.quarantined).isEmpty();
    }

    /** Closing right after the link: the browser closes first, so what it still held reaches the snapshot. */
    @Test
    void aCloseRightAfterTheLinkStillRestartsWithoutAQrCode() throws Exception {
        WhatsAppWebSimulator sim = simulator();
        AtomicReference<byte[]> session = new AtomicReference<>();
        linked(sim, "quick", new RecordingTransportContext("quick", session),
                b -> b.sessionSaveInterval(Duration.ofHours(1))).close();

        RecordingTransportContext second = new RecordingTransportContext("quick", session);
        PlaywrightTransport t = transport(sim, "quick", b -> b);
        t.start(second);
        TestSupport.await("READY from the profile snapshot", () -> t.state() == AccountState.READY);
        assertThat(second.events(TransportEvent.QrCode.class)).as("no QR code after a restart").isEmpty();
    }

    @Test
    void aKilledBrowserReconnectsFromTheProfileSnapshotWithoutAQrCode() throws Exception {
        WhatsAppWebSimulator sim = simulator();
        RecordingTransportContext ctx = new RecordingTransportContext("killed");
        PlaywrightTransport t = linkedAndStored(sim, "killed", ctx);
        int qrCodes = ctx.events(TransportEvent.QrCode.class).size();

        List<ProcessHandle> browsers = TestSupport.browsers(workDir);
        assertThat(browsers).hasSize(1);
        browsers.forEach(BrowserProcesses::killTree); // no polite close: nothing is flushed or saved

        TestSupport.await("DISCONNECTED", () -> ctx.states().contains(AccountState.DISCONNECTED));
        TestSupport.await("READY again", () -> t.state() == AccountState.READY);
        assertThat(ctx.events(TransportEvent.QrCode.class)).as("no new login").hasSize(qrCodes);
        assertThat(ctx.quarantined).isEmpty();
        t.send(text(ALICE, "after the crash"));
        assertThat(sim.received(ALICE)).extracting(ReceivedMessage::text).containsExactly("after the crash");
    }
}
