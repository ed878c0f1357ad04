package dev.wasched.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wasched.session.AccountState;
import dev.wasched.spi.transport.SessionLostException;
import dev.wasched.spi.transport.TransportEvent;
import dev.wasched.testkit.transport.RecordingTransportContext;
import dev.wasched.testkit.whatsapp.ConnectionState;
import dev.wasched.testkit.whatsapp.ReceivedMessage;
import dev.wasched.testkit.whatsapp.WhatsAppWebSimulator;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The screens WhatsApp Web puts between the transport and the chats, on the 2025-26 page: each is one state (one
 * event), a send that meets it is refused with nothing sent (so the engine uses no attempt), and the account is READY
 * again once the screen is gone.
 */
@Tag("browser")
class ScreensTest extends BrowserTestBase {
    @Test
    void aWhatsNewDialogAfterTheBootIsClosedAndSendingWorks() throws Exception {
        WhatsAppWebSimulator sim = simulator(b -> b.whatsNewDialogAfterBoot(true));
        RecordingTransportContext ctx = new RecordingTransportContext("news");
        PlaywrightTransport t = linked(sim, ctx);
        t.send(text(ALICE, "past the dialog"));
        sim.showWhatsNewDialog();
        t.send(text(ALICE, "past it again"));
        assertThat(sim.received(ALICE)).hasSize(2);
        assertThat(ctx.states()).doesNotContain(AccountState.CONFLICT, AccountState.OFFLINE, AccountState.RESTRICTED);
    }

