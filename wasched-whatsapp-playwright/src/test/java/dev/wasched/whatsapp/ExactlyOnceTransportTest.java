package dev.wasched.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wasched.session.AccountState;
import dev.wasched.spi.transport.LookupResult;
import dev.wasched.spi.transport.OutcomeUnknownException;
import dev.wasched.spi.transport.OutgoingMessage;
import dev.wasched.spi.transport.RetryableTransportException;
import dev.wasched.spi.transport.SendReceipt;
import dev.wasched.spi.transport.TransportEvent;
import dev.wasched.testkit.transport.RecordingTransportContext;
import dev.wasched.testkit.transport.RecordingTransportContext.EvidenceKind;
import dev.wasched.testkit.whatsapp.ReceivedMessage;
import dev.wasched.testkit.whatsapp.WhatsAppWebSimulator;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * At most one copy, and proof for every claim: a send the caller gave up on never acts afterwards, one that had acted
 * reports an unknown outcome, the send marker and the message id reach the engine in time, and a lookup settles a
 * delivery only with proof.
 */
@Tag("browser")
class ExactlyOnceTransportTest extends BrowserTestBase {

    @Test
    void aSendHeldBeforeTheSendActionPastTheCallTimeOutIsCalledOffAndNeverActs() throws Exception {
        WhatsAppWebSimulator sim = simulator();
        RecordingTransportContext ctx = new RecordingTransportContext("held-before");
        PlaywrightTransport t = linked(sim, ctx);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch resumed = new CountDownLatch(1);
        t.sendCallTimeoutForTest(Duration.ofSeconds(5));
        t.beforeSendActionForTest(() -> {
            try {
                release.await(30, TimeUnit.SECONDS); // the browser thread is held right before the click
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            resumed.countDown();
        });
        String text = unique("held before the click");
        OutgoingMessage m = text(ALICE, text);

        assertThatThrownBy(() -> t.send(m)).isInstanceOf(RetryableTransportException.class)
                .hasMessageContaining("called off");
        assertThat(ctx.lastSendMarker(m.deliveryId())).as("the marker was stored before the hold").isNotNull();
        release.countDown(); // the held task goes on after its caller gave up: it must not click
        assertThat(resumed.await(10, TimeUnit.SECONDS)).isTrue();
        t.beforeSendActionForTest(null);
        t.sendCallTimeoutForTest(null);
        // Whatever the called-off task would do next happens before this send runs on the same thread.
        SendReceipt retry = t.send(m);
        assertThat(sim.received(ALICE)).extracting(ReceivedMessage::text).containsExactly(text);
        TestSupport.assertSameMessage(sim.received(ALICE).get(0).id(), retry.messageId());
    }

    @Test
    void aSendHeldAfterTheSendActionPastTheCallTimeOutIsAnUnknownOutcomeAndGoesOutAtMostOnce() throws Exception {
        WhatsAppWebSimulator sim = simulator();
        RecordingTransportContext ctx = new RecordingTransportContext("held-after");
        PlaywrightTransport t = linked(sim, "held-after", ctx, b -> b.sendTimeout(Duration.ofSeconds(25)));
        t.sendCallTimeoutForTest(Duration.ofSeconds(5));
        sim.slowSends(Duration.ofSeconds(9)); // the server accepts it after the caller gave up
        String text = unique("held after the click");
        OutgoingMessage m = text(ALICE, text);

        assertThatThrownBy(() -> t.send(m)).isInstanceOf(OutcomeUnknownException.class)
                .hasMessageContaining("whether it went out is unknown");
        String reportedId = ctx.lastMessageId(m.deliveryId());
        assertThat(reportedId).as("the id was handed over before the caller gave up").isNotNull();
        ReceivedMessage got = sim.awaitReceived(ALICE, 1, Duration.ofSeconds(30)).get(0);
        TestSupport.assertSameMessage(got.id(), reportedId);
        sim.clearFaults();
        // The abandoned task finishes confirming, but never sends again: the next call waits behind it.
        t.sendCallTimeoutForTest(null);
        String next = unique("the next message");
        t.send(text(BOB, next));
        assertThat(sim.received(ALICE)).extracting(ReceivedMessage::text).containsExactly(text);
        assertThat(sim.received(BOB)).extracting(ReceivedMessage::text).containsExactly(next);
        // And the engine can settle the delivery with the id it was given.
        OutgoingMessage asStored = new OutgoingMessage(m.deliveryId(), m.account(), m.recipient(), m.content(), null,
                false, reportedId, ctx.lastSendMarker(m.deliveryId()));
        assertThat(t.lookup(asStored).foundReceipt()).hasValueSatisfying(r -> assertThat(r.messageId())
                .isEqualTo(reportedId));
    }

    @Test
    void theMarkerPrecedesTheSendActionAndTheIdIsReportedBeforeTheTick() throws Exception {
        WhatsAppWebSimulator sim = simulator();
        RecordingTransportContext ctx = new RecordingTransportContext("evidence");
        // The user interface's marker (the chat's newest row); an in-page send's is its own id (PageLayerTest).
        PlaywrightTransport t = linked(sim, "evidence", ctx, b -> b.pageLayer(PageLayer.UI_ONLY));
        SendReceipt first = t.send(text(ALICE, unique("first")));
        sim.slowSends(Duration.ofSeconds(1));
        OutgoingMessage m = text(ALICE, unique("second"));
        String[] idAtSubmit = new String[1];
        t.onSubmittedForTest(id -> idAtSubmit[0] = ctx.lastMessageId(m.deliveryId()));
        SendReceipt second = t.send(m);
        assertThat(ctx.evidenceOf(m.deliveryId())).extracting(RecordingTransportContext.Evidence::kind)
                .containsExactly(EvidenceKind.SEND_MARKER, EvidenceKind.MESSAGE_ID);
        assertThat(ctx.lastSendMarker(m.deliveryId())).as("the newest outgoing row before the click")
                .isEqualTo(first.messageId());
        assertThat(idAtSubmit[0]).as("reported while the message still showed its clock")
                .isEqualTo(second.messageId());
        OutgoingMessage toBob = text(BOB, unique("a new chat"));
        t.send(toBob);
        assertThat(ctx.lastSendMarker(toBob.deliveryId())).as("a chat without outgoing rows").isEqualTo("none");
    }

    /**
     * A daily reminder with the same text: yesterday's went out; today's attempt is UNCERTAIN. Yesterday's bubble
     * must not settle today's delivery; a bubble that really went out after today's marker does.
     */
    @Test
    void yesterdaysIdenticalReminderDoesNotSettleTodaysUncertainDelivery() throws Exception {
        WhatsAppWebSimulator sim = simulator();
        RecordingTransportContext ctx = new RecordingTransportContext("reminder");
        // The user interface's marker (the chat's newest row); an in-page send's is its own id (PageLayerTest).
        PlaywrightTransport t = linked(sim, "reminder", ctx, b -> b.pageLayer(PageLayer.UI_ONLY));
        String reminder = unique("Take your pills");
        OutgoingMessage yesterday = text(ALICE, reminder);
        SendReceipt sentYesterday = t.send(yesterday);

        // Today: the owner died while SENDING, before any evidence was stored.
        LookupResult noEvidence = t.lookup(attempt(yesterday, newId(), null, null));
        assertThat(noEvidence).isInstanceOf(LookupResult.Unknown.class);
        assertThat(((LookupResult.Unknown) noEvidence).reason()).contains("no send marker");
        // Today: the marker was stored (the chat ended with yesterday's reminder), then the outcome was lost and
        // nothing went out.
        assertThat(t.lookup(attempt(yesterday, newId(), null, sentYesterday.messageId())))
                .isInstanceOf(LookupResult.NotFound.class);

        // Today's reminder really goes out (its id lost on the way): found after the marker, and it is not
        // yesterday's.
        OutgoingMessage today = attempt(yesterday, newId(), null, null);
        SendReceipt sentToday = t.send(today);
        String todaysMarker = ctx.lastSendMarker(today.deliveryId());
        assertThat(todaysMarker).isEqualTo(sentYesterday.messageId());
        assertThat(t.lookup(attempt(today, today.deliveryId(), null, todaysMarker)).foundReceipt())
                .hasValueSatisfying(r -> assertThat(r.messageId()).isEqualTo(sentToday.messageId())
                        .isNotEqualTo(sentYesterday.messageId()));
        assertThat(sim.received(ALICE)).extracting(ReceivedMessage::text).containsExactly(reminder, reminder);
    }

    private static String newId() {
        return java.util.UUID.randomUUID().toString();
    }

    /** An attempt of delivery {@code deliveryId} with the content of {@code m} and the evidence the engine stored. */
    private static OutgoingMessage attempt(OutgoingMessage m, String deliveryId, String knownId, String marker) {
        return new OutgoingMessage(deliveryId, m.account(), m.recipient(), m.content(), null, false, knownId, marker);
    }

    @Test
    void aDeviceLinkedByAnotherAccountIsLoggedOutAtOnceAndItsSessionNeverSaved() throws Exception {
        String own = "+4915112345678";
        String stranger = "+4915199887766";
        WhatsAppWebSimulator sim = simulator(b -> b.phoneNumber(own));
        RecordingTransportContext ctx = new RecordingTransportContext("expected");
        PlaywrightTransport t = transport(sim, "expected", b -> b.expectedNumber(own));
        t.start(ctx);
        TestSupport.await("linked by the stranger's phone", () -> {
            java.util.List<TransportEvent.QrCode> codes = ctx.events(TransportEvent.QrCode.class);
            if (codes.isEmpty()) {
                return false;
            }
            try {
                sim.scanQrAs(codes.get(codes.size() - 1).payload(), stranger);
                return true;
            } catch (dev.wasched.testkit.whatsapp.LinkRejectedException e) {
                return false; // rotated meanwhile
            }
        });

        TestSupport.await("LOGGED_OUT", () -> ctx.states().contains(AccountState.LOGGED_OUT));
        TransportEvent.StateChanged out = ctx.events(TransportEvent.StateChanged.class).stream()
                .filter(e -> e.state() == AccountState.LOGGED_OUT).findFirst().orElseThrow();
        assertThat(out.detail()).contains("+*********7766").contains("+*********5678")
                .doesNotContain("4915199887766").doesNotContain("4915112345678");
        assertThat(ctx.states()).doesNotContain(AccountState.READY);
        assertThat(ctx.saves).as("the stranger's session was never saved").hasValue(0);
        assertThat(ctx.session.get()).isNull();
        assertThatThrownBy(() -> t.send(text(ALICE, "never"))).isInstanceOf(
                dev.wasched.spi.transport.SessionLostException.class);

        // The right phone links: READY, and now the session is saved.
        int qrCodes = ctx.events(TransportEvent.QrCode.class).size();
        TestSupport.await("a new QR code", () -> ctx.events(TransportEvent.QrCode.class).size() > qrCodes);
        TestSupport.scanLatestQr(sim, ctx.events.subList(qrCodes, ctx.events.size()));
        TestSupport.await("READY", () -> t.state() == AccountState.READY);
        assertThat(ctx.saves.get()).isPositive();
        t.send(text(ALICE, "from the right account"));
        assertThat(sim.received(ALICE)).extracting(ReceivedMessage::text).containsExactly("from the right account");
    }
}
