package dev.wasched.whatsapp;

import dev.wasched.testkit.transport.RecordingTransportContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.client.j2se.BufferedImageLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import dev.wasched.delivery.DeliveryStatus;
import dev.wasched.session.AccountState;
import dev.wasched.spi.transport.OutgoingMessage;
import dev.wasched.spi.transport.PermanentTransportException;
import dev.wasched.spi.transport.SendReceipt;
import dev.wasched.spi.transport.TransportEvent;
import dev.wasched.testkit.whatsapp.AckStatus;
import dev.wasched.testkit.whatsapp.ReceivedMessage;
import dev.wasched.testkit.whatsapp.WhatsAppWebSimulator;
import dev.wasched.whatsapp.internal.ProfileArchive;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** What the transport does on a healthy WhatsApp Web: groups, media, typing, acks, QR rotation, pairing codes. */
@Tag("browser")
class TransportBehaviourTest extends BrowserTestBase {

    @Test
    void sendsToAContactAGroupAndMediaWithCaptionEachExactlyOnce() throws Exception {
        WhatsAppWebSimulator sim = simulator();
        sim.createGroup("Team Berlin", ALICE, BOB);
        RecordingTransportContext ctx = new RecordingTransportContext("shop");
        PlaywrightTransport t = linked(sim, ctx);

        String multiLine = unique("first line") + "\nsecond line";
        SendReceipt r1 = t.send(text(ALICE, multiLine));
        SendReceipt r2 = t.send(toGroup("Team Berlin", unique("hello team")));
        byte[] png = QrRendering.toPng("media payload");
        SendReceipt r3 = t.send(media(BOB, png, "image/png", "offer.png", "Today's offer"));
        byte[] pdf = "%PDF-1.4 fake".getBytes();
        SendReceipt r4 = t.send(media(BOB, pdf, "application/pdf", "terms.pdf", ""));

        assertThat(sim.received(ALICE)).singleElement().satisfies(m -> {
            assertThat(m.text()).isEqualTo(multiLine);
            TestSupport.assertSameMessage(m.id(), r1.messageId());
        });
        assertThat(sim.receivedInGroup("Team Berlin")).singleElement()
                .satisfies(m -> TestSupport.assertSameMessage(m.id(), r2.messageId()));
        List<ReceivedMessage> bob = sim.received(BOB);
        assertThat(bob).hasSize(2);
        TestSupport.assertSameMessage(bob.get(0).id(), r3.messageId());
        assertThat(bob.get(0).caption()).isEqualTo("Today's offer");
        assertThat(bob.get(0).media()).hasValueSatisfying(f -> {
            assertThat(f.fileName()).isEqualTo("offer.png");
            assertThat(f.mimeType()).isEqualTo("image/png");
            assertThat(f.bytes()).isEqualTo(png);
        });
        TestSupport.assertSameMessage(bob.get(1).id(), r4.messageId());
        assertThat(bob.get(1).media()).hasValueSatisfying(f -> assertThat(f.bytes()).isEqualTo(pdf));
        assertThat(sim.allReceived()).hasSize(4);
    }

    @Test
    void typingSimulationTypesTheTextAndSendsIt() throws Exception {
        WhatsAppWebSimulator sim = simulator();
        RecordingTransportContext ctx = new RecordingTransportContext("typist");
        PlaywrightTransport t = linked(sim, "typist", ctx, b -> b.typing(Duration.ofMillis(5), Duration.ofMillis(100)));
        String text = unique("typed slowly, then the rest at once: lorem ipsum dolor sit amet") + "\nand a second line";
        OutgoingMessage m = text(ALICE, text);
        OutgoingMessage typed = new OutgoingMessage(m.deliveryId(), m.account(), m.recipient(), m.content(), null, true);
        t.send(typed);
        assertThat(sim.received(ALICE)).extracting(ReceivedMessage::text).containsExactly(text);
    }

