package dev.wasched.telegram;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.client.j2se.BufferedImageLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import dev.wasched.event.WaschedEvent;
import dev.wasched.session.AccountState;
import dev.wasched.testkit.telegram.SentMessage;
import dev.wasched.testkit.telegram.SentPhoto;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class NotificationsTest extends TelegramFixture {
    @Test
    void sentAndDeadGoToTheChatsConfiguredForThem() {
        startAll(c -> c.notify(ME, Notification.SENT, Notification.DEAD).notify(OTHER, Notification.DEAD));

        ask(ME, "/send +4915112345678 Hello");
        SentMessage sent = telegram.awaitSentMessage(ME, m -> m.text().startsWith("✅ Sent to"), WAIT);
        assertThat(sent.text()).startsWith("✅ Sent to +4915112345678 via shop at ").doesNotContain("Hello");

        transport.failPermanentlyFor("+4915112345679");
        ask(ME, "/send +4915112345679 Bye");
        String dead = "❌ Gave up sending to +4915112345679 via shop after 1 attempt(s): ";
        SentMessage toMe = telegram.awaitSentMessage(ME, m -> m.text().startsWith(dead), WAIT);
        SentMessage toOther = telegram.awaitSentMessage(OTHER, m -> m.text().startsWith(dead), WAIT);
        assertThat(toMe.text()).contains("recipient +4915112345679 is invalid", "/dlq").doesNotContain("Bye");
        assertThat(toOther.text()).isEqualTo(toMe.text());
        assertThat(telegram.sentMessages(OTHER)).hasSize(1); // no SENT for OTHER
    }

    @Test
    void defaultsSkipSentButReportDeadToEveryAllowedChat() {
        startAll();
        List<WaschedEvent> seen = new CopyOnWriteArrayList<>();
        wasched.addListener(seen::add); // after the controller's listener: when this sees an event, it saw it too
        transport.failNext(1);
        ask(ME, "/send +4915112345678 Hello", m -> m.text().startsWith("📤"));
        telegram.awaitSentMessage(OTHER, m -> m.text().startsWith("❌ Gave up"), WAIT);
        ask(ME, "/send +4915112345678 Again", m -> m.text().startsWith("📤"));
        awaitTrue("sent event", () -> seen.stream().anyMatch(e -> e instanceof WaschedEvent.DeliverySent));
        ask(ME, "/help", m -> m.text().contains("/status")); // queued after anything the event caused
        assertThat(telegram.sentMessages(ME)).noneMatch(m -> m.text().startsWith("✅ Sent"));
    }

    @Test
    void retriesAreReportedWhenAsked() {
        wasched(b -> b.retry(new dev.wasched.policy.RetryPolicy(3, Duration.ofMillis(50), Duration.ofMillis(50), 1.0, 0.0)));
        startAll(c -> c.notify(ME, Notification.RETRY, Notification.SENT));
        transport.failNext(1);
        ask(ME, "/send +4915112345678 Hello");
        SentMessage retry = telegram.awaitSentMessage(ME, m -> m.text().startsWith("⚠ Sending to +4915112345678"), WAIT);
        assertThat(retry.text()).contains("failed (attempt 1): injected failure", "Next try at");
        telegram.awaitSentMessage(ME, m -> m.text().startsWith("✅ Sent to +4915112345678"), WAIT);
    }

    @Test
    void loginQrCodeArrivesAsAPhotoThatScansToThePayload() throws Exception {
        fake(b -> { });
        transport.requireLogin();
        List<String> payloads = new CopyOnWriteArrayList<>();
        wasched(b -> b.listener(e -> {
            if (e instanceof WaschedEvent.LoginQrCode qr) {
                payloads.add(qr.payload());
            }
        }));
        startController(c -> c.notify(ME, Notification.LOGIN_QR));
        wasched.start(); // the transport shows a QR code as it starts

        SentPhoto photo = telegram.awaitPhoto(ME, p -> true, WAIT);

        assertThat(photo.uploaded()).isTrue();
        assertThat(photo.fileName()).isEqualTo("wasched-login-shop.png");
        assertThat(photo.caption()).contains("account shop needs linking", "Linked devices");
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(photo.bytes()));
        // A rendered code, not a photo: read as a pure barcode (the finder-pattern search misses some clean renderings).
        String decoded = new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(
                new BufferedImageLuminanceSource(image))), java.util.Map.of(
                        com.google.zxing.DecodeHintType.PURE_BARCODE, Boolean.TRUE,
                        com.google.zxing.DecodeHintType.TRY_HARDER, Boolean.TRUE)).getText();
        assertThat(decoded).isEqualTo(payloads.get(0)).startsWith("2@");
        assertThat(telegram.photos(OTHER)).isEmpty();

        transport.scanQr();
        telegram.awaitSentMessage(ME, m -> m.text().equals("✅ Account shop is linked."), WAIT);
    }

    @Test
    void accountDisconnectedLoggedOutAndBack() {
        startAll();
        transport.disconnect();
        telegram.awaitSentMessage(ME, m -> m.text().startsWith("🔌 Account shop is DISCONNECTED (connection lost)"), WAIT);
        transport.reconnect();
        telegram.awaitSentMessage(ME, m -> m.text().equals("🔌 Account shop is connected again."), WAIT);
        wasched.sessions().logout(ACCOUNT);
        telegram.awaitSentMessage(OTHER, m -> m.text().startsWith("🚪 Account shop was logged out"), WAIT);
        assertThat(transport.state()).isEqualTo(AccountState.LOGGED_OUT);
    }

    @Test
    void screensThatNeedAPersonAndInterruptionsAreReported() {
        startAll();
        transport.showScreen(AccountState.NEEDS_PASSKEY, "passkey asked for");
        SentMessage passkey = telegram.awaitSentMessage(ME, m -> m.text().startsWith("🔑"), WAIT);
        assertThat(passkey.text()).contains("account shop", "./wasched link shop --headed");
        transport.reconnect();
        telegram.awaitSentMessage(ME, m -> m.text().equals("✅ Account shop can send again."), WAIT);

        transport.showScreen(AccountState.RESTRICTED, "banner");
        SentMessage restricted = telegram.awaitSentMessage(ME, m -> m.text().startsWith("⛔"), WAIT);
        assertThat(restricted.text()).contains("restricted account shop (banner)", "nothing is retried");
        transport.reconnect();

        transport.showScreen(AccountState.CONFLICT, null);
        telegram.awaitSentMessage(OTHER, m -> m.text().startsWith("🔀 Account shop was opened in another"), WAIT);
        transport.reconnect();
        telegram.awaitSentMessage(OTHER, m -> m.text().equals("🔌 Account shop is connected again."), WAIT);

        transport.showScreen(AccountState.OFFLINE, "computer not connected");
        telegram.awaitSentMessage(ME, m -> m.text().equals(
                "🔌 Account shop is OFFLINE (computer not connected). Messages wait until it is back."), WAIT);
    }

    @Test
    void theListenerNeverBlocksTheEngineEvenWhenTelegramIsRateLimiting() {
        startAll(c -> c.notify(ME, Notification.SENT).shutdownTimeout(Duration.ofMillis(300)));
        telegram.failNext("sendMessage", 1000, 30); // Telegram answers 429 "retry after 30 s" to everything
        for (int i = 0; i < 20; i++) {
            wasched.schedules().create(dev.wasched.schedule.ScheduleSpec.builder().account(ACCOUNT)
                    .to(dev.wasched.schedule.Target.contacts(contact("C" + i, "+49151123456" + (10 + i)).id()))
                    .text("Hi").trigger(dev.wasched.schedule.Trigger.once(java.time.Instant.now())).build());
        }
        // the engine sends everything at once although not one notification got through
        awaitTrue("all 20 sent", () -> log.size() == 20);
        assertThat(telegram.sentMessages(ME)).isEmpty();
    }
}
