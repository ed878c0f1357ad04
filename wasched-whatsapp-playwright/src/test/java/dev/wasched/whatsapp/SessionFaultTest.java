package dev.wasched.whatsapp;

import dev.wasched.testkit.transport.RecordingTransportContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wasched.policy.ReconnectPolicy;
import dev.wasched.session.AccountState;
import dev.wasched.spi.transport.SessionLostException;
import dev.wasched.spi.transport.TransportEvent;
import dev.wasched.testkit.whatsapp.ReceivedMessage;
import dev.wasched.testkit.whatsapp.WhatsAppWebSimulator;
import dev.wasched.whatsapp.internal.BrowserProcesses;
import dev.wasched.whatsapp.internal.ProfileArchive;
import dev.wasched.whatsapp.internal.SessionCodec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Faults that end or spoil the session (a logout from the phone, a crashed or missing browser, a stored session that
 * cannot be restored) and what the transport does about them. Apart from {@link TransportFaultTest}, the faults in the
 * middle of a send, so the two halves run in parallel test JVMs.
 */
@Tag("browser")
class SessionFaultTest extends BrowserTestBase {
    /** As in {@link TransportFaultTest}: the user interface's path. */
    @Override
    PageLayer pageLayer() {
        return PageLayer.UI_ONLY;
    }

    @Test
    void aLogoutFromThePhoneIsReportedClearsTheSessionAndOffersANewQrCode() throws Exception {
        WhatsAppWebSimulator sim = simulator();
        RecordingTransportContext ctx = new RecordingTransportContext("logout");
        PlaywrightTransport t = linked(sim, ctx);
        assertThat(ctx.session.get()).isNotNull();
        int qrCodesBefore = ctx.events(TransportEvent.QrCode.class).size();

        sim.logoutFromPhone();

        // The state event reaches the context on the transport's event thread, a moment after the state changes.
        TestSupport.await("LOGGED_OUT reported", () -> ctx.states().contains(AccountState.LOGGED_OUT));
        assertThat(ctx.states()).containsSubsequence(AccountState.READY, AccountState.LOGGED_OUT);
        TestSupport.await("stored session cleared", () -> ctx.session.get() == null);
        assertThatThrownBy(() -> t.send(text(ALICE, "after logout"))).isInstanceOf(SessionLostException.class);
        TestSupport.await("a new QR code", () -> ctx.events(TransportEvent.QrCode.class).size() > qrCodesBefore);

        TestSupport.scanLatestQr(sim, ctx.events.subList(qrCodesBefore, ctx.events.size()));
        TestSupport.await("READY again", () -> t.state() == AccountState.READY);
        assertThat(ctx.session.get()).isNotNull();
        t.send(text(ALICE, "linked again"));
        assertThat(sim.received(ALICE)).extracting(ReceivedMessage::text).containsExactly("linked again");
    }

    @Test
    void aRestoredSessionThatNeverShowsTheChatListFallsBackToAQrLogin() throws Exception {
        WhatsAppWebSimulator sim = simulator(b -> b.loadingScreen(Duration.ofMillis(2500)));
        AtomicReference<byte[]> session = new AtomicReference<>();
        linked(sim, "slow-restore", new RecordingTransportContext("slow-restore", session), b -> b).close();
        assertThat(session.get()).isNotNull();

        RecordingTransportContext ctx = new RecordingTransportContext("slow-restore", session);
        PlaywrightTransport t = transport(sim, "slow-restore", b -> b.restoreTimeout(Duration.ofSeconds(1)));
        t.start(ctx);
        TestSupport.await("QR after the restore timed out", () -> !ctx.events(TransportEvent.QrCode.class).isEmpty());
        assertThat(ctx.states()).endsWith(AccountState.QR).doesNotContain(AccountState.READY);
        assertThat(t.state()).isEqualTo(AccountState.QR);
    }

