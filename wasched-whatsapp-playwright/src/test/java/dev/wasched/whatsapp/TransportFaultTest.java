package dev.wasched.whatsapp;

import dev.wasched.testkit.transport.RecordingTransportContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wasched.session.AccountState;
import dev.wasched.spi.transport.OutcomeUnknownException;
import dev.wasched.spi.transport.OutgoingMessage;
import dev.wasched.spi.transport.RetryableTransportException;
import dev.wasched.spi.transport.SendReceipt;
import dev.wasched.spi.transport.TransportEvent;
import dev.wasched.testkit.whatsapp.PageGeneration;
import dev.wasched.testkit.whatsapp.ReceivedMessage;
import dev.wasched.testkit.whatsapp.WhatsAppWebSimulator;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Faults WhatsApp Web throws at the transport in the middle of a send, and what it does about them; those that end or
 * spoil the session are in {@link SessionFaultTest}.
 */
@Tag("browser")
class TransportFaultTest extends BrowserTestBase {
    /**
     * Faults in the middle of the user interface's send (reloads, dropped sends, a logout while confirming) and how
     * the chat proves what happened; an in-page send that meets them is an unknown outcome (PageLayerTest).
     */
    @Override
    PageLayer pageLayer() {
        return PageLayer.UI_ONLY;
    }


    @Test
    void aReloadAfterTheServerGotTheMessageDoesNotSendItTwice() throws Exception {
        WhatsAppWebSimulator sim = simulator();
        PlaywrightTransport t = linked(sim, new RecordingTransportContext("reload-slow"));
        List<String> submitted = new CopyOnWriteArrayList<>();
        t.onSubmittedForTest(id -> {
            if (submitted.isEmpty()) {
                sim.reloadPage(); // the page reloads while the bubble still shows its clock
            }
            submitted.add(id);
        });
        sim.slowSends(Duration.ofSeconds(2));
        String text = unique("slow and reloaded");
        SendReceipt r = t.send(text(ALICE, text));
        sim.clearFaults();
        assertThat(submitted).hasSize(1);
        assertThat(r.messageId()).isEqualTo(submitted.get(0));
        assertThat(sim.received(ALICE)).extracting(ReceivedMessage::text).containsExactly(text);
    }

    @Test
    void aReloadBeforeTheServerGotTheMessageSendsItOnceMore() throws Exception {
        WhatsAppWebSimulator sim = simulator();
        PlaywrightTransport t = linked(sim, new RecordingTransportContext("reload-lost"));
        List<String> submitted = new CopyOnWriteArrayList<>();
        t.onSubmittedForTest(id -> {
            if (submitted.isEmpty()) {
                sim.reloadPage(); // the first copy never reaches the server and vanishes with the reload
            }
            submitted.add(id);
        });
        sim.dropSends(1);
        String text = unique("lost in a reload");
        SendReceipt r = t.send(text(ALICE, text));
        // The hook sees bubbles still waiting for the server: the lost copy, and the second one if it was not
        // accepted at once.
        assertThat(submitted).hasSizeBetween(1, 2);
        assertThat(r.messageId()).isNotEqualTo(submitted.get(0));
        assertThat(submitted.subList(1, submitted.size())).allMatch(r.messageId()::equals);
        assertThat(sim.receivedMessage(submitted.get(0))).as("the lost copy").isEmpty();
        assertThat(sim.received(ALICE)).extracting(ReceivedMessage::text).containsExactly(text);
    }

    @Test
    void aDroppedSendIsRetryableAndTheRetrySendsItExactlyOnce() throws Exception {
        WhatsAppWebSimulator sim = simulator();
        PlaywrightTransport t = linked(sim, "dropped", new RecordingTransportContext("dropped"),
                b -> b.sendTimeout(Duration.ofSeconds(2)));
        sim.dropSends(1);
        String text = unique("dropped once");
        OutgoingMessage m = text(ALICE, text);
        assertThatThrownBy(() -> t.send(m)).isInstanceOf(RetryableTransportException.class)
                .hasMessageContaining("not sent");
        assertThat(sim.received(ALICE)).isEmpty();
        assertThat(t.state()).isEqualTo(AccountState.READY);
        t.send(m); // what the engine does after the backoff
        assertThat(sim.received(ALICE)).extracting(ReceivedMessage::text).containsExactly(text);
    }