    /** The dialog opens between typing and the send action and takes the click: closed, the send goes on, once. */
    @Test
    void aWhatsNewDialogThatOpensJustBeforeTheSendActionIsClosedAndTheMessageSentOnce() throws Exception {
        WhatsAppWebSimulator sim = simulator();
        // The dialog takes the interface's click; an in-page send does not click.
        PlaywrightTransport t = linked(sim, "late-news", new RecordingTransportContext("late-news"),
                b -> b.pageLayer(PageLayer.UI_ONLY));
        AtomicBoolean shown = new AtomicBoolean();
        t.beforeSendActionForTest(() -> {
            if (shown.compareAndSet(false, true)) {
                sim.showWhatsNewDialog();
                TestSupport.await("the dialog on the page", sim::whatsNewDialogOnScreen);
                sleepQuietly(300); // drawn with the poll answer that carried it
            }
        });
        t.send(text(ALICE, "typed before the dialog"));
        assertThat(shown).isTrue();
        assertThat(sim.received(ALICE)).extracting(ReceivedMessage::text).containsExactly("typed before the dialog");
        assertThat(sim.whatsNewDialogOnScreen()).as("closed by the send").isFalse();
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void thePasskeyStepIsNeedsPasskeyWithTheWayThroughAndReadyOncePassed() throws Exception {
        WhatsAppWebSimulator sim = simulator(b -> b.passkeyAfterLink(true));
        RecordingTransportContext ctx = new RecordingTransportContext("passkey");
        PlaywrightTransport t = transport(sim, "passkey", b -> b);
        t.start(ctx);
        TestSupport.scanLatestQr(sim, ctx.events);
        // The event, not only the state: the session sets its state a moment before it reports the change.
        TestSupport.await("NEEDS_PASSKEY reported", () -> ctx.states().contains(AccountState.NEEDS_PASSKEY));
        assertThat(t.state()).isEqualTo(AccountState.NEEDS_PASSKEY);
        assertThat(ctx.events(TransportEvent.StateChanged.class)).filteredOn(e -> e.state() == AccountState.NEEDS_PASSKEY)
                .singleElement().satisfies(e -> assertThat(e.detail()).contains("./wasched link passkey --headed"));
        assertThatThrownBy(() -> t.send(text(ALICE, "during the passkey step"))).isInstanceOf(SessionLostException.class);

        sim.completePasskey();
        TestSupport.await("READY", () -> t.state() == AccountState.READY);
        t.send(text(ALICE, "after the passkey"));
        assertThat(sim.received(ALICE)).singleElement().satisfies(r -> assertThat(r.text()).isEqualTo("after the passkey"));
    }

    @Test
    void anotherWindowIsConflictAndThePageIsTakenBackWithUseHere() throws Exception {
        WhatsAppWebSimulator sim = simulator();
        RecordingTransportContext ctx = new RecordingTransportContext("conflict");
        PlaywrightTransport t = linked(sim, ctx);
        sim.openElsewhere();
        TestSupport.await("CONFLICT reported", () -> ctx.states().contains(AccountState.CONFLICT));
        TestSupport.await("READY again", () -> t.state() == AccountState.READY);
        t.send(text(ALICE, "taken back"));
        assertThat(sim.received(ALICE)).hasSize(1);
    }

    @Test
    void withoutTakeBacksTheAccountStaysConflictAndSendsNothing() throws Exception {
        WhatsAppWebSimulator sim = simulator();
        RecordingTransportContext ctx = new RecordingTransportContext("conflict");
        PlaywrightTransport t = linked(sim, "conflict", ctx, b -> b.conflictTakeBacksPerHour(0));
        sim.openElsewhere();
        TestSupport.await("CONFLICT", () -> t.state() == AccountState.CONFLICT);
        assertThatThrownBy(() -> t.send(text(ALICE, "not while elsewhere"))).isInstanceOf(SessionLostException.class);
        assertThat(sim.received(ALICE)).isEmpty();
        assertThat(t.state()).isEqualTo(AccountState.CONFLICT);
    }

    @Test
    void aRestrictedAccountRefusesSendsWithNothingSentUntilTheRestrictionEnds() throws Exception {
        WhatsAppWebSimulator sim = simulator();
        RecordingTransportContext ctx = new RecordingTransportContext("restricted");
        // The banner shows in an open chat; in-page sends open none (PageLayerTest covers them).
        PlaywrightTransport t = linked(sim, "restricted", ctx, b -> b.pageLayer(PageLayer.UI_ONLY));
        t.send(text(ALICE, "before"));
        sim.setAccountRestricted(true);
        // The open chat shows the banner at the page's next update; the transport reads it from there.
        TestSupport.await("RESTRICTED", () -> t.state() == AccountState.RESTRICTED);
        assertThatThrownBy(() -> t.send(text(ALICE, "into the restriction"))).isInstanceOf(SessionLostException.class);
        assertThat(sim.received(ALICE)).hasSize(1);

        sim.setAccountRestricted(false);
        TestSupport.await("READY", () -> t.state() == AccountState.READY);
        t.send(text(ALICE, "after"));
        assertThat(sim.received(ALICE)).hasSize(2);
    }

    @Test
    void anOfflinePageRefusesSendsAndNeverCallsANumberUnregistered() throws Exception {
        WhatsAppWebSimulator sim = simulator();
        RecordingTransportContext ctx = new RecordingTransportContext("offline");
        PlaywrightTransport t = linked(sim, ctx);
        sim.setConnection(ConnectionState.COMPUTER_NOT_CONNECTED);
        TestSupport.await("OFFLINE reported", () -> ctx.states().contains(AccountState.OFFLINE));
        assertThat(t.state()).isEqualTo(AccountState.OFFLINE);
        assertThat(ctx.events(TransportEvent.StateChanged.class)).filteredOn(e -> e.state() == AccountState.OFFLINE)
                .singleElement().satisfies(e -> assertThat(e.detail()).contains("Computer not connected"));
        assertThatThrownBy(() -> t.send(text(ALICE, "while offline"))).isInstanceOf(SessionLostException.class);
        assertThatThrownBy(() -> t.isRegistered(phone(NOBODY))).isInstanceOf(SessionLostException.class);

        sim.setConnection(ConnectionState.ONLINE);
        TestSupport.await("READY", () -> t.state() == AccountState.READY);
        assertThat(t.isRegistered(phone(NOBODY))).isFalse();
        t.send(text(ALICE, "online again"));
        assertThat(sim.received(ALICE)).extracting(r -> r.text()).containsExactly("online again");
    }
}
