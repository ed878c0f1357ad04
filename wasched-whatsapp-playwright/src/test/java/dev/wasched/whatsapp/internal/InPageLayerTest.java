package dev.wasched.whatsapp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wasched.delivery.DeliveryStatus;
import dev.wasched.whatsapp.PageCapability;
import dev.wasched.whatsapp.PageLayer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What the in-page layer says without a page: UI_ONLY never looks, and acks map to delivery states. */
class InPageLayerTest {

    @Test
    void uiOnlySettlesWithoutLookingAndNamesEveryCapabilityByTheWayItIsDone() {
        InPageLayer layer = new InPageLayer(PageLayer.UI_ONLY, "shop", Duration.ofMillis(750), true);
        assertThat(layer.settle(null, System.nanoTime())).as("no page is asked").isTrue();
        assertThat(layer.inPage()).isEmpty();
        assertThat(layer.missing()).as("only IN_PAGE_ONLY misses anything").isEmpty();
        assertThat(layer.has(PageCapability.SEND_TEXT)).isFalse();
        assertThat(layer.describe()).isEqualTo("UI: send text, send media, acks, registration check, open chat,"
                + " connection state, incoming messages");
        InPageLayer deaf = new InPageLayer(PageLayer.UI_ONLY, "shop", Duration.ofMillis(750), false);
        deaf.settle(null, System.nanoTime());
        assertThat(deaf.describe()).as("unread chats not read through the interface").isEqualTo("UI: send text,"
                + " send media, acks, registration check, open chat, connection state; not available: incoming messages");
    }

    @Test
    void ackLevelsAreWhatsAppWebsNumbers() {
        assertThat(new InPageLayer.Ack("k", 1).status()).as("sent").isNull();
        assertThat(new InPageLayer.Ack("k", 2).status()).isEqualTo(DeliveryStatus.DELIVERED);
        assertThat(new InPageLayer.Ack("k", 3).status()).isEqualTo(DeliveryStatus.READ);
        assertThat(new InPageLayer.Ack("k", 4).status()).as("played").isEqualTo(DeliveryStatus.READ);
        assertThat(new InPageLayer.Ack("k", -1).status()).as("error").isNull();
    }
}
