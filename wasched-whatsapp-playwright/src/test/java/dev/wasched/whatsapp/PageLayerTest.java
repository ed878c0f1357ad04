package dev.wasched.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wasched.delivery.DeliveryStatus;
import dev.wasched.session.AccountState;
import dev.wasched.spi.transport.OutcomeUnknownException;
import dev.wasched.spi.transport.OutgoingMessage;
import dev.wasched.spi.transport.SendReceipt;
import dev.wasched.spi.transport.SentMessage;
import dev.wasched.spi.transport.SessionLostException;
import dev.wasched.spi.transport.TransportEvent;
import dev.wasched.testkit.transport.RecordingTransportContext;
import dev.wasched.testkit.whatsapp.InPageModules;
import dev.wasched.testkit.whatsapp.PageGeneration;
import dev.wasched.testkit.whatsapp.ReceivedMessage;
import dev.wasched.testkit.whatsapp.WhatsAppWebSimulator;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The two layers of the page: WhatsApp Web's own modules where they are found (by shape), its user interface where
 * they are not, per capability and per send.
 */
@Tag("browser")
class PageLayerTest extends BrowserTestBase {
    private static final Set<PageCapability> IN_PAGE = EnumSet.allOf(PageCapability.class);

    private WhatsAppWebSimulator simulator2026() {
        return simulator(b -> b.pageGeneration(PageGeneration.WEB_2026));
    }

    private static String readyDetail(RecordingTransportContext ctx) {
        return ctx.events.stream().filter(e -> e instanceof TransportEvent.StateChanged c
                        && c.state() == AccountState.READY).map(e -> ((TransportEvent.StateChanged) e).detail())
                .findFirst().orElseThrow();
    }

    @Test
    void renamedModulesAreFoundByShapeAndATextGoesOutInPageWithoutOpeningItsChat() throws Exception {
        WhatsAppWebSimulator sim = simulator2026();
        sim.setInPageModules(InPageModules.renamed()); // registered over 1.5 s, as the real page does
        RecordingTransportContext ctx = new RecordingTransportContext("renamed");
        PlaywrightTransport t = linked(sim, "renamed", ctx, b -> b.moduleSettle(Duration.ofMillis(750)));
        TestSupport.await("READY reported", () -> ctx.events.stream().anyMatch(e -> e instanceof TransportEvent.StateChanged c
                && c.state() == AccountState.READY));
        assertThat(t.stats().inPage()).isEqualTo(IN_PAGE);
        assertThat(readyDetail(ctx)).contains("in-page: send text, send media, acks, registration check, open chat, "
                + "connection state, incoming messages").doesNotContain("UI:");

        OutgoingMessage m = text(ALICE, unique("in-page"));
        SendReceipt r = t.send(m);
        List<ReceivedMessage> got = sim.awaitReceived(ALICE, 1, TestSupport.WAIT);
        assertThat(got).extracting(ReceivedMessage::text).containsExactly(m.content().text());
        TestSupport.assertSameMessage(got.get(0).id(), r.messageId());
        assertThat(ctx.lastSendMarker(m.deliveryId())).as("the id chosen before the send action")
                .isEqualTo("id:" + r.messageId());
        assertThat(t.stats().sentInPage()).isEqualTo(1);
        assertThat(t.stats().chatsOpenedInPage() + t.stats().fallbackNavigations() + t.stats().chatsAlreadyOpen()
                + t.stats().chatsOpenedByModule()).as("no chat was opened").isZero();
        assertThat(t.isRegistered(phone(ALICE))).isTrue();
        assertThat(t.isRegistered(phone(NOBODY))).isFalse();
        assertThat(t.stats().chatsOpenedInPage() + t.stats().fallbackNavigations() + t.stats().chatsOpenedByModule())
                .as("nor for the checks").isZero();
    }

    @Test
    void filesGoOutInPageWithTheirCaptionsOnceWithoutOpeningTheirChat() throws Exception {
        WhatsAppWebSimulator sim = simulator2026();
        RecordingTransportContext ctx = new RecordingTransportContext("files");
        PlaywrightTransport t = linked(sim, ctx);
        byte[] png = QrRendering.toPng("in-page media payload");
        OutgoingMessage image = media(BOB, png, "image/png", "offer.png", "Today's offer");
        SendReceipt r1 = t.send(image);
        byte[] pdf = "%PDF-1.4 in-page".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        SendReceipt r2 = t.send(media(BOB, pdf, "application/pdf", "terms.pdf", ""));

        List<ReceivedMessage> bob = sim.awaitReceived(BOB, 2, TestSupport.WAIT);
        assertThat(bob).hasSize(2);
        TestSupport.assertSameMessage(bob.get(0).id(), r1.messageId());
        assertThat(bob.get(0).caption()).isEqualTo("Today's offer");
        assertThat(bob.get(0).media()).hasValueSatisfying(f -> {
            assertThat(f.fileName()).isEqualTo("offer.png");
            assertThat(f.mimeType()).isEqualTo("image/png");
            assertThat(f.bytes()).isEqualTo(png);
        });
        TestSupport.assertSameMessage(bob.get(1).id(), r2.messageId());
        assertThat(bob.get(1).media()).hasValueSatisfying(f -> {
            assertThat(f.fileName()).isEqualTo("terms.pdf");
            assertThat(f.bytes()).isEqualTo(pdf);
        });
        assertThat(ctx.lastSendMarker(image.deliveryId())).isEqualTo("id:" + r1.messageId());
        assertThat(t.stats().sentInPage()).isEqualTo(2);
        assertThat(t.stats().chatsOpenedInPage() + t.stats().fallbackNavigations() + t.stats().chatsAlreadyOpen()
                + t.stats().chatsOpenedByModule()).as("no chat was opened").isZero();
        assertThat(t.lookup(new OutgoingMessage(image.deliveryId(), image.account(), image.recipient(),
                image.content(), image.media(), false, null, "id:" + r1.messageId())).foundReceipt())
                .as("found afterwards by the id its marker names").hasValueSatisfying(f -> assertThat(f.messageId())
                        .isEqualTo(r1.messageId()));
        assertThat(t.stats().chatsOpenedByModule()).as("the lookup's chat opened by WhatsApp Web's command module")
                .isEqualTo(1);
        assertThat(t.stats().chatsOpenedInPage() + t.stats().fallbackNavigations()).isZero();
    }