    @Test
    void aLogoutWhileConfirmingIsAnUnknownOutcomeAndTheMessageIsNeverSentAgain() throws Exception {
        WhatsAppWebSimulator sim = simulator();
        RecordingTransportContext ctx = new RecordingTransportContext("logout-confirming");
        PlaywrightTransport t = linked(sim, ctx);
        sim.slowSends(Duration.ofSeconds(2));
        // After the click, before the transport reads the tick: the hook holds the transport while the page's post
        // reaches the server (the page shows the row first and posts it after, so a logout at once could beat the
        // post), then logs out and waits for the page to leave for the QR code.
        t.onSubmittedForTest(id -> {
            TestSupport.await("the server has the message", () -> sim.receivedMessage(id).isPresent());
            long loads = sim.pageLoads();
            sim.logoutFromPhone();
            TestSupport.await("the page went to the QR code", () -> sim.pageLoads() > loads);
        });
        String text = unique("sent while logged out");
        OutgoingMessage m = text(ALICE, text);
        assertThatThrownBy(() -> t.send(m)).isInstanceOf(OutcomeUnknownException.class)
                .hasMessageContaining("logged out while confirming");
        assertThat(ctx.lastMessageId(m.deliveryId())).as("the id was reported before the logout").isNotNull();
        TestSupport.await("LOGGED_OUT", () -> ctx.states().contains(AccountState.LOGGED_OUT));
        List<ReceivedMessage> got = sim.awaitReceived(ALICE, 1, Duration.ofSeconds(10));
        assertThat(got).singleElement()
                .satisfies(x -> TestSupport.assertSameMessage(x.id(), ctx.lastMessageId(m.deliveryId())));
    }

    @Test
    void whenWhatsAppWebRenamesItsIconsTextStillGoesWithEnterAndAnOverrideAloneMakesMediaWorkAgain() throws Exception {
        // The 2024 page, whose icons the 2025-26 names replace here; the one-value profile of the first format only
        // knows that page.
        WhatsAppWebSimulator sim = simulator(b -> b.pageGeneration(PageGeneration.WEB_2024));
        AtomicReference<byte[]> session = new AtomicReference<>();
        RecordingTransportContext first = new RecordingTransportContext("override", session);
        // The one-value profile of the first format: the shipped candidate lists already know the new icon.
        SelectorProfile oneValue = SelectorProfile.fromClasspath("/dev/wasched/whatsapp/selectors-v1.json");
        PlaywrightTransport standard = linked(sim, "override", first, b -> b.elementTimeout(Duration.ofSeconds(2))
                .selectors(oneValue));

        long loads = sim.pageLoads();
        sim.setDomVariant(sim.domVariant().withSendIcon("wds-ic-send-filled").withAttachIcon("plus-rounded"));
        // The open page reloads to pick the new names up; a send meanwhile could fail for the reload instead.
        TestSupport.await("the page reloaded", () -> sim.pageLoads() > loads);

        // No send control under the profile's name: the text is sent with Enter, once. The page may still be
        // settling after its reload: a send it breaks off is retryable (nothing sent), and is tried again as the
        // engine would.
        OutgoingMessage enter = text(ALICE, "with the old profile");
        try {
            standard.send(enter);
        } catch (RetryableTransportException settling) {
            TestSupport.await("READY", () -> standard.state() == AccountState.READY);
            standard.send(enter);
        }
        assertThat(sim.received(ALICE)).extracting(ReceivedMessage::text).containsExactly("with the old profile");
        byte[] pdf = "%PDF-1.4 fake".getBytes();
        assertThatThrownBy(() -> standard.send(media(BOB, pdf, "application/pdf", "terms.pdf", "")))
                .isInstanceOf(RetryableTransportException.class).hasMessageContaining("'attachButton'");
        assertThat(sim.received(BOB)).isEmpty();
        standard.close();

        RecordingTransportContext second = new RecordingTransportContext("override", session);
        PlaywrightTransport overridden = linked(sim, "override", second, b -> b.selectors(oneValue)
                .selectorOverride("attachButton", "span[data-icon=\"plus-rounded\"]")
                .selectorOverride("sendButton", "button > span[data-icon=\"wds-ic-send-filled\"]")
                .selectorOverride("mediaSendButton",
                        "div[data-media-preview] div[role=\"button\"] > span[data-icon=\"wds-ic-send-filled\"]"));
        assertThat(second.events(TransportEvent.QrCode.class)).as("session restored").isEmpty();
        overridden.send(media(BOB, pdf, "application/pdf", "terms.pdf", "with the keys overridden"));
        assertThat(sim.received(BOB)).singleElement()
                .satisfies(m -> assertThat(m.caption()).isEqualTo("with the keys overridden"));
        assertThat(sim.allReceived()).hasSize(2);
    }
}
