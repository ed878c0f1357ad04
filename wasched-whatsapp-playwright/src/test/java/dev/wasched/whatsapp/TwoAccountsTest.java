package dev.wasched.whatsapp;

import dev.wasched.testkit.transport.RecordingTransportContext;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wasched.session.AccountState;
import dev.wasched.spi.transport.SendReceipt;
import dev.wasched.testkit.whatsapp.ReceivedMessage;
import dev.wasched.testkit.whatsapp.WhatsAppWebSimulator;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Two accounts in one JVM: separate browsers, sessions and WhatsApp Web instances that do not see each other. */
@Tag("browser")
class TwoAccountsTest extends BrowserTestBase {

    @Test
    void twoAccountsSendIndependentlyAndClosingOneLeavesTheOther() throws Exception {
        WhatsAppWebSimulator shopWa = simulator();
        WhatsAppWebSimulator cafeWa = simulator();
        RecordingTransportContext shopCtx = new RecordingTransportContext("shop");
        RecordingTransportContext cafeCtx = new RecordingTransportContext("cafe");
        PlaywrightTransport shop = transport(shopWa, "shop", b -> b);
        PlaywrightTransport cafe = transport(cafeWa, "cafe", b -> b);
        shop.start(shopCtx);
        cafe.start(cafeCtx);
        TestSupport.await("both show a QR code", () -> shop.state() == AccountState.QR && cafe.state() == AccountState.QR);
        TestSupport.scanLatestQr(shopWa, shopCtx.events);
        TestSupport.scanLatestQr(cafeWa, cafeCtx.events);
        TestSupport.await("both READY", () -> shop.state() == AccountState.READY && cafe.state() == AccountState.READY);

        assertThat(TestSupport.browsers(workDir.resolve("wasched-shop-"))).hasSize(1);
        assertThat(TestSupport.browsers(workDir.resolve("wasched-cafe-"))).hasSize(1);
        assertThat(shopCtx.session.get()).isNotNull().isNotEqualTo(cafeCtx.session.get());

        SendReceipt fromShop = shop.send(text(ALICE, "from the shop"));
        SendReceipt fromCafe = cafe.send(text(ALICE, "from the cafe"));
        assertThat(shopWa.received(ALICE)).extracting(ReceivedMessage::text).containsExactly("from the shop");
        assertThat(cafeWa.received(ALICE)).extracting(ReceivedMessage::text).containsExactly("from the cafe");
        assertThat(fromShop.messageId()).isNotEqualTo(fromCafe.messageId());

        shop.close();
        assertThat(TestSupport.browsers(workDir.resolve("wasched-shop-"))).isEmpty();
        assertThat(cafe.state()).isEqualTo(AccountState.READY);
        cafe.send(text(BOB, "cafe still works"));
        assertThat(cafeWa.received(BOB)).hasSize(1);
        assertThat(shopWa.allReceived()).hasSize(1);
        assertThat(Path.of(workDir.toString())).isDirectory();
    }
}