    @Test
    void deliveredAndReadTicksBecomeAckEventsEvenAfterTheChatWasLeft() throws Exception {
        WhatsAppWebSimulator sim = simulator();
        sim.holdAcks();
        RecordingTransportContext ctx = new RecordingTransportContext("acks");
        PlaywrightTransport t = linked(sim, ctx);
        SendReceipt first = t.send(text(ALICE, unique("ack me")));
        SendReceipt second = t.send(text(BOB, unique("and me")));   // leaves Alice's chat
        sim.deliver(first.messageId());
        sim.read(second.messageId());
        TestSupport.await("acks", () -> ctx.events(TransportEvent.Ack.class).size() >= 2);
        sim.read(first.messageId());
        TestSupport.await("read ack for the first", () -> ctx.events(TransportEvent.Ack.class).stream()
                .anyMatch(a -> a.messageId().equals(first.messageId()) && a.level() == DeliveryStatus.READ));
        List<TransportEvent.Ack> acks = ctx.events(TransportEvent.Ack.class);
        assertThat(acks).containsExactlyInAnyOrder(
                new TransportEvent.Ack(first.messageId(), DeliveryStatus.DELIVERED),
                new TransportEvent.Ack(second.messageId(), DeliveryStatus.READ),
                new TransportEvent.Ack(first.messageId(), DeliveryStatus.READ));
        assertThat(acks.get(2)).isEqualTo(new TransportEvent.Ack(first.messageId(), DeliveryStatus.READ));
        assertThat(sim.awaitStatus(first.messageId(), AckStatus.READ, Duration.ofSeconds(1)).status())
                .isEqualTo(AckStatus.READ);
    }

    @Test
    void isRegisteredAndAnInvalidNumberIsPermanent() throws Exception {
        WhatsAppWebSimulator sim = simulator();
        PlaywrightTransport t = linked(sim, "reg", new RecordingTransportContext("reg"), b -> b.elementTimeout(Duration.ofSeconds(2)));
        assertThat(t.isRegistered(phone(ALICE))).isTrue();
        assertThat(t.isRegistered(phone(NOBODY))).isFalse();
        assertThatThrownBy(() -> t.send(text(NOBODY, "hi"))).isInstanceOf(PermanentTransportException.class)
                .hasMessageContaining("not on WhatsApp");
        assertThatThrownBy(() -> t.send(toGroup("No Such Group", "hi"))).isInstanceOf(PermanentTransportException.class);
        t.send(text(ALICE, "still works"));
        assertThat(sim.received(ALICE)).hasSize(1);
    }