    @Test
    void acksAndMessagesPeopleSendArriveAsEventsWithoutAChatBeingOpened() throws Exception {
        WhatsAppWebSimulator sim = simulator2026();
        sim.holdAcks();
        RecordingTransportContext ctx = new RecordingTransportContext("events");
        PlaywrightTransport t = linked(sim, ctx);
        SendReceipt r = t.send(text(ALICE, unique("see you at 10?")));
        String recorded = sim.awaitReceived(ALICE, 1, TestSupport.WAIT).get(0).id();
        sim.deliver(recorded);
        TestSupport.await("DELIVERED", () -> ctx.events.contains(new TransportEvent.Ack(r.messageId(),
                DeliveryStatus.DELIVERED)));
        sim.read(recorded);
        TestSupport.await("READ", () -> ctx.events.contains(new TransportEvent.Ack(r.messageId(), DeliveryStatus.READ)));
        assertThat(ctx.events).filteredOn(e -> e instanceof TransportEvent.Ack).as("each level once").hasSize(2);

        // Replies, named by LID as the 2025-26 page does, with the number from the page's mapping.
        String id = sim.receive(ALICE, "Yes, see you then", r.messageId());
        sim.receive(BOB, "Who is this?");
        TestSupport.await("two messages heard", () -> ctx.events(TransportEvent.MessageReceived.class).size() == 2);
        TransportEvent.MessageReceived reply = ctx.events(TransportEvent.MessageReceived.class).get(0);
        TestSupport.assertSameMessage(id, reply.messageId());
        assertThat(reply.sender()).as("the number, from the page's LID mapping").isEqualTo(ALICE);
        assertThat(reply.chat()).endsWith("@lid");
        assertThat(reply.text()).isEqualTo("Yes, see you then");
        assertThat(reply.quotedMessageId()).isEqualTo(r.messageId());
        assertThat(reply.mediaKind()).isNull();
        TransportEvent.MessageReceived other = ctx.events(TransportEvent.MessageReceived.class).get(1);
        assertThat(other.sender()).isEqualTo(BOB);
        assertThat(other.quotedMessageId()).isNull();
        assertThat(t.stats().chatsOpenedInPage() + t.stats().fallbackNavigations() + t.stats().chatsAlreadyOpen()
                + t.stats().chatsOpenedByModule()).as("no chat was opened, for the send, the ticks or the messages").isZero();
    }

    @Test
    void acksNobodyHeardAreLearntFromThePageOrTheChatWhenTheSentMessagesAreFollowed() throws Exception {
        WhatsAppWebSimulator sim = simulator2026();
        sim.holdAcks();
        AtomicReference<byte[]> session = new AtomicReference<>();
        RecordingTransportContext first = new RecordingTransportContext("follow", session);
        PlaywrightTransport t1 = linked(sim, "follow", first, b -> b.sessionSaveInterval(Duration.ofMillis(300)));
        OutgoingMessage toAlice = text(ALICE, unique("held by the page"));
        SendReceipt held = t1.send(toAlice);
        OutgoingMessage toBob = text(BOB, unique("read while nobody listened"));
        SendReceipt before = t1.send(toBob);
        sim.deliver(sim.awaitReceived(ALICE, 1, TestSupport.WAIT).get(0).id());
        TestSupport.await("DELIVERED heard", () -> first.events.contains(new TransportEvent.Ack(held.messageId(),
                DeliveryStatus.DELIVERED)));

        // Followed as if only SENT were known: the level the page's own model holds is reported, no chat opened.
        t1.followAcks(List.of(new SentMessage(held.messageId(), toAlice.recipient(), DeliveryStatus.SENT,
                Instant.now())));
        TestSupport.await("DELIVERED learnt from the page", () -> first.events.stream()
                .filter(e -> e.equals(new TransportEvent.Ack(held.messageId(), DeliveryStatus.DELIVERED))).count() == 2);
        assertThat(t1.stats().chatsOpenedInPage() + t1.stats().fallbackNavigations() + t1.stats().chatsOpenedByModule())
                .isZero();

        TestSupport.awaitLoginStored(session, java.nio.file.Files.createTempDirectory(workDir, "check-"));
        t1.close();
        sim.read(sim.awaitReceived(BOB, 1, TestSupport.WAIT).get(0).id()); // while no transport runs
        RecordingTransportContext second = new RecordingTransportContext("follow", session);
        PlaywrightTransport t2 = transport(sim, "follow", b -> b);
        t2.start(second);
        TestSupport.await("READY again", () -> t2.state() == AccountState.READY);
        // A page loaded afresh holds no model of it: its chat's ticks tell.
        t2.followAcks(List.of(new SentMessage(before.messageId(), toBob.recipient(), DeliveryStatus.SENT,
                Instant.now())));
        TestSupport.await("READ learnt after the restart", () -> second.events.contains(
                new TransportEvent.Ack(before.messageId(), DeliveryStatus.READ)));
    }