    /**
     * Snapshots that pass the store's checksum but cannot be restored: one the transport's own check refuses, one
     * only the browser refuses (Playwright knows no such SameSite value).
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "wrongly shaped   | {\"cookies\": {}, \"origins\": \"web.whatsapp.com\"}              | field cookies is not an array",
            "browser refuses  | {\"cookies\": [{\"name\": \"wa\", \"value\": \"1\", \"domain\": \"127.0.0.1\", \"path\": \"/\","
                    + " \"sameSite\": \"Sometimes\"}], \"origins\": []} | sameSite",
    })
    void anUnusableStoredSessionIsQuarantinedAndTheTransportFallsBackToAQrLogin(String name, String storageState,
                                                                               String reason) throws Exception {
        WhatsAppWebSimulator sim = simulator();
        AtomicReference<byte[]> session = new AtomicReference<>(SessionCodec.encode(storageState));
        RecordingTransportContext ctx = new RecordingTransportContext("unusable", session);
        PlaywrightTransport t = transport(sim, "unusable", b -> b);
        t.start(ctx);
        TestSupport.await("a QR code", () -> !ctx.events(TransportEvent.QrCode.class).isEmpty());
        assertThat(ctx.quarantined).singleElement().asString().contains(reason);
        assertThat(ctx.states()).doesNotContain(AccountState.FAILED);

        TestSupport.scanLatestQr(sim, ctx.events);
        TestSupport.await("READY", () -> t.state() == AccountState.READY);
        assertThat(ProfileArchive.isArchive(session.get())).as("a fresh session was saved").isTrue();
        assertThat(ctx.quarantined).hasSize(1);
    }

    @Test
    void aCrashedBrowserIsRelaunchedAndTheSessionRestored() throws Exception {
        WhatsAppWebSimulator sim = simulator();
        RecordingTransportContext ctx = new RecordingTransportContext("crash");
        PlaywrightTransport t = linked(sim, "crash", ctx, b -> b.sessionSaveInterval(Duration.ofMillis(300)));
        // The browser commits localStorage a few seconds after the page wrote it: wait until the snapshot has it.
        TestSupport.awaitLoginStored(ctx.session, java.nio.file.Files.createTempDirectory(workDir, "check-"));
        int qrCodes = ctx.events(TransportEvent.QrCode.class).size();

        List<ProcessHandle> browsers = TestSupport.browsers(workDir);
        assertThat(browsers).hasSize(1);
        browsers.forEach(BrowserProcesses::killTree);

        TestSupport.await("DISCONNECTED", () -> ctx.states().contains(AccountState.DISCONNECTED));
        TestSupport.await("READY again", () -> t.state() == AccountState.READY);
        assertThat(ctx.events(TransportEvent.QrCode.class)).as("no new login").hasSize(qrCodes);
        t.send(text(ALICE, "after the crash"));
        assertThat(sim.received(ALICE)).hasSize(1);
    }

    @Test
    void reconnectFailuresOpenTheCircuitAndABrowserThatDoesNotExistFailsAtOnce() throws Exception {
        WhatsAppWebSimulator sim = simulator();
        RecordingTransportContext ctx = new RecordingTransportContext("no-browser");
        PlaywrightTransport broken = transport(sim, "no-browser", b -> b.browserExecutable(Path.of("/bin/false"))
                .reconnect(new ReconnectPolicy(Duration.ofMillis(50), Duration.ofMillis(100), 0.0, 2, Duration.ofMinutes(5))));
        broken.start(ctx);
        // The event, not only the state: the transport sets its state a moment before it reports it.
        TestSupport.await("FAILED reported", () -> broken.state() == AccountState.FAILED
                && ctx.states().contains(AccountState.FAILED));
        assertThat(ctx.states()).containsSubsequence(AccountState.STARTING, AccountState.DISCONNECTED, AccountState.FAILED);
        assertThat(ctx.events(TransportEvent.StateChanged.class)).last()
                .satisfies(e -> assertThat(e.detail()).contains("circuit open"));

        RecordingTransportContext ctx2 = new RecordingTransportContext("missing");
        PlaywrightTransport missing = transport(sim, "missing", b -> b.browserExecutable(workDir.resolve("no-such-chromium")));
        missing.start(ctx2);
        TestSupport.await("FAILED reported", () -> missing.state() == AccountState.FAILED
                && ctx2.states().contains(AccountState.FAILED));
        assertThat(ctx2.events(TransportEvent.StateChanged.class)).last()
                .satisfies(e -> assertThat(e.detail()).contains("does not exist"));
    }
}