    @Test
    void everyQrRotationIsReportedAndAnExpiredCodeIsReloaded() throws Exception {
        WhatsAppWebSimulator sim = simulator(b -> b.qrRotationInterval(Duration.ofMillis(400)).qrRotationsBeforeExpiry(1));
        RecordingTransportContext ctx = new RecordingTransportContext("qr");
        PlaywrightTransport t = transport(sim, "qr", b -> b);
        t.start(ctx);
        // Two payloads per attempt, then expiry; the transport reloads the code, so more payloads keep coming.
        TestSupport.await("four QR payloads", () -> ctx.events(TransportEvent.QrCode.class).size() >= 4);
        List<String> payloads = ctx.events(TransportEvent.QrCode.class).stream().map(TransportEvent.QrCode::payload).toList();
        assertThat(payloads).doesNotHaveDuplicates().allMatch(p -> p.startsWith("2@"));
        assertThat(t.state()).isEqualTo(AccountState.QR);

        String latest = payloads.get(payloads.size() - 1);
        var image = ImageIO.read(new ByteArrayInputStream(QrRendering.toPng(latest)));
        // A rendered code, not a photo: read as a pure barcode. Without the hint the finder-pattern search misses
        // some payloads' clean renderings now and then.
        String decoded = new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(
                new BufferedImageLuminanceSource(image))), java.util.Map.of(
                        com.google.zxing.DecodeHintType.PURE_BARCODE, Boolean.TRUE,
                        com.google.zxing.DecodeHintType.TRY_HARDER, Boolean.TRUE)).getText();
        assertThat(decoded).isEqualTo(latest);
        assertThat(QrRendering.toTerminal(latest)).contains("█").contains("▀");
    }

    @Test
    void pairingCodeLogin() throws Exception {
        WhatsAppWebSimulator sim = simulator(b -> b.phoneNumber("+4915112345678"));
        RecordingTransportContext ctx = new RecordingTransportContext("pair");
        PlaywrightTransport t = transport(sim, "pair", b -> b);
        t.start(ctx);
        TestSupport.await("QR", () -> t.state() == AccountState.QR);
        String code = t.requestPairingCode(phone("+4915112345678"));
        assertThat(code).matches("[A-Z0-9]{4}-[A-Z0-9]{4}");
        assertThat(ctx.events(TransportEvent.PairingCode.class)).extracting(TransportEvent.PairingCode::code).contains(code);
        sim.enterPairingCode(code);
        TestSupport.await("READY", () -> t.state() == AccountState.READY);
        // Saved as part of the login, which the state may show a moment before the save is done.
        TestSupport.await("session saved after login", () -> ctx.session.get() != null);
        assertThatThrownBy(() -> t.requestPairingCode(phone("+4915112345678")))
                .isInstanceOf(PermanentTransportException.class).hasMessageContaining("already linked");
    }

    @Test
    void theSessionIsSavedOnClose() throws Exception {
        WhatsAppWebSimulator sim = simulator();
        RecordingTransportContext ctx = new RecordingTransportContext("closer");
        // No periodic save can happen during the test: a session in the store afterwards comes from the close.
        PlaywrightTransport t = linked(sim, "closer", ctx, b -> b.sessionSaveInterval(Duration.ofHours(1)));
        assertThat(ctx.session.get()).as("saved after login").isNotNull();
        ctx.session.set(null);
        t.close();
        assertThat(ctx.session.get()).as("saved on close").isNotNull();
        assertThat(ProfileArchive.isArchive(ctx.session.get())).as("a browser profile snapshot").isTrue();
    }

    @Test
    void theSessionIsSavedPeriodicallyAndLogoutForgetsIt() throws Exception {
        // Without the 2025-26 page's chat history: Chromium goes on rewriting its IndexedDB files in the background
        // for a while after such a write, at a pace that depends on the machine's load, which is a real change of
        // the profile but not the quiet this test needs.
        WhatsAppWebSimulator sim = simulator(b -> b.chatHistoryBytes(0));
        RecordingTransportContext ctx = new RecordingTransportContext("saver");
        PlaywrightTransport t = linked(sim, "saver", ctx, b -> b.sessionSaveInterval(Duration.ofMillis(300)));
        assertThat(ctx.session.get()).isNotNull();
        // The profile settles: the browser commits localStorage a few seconds later, and a periodic snapshot stores
        // that; then the periodic checks find nothing changed and write nothing.
        TestSupport.awaitLoginStored(ctx.session, java.nio.file.Files.createTempDirectory(workDir, "check-"));
        awaitNoSaveFor(ctx, Duration.ofSeconds(3));
        int settled = ctx.saves.get();
        Thread.sleep(1500);
        assertThat(ctx.saves.get()).as("no snapshot while nothing changed").isEqualTo(settled);

        t.logout();
        assertThat(t.state()).isEqualTo(AccountState.LOGGED_OUT);
        assertThat(ctx.session.get()).isNull();
        int before = ctx.events(TransportEvent.QrCode.class).size();
        TestSupport.await("a QR code for a new login", () -> ctx.events(TransportEvent.QrCode.class).size() > before);
        assertThat(ctx.session.get()).as("nothing saved while logged out").isNull();
    }

    @Test
    void noPeriodicSnapshotIsTakenUntilAPageLoadHasSettledButTheCloseSnapshotIs() throws Exception {
        WhatsAppWebSimulator sim = simulator(b -> b.chatHistoryBytes(0));
        RecordingTransportContext ctx = new RecordingTransportContext("settling");
        PlaywrightTransport t = linked(sim, "settling", ctx, b -> b.sessionSaveInterval(Duration.ofMillis(200))
                .snapshotSettle(Duration.ofHours(1)));
        int afterLogin = ctx.saves.get();
        assertThat(afterLogin).as("the login snapshot is taken at once").isPositive();
        t.send(text(ALICE, "stored in the page's database")); // the profile changes
        Thread.sleep(2000); // ten periodic checks
        assertThat(ctx.saves.get()).as("no periodic snapshot within the settle time of the page load")
                .isEqualTo(afterLogin);
        t.close();
        assertThat(ctx.saves.get()).as("the close snapshot").isGreaterThan(afterLogin);
    }

    /** Waits until the transport saved nothing for {@code quiet}. */
    static void awaitNoSaveFor(RecordingTransportContext ctx, Duration quiet) throws InterruptedException {
        long deadline = System.nanoTime() + TestSupport.WAIT.toNanos();
        int last = ctx.saves.get();
        long since = System.nanoTime();
        while (System.nanoTime() - since < quiet.toNanos()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the session was still being saved after " + TestSupport.WAIT);
            }
            Thread.sleep(100);
            int now = ctx.saves.get();
            if (now != last) {
                last = now;
                since = System.nanoTime();
            }
        }
    }
}