    @Test
    void withoutTheLidMappingASendFallsBackToThePagesInterfaceAndGoesOutOnce() throws Exception {
        WhatsAppWebSimulator sim = simulator2026();
        // Registered over the real 1.5 s, in steps longer than the tests' 250 ms quiet period: the transport looks
        // again as the registry grows, so the send action is found all the same.
        sim.setInPageModules(InPageModules.standard().withoutLidMapping());
        RecordingTransportContext ctx = new RecordingTransportContext("nolid");
        PlaywrightTransport t = linked(sim, ctx);
        TestSupport.await("the send action found after the registry grew",
                () -> t.stats().inPage().contains(PageCapability.SEND_TEXT));
        OutgoingMessage m = text(ALICE, unique("no lid"));
        SendReceipt r = t.send(m);
        List<ReceivedMessage> got = sim.awaitReceived(ALICE, 1, TestSupport.WAIT);
        assertThat(got).extracting(ReceivedMessage::text).containsExactly(m.content().text());
        TestSupport.assertSameMessage(got.get(0).id(), r.messageId());
        assertThat(ctx.lastSendMarker(m.deliveryId())).as("the interface's marker: the chat's state")
                .doesNotStartWith("id:");
        assertThat(t.stats().sentInPage()).isZero();
        assertThat(t.stats().inPage()).as("only that send fell back").contains(PageCapability.SEND_TEXT);
        t.send(text(ALICE, unique("again")));
        assertThat(sim.awaitReceived(ALICE, 2, TestSupport.WAIT)).hasSize(2);
    }

    @Test
    void aSendRefusedInPageIsAnUnknownOutcomeAndTheInterfaceTakesOverAndShowsWhy() throws Exception {
        WhatsAppWebSimulator sim = simulator2026();
        RecordingTransportContext ctx = new RecordingTransportContext("refused");
        // The send into the restriction waits for a compose box the banner replaces: not the tests' generous 30 s.
        PlaywrightTransport t = linked(sim, "refused", ctx, b -> b.pageTimeout(Duration.ofSeconds(8)));
        sim.setAccountRestricted(true);
        assertThatThrownBy(() -> t.send(text(ALICE, unique("refused")))).isInstanceOf(OutcomeUnknownException.class)
                .hasMessageContaining("whether it went out is unknown");
        assertThat(t.stats().inPage()).doesNotContain(PageCapability.SEND_TEXT);
        assertThatThrownBy(() -> t.send(text(ALICE, unique("into the restriction"))))
                .isInstanceOf(SessionLostException.class);
        assertThat(t.state()).isEqualTo(AccountState.RESTRICTED);
        assertThat(sim.received(ALICE)).isEmpty();
    }

    @Test
    void inPageOnlyFailsNamingWhatThePageLacks() {
        WhatsAppWebSimulator sim = simulator(b -> b.pageGeneration(PageGeneration.WEB_2024));
        RecordingTransportContext ctx = new RecordingTransportContext("inpageonly");
        PlaywrightTransport t = transport(sim, "inpageonly", b -> b.pageLayer(PageLayer.IN_PAGE_ONLY));
        t.start(ctx);
        TestSupport.await("QR", () -> t.state() == AccountState.QR);
        TestSupport.scanLatestQr(sim, ctx.events);
        TestSupport.await("FAILED", () -> t.state() == AccountState.FAILED);
        TestSupport.await("FAILED reported", () -> ctx.events.stream().anyMatch(e -> e instanceof TransportEvent.StateChanged c
                && c.state() == AccountState.FAILED));
        String detail = ctx.events.stream().filter(e -> e instanceof TransportEvent.StateChanged c
                && c.state() == AccountState.FAILED).map(e -> ((TransportEvent.StateChanged) e).detail())
                .findFirst().orElseThrow();
        assertThat(detail).contains("IN_PAGE_ONLY").contains("send text").contains("open chat");
        assertThat(ctx.events).noneMatch(e -> e instanceof TransportEvent.StateChanged c
                && c.state() == AccountState.READY);
    }
}
