package dev.wasched.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wasched.spi.transport.LookupResult;
import dev.wasched.spi.transport.OutgoingMessage;
import dev.wasched.spi.transport.PermanentTransportException;
import dev.wasched.spi.transport.SendReceipt;
import dev.wasched.testkit.transport.RecordingTransportContext;
import dev.wasched.testkit.whatsapp.ReceivedMessage;
import dev.wasched.testkit.whatsapp.WhatsAppWebSimulator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** With the page up, chats are opened inside it: a send loads WhatsApp Web again only when it has to. */
@Tag("browser")
class InPageChatTest extends BrowserTestBase {
    /** Chats are opened for what the page's user interface does; in-page calls open none. */
    @Override
    PageLayer pageLayer() {
        return PageLayer.UI_ONLY;
    }

    @Test
    void sendsChecksAndLookupsOpenTheirChatsInsideThePage() throws Exception {
        WhatsAppWebSimulator sim = simulator();
        RecordingTransportContext ctx = new RecordingTransportContext("onepage");
        PlaywrightTransport t = linked(sim, ctx);
        long loads = sim.pageLoads();

        SendReceipt first = t.send(text(ALICE, unique("first")));      // Alice's chat is not open: the search box
        assertThat(sim.pageLoads()).as("opened through the search box").isEqualTo(loads);
        t.send(text(ALICE, unique("second")));                          // the chat is open already
        assertThat(sim.pageLoads()).as("the open chat is used").isEqualTo(loads);
        assertThat(t.stats().chatsAlreadyOpen()).isGreaterThanOrEqualTo(1);
        t.send(text(BOB, unique("to bob")));
        assertThat(t.isRegistered(phone(ALICE))).isTrue();
        OutgoingMessage asked = text(ALICE, "anything");
        OutgoingMessage known = new OutgoingMessage(asked.deliveryId(), asked.account(), asked.recipient(),
                asked.content(), null, false, first.messageId(), null);
        assertThat(t.lookup(known)).isInstanceOfSatisfying(LookupResult.Found.class,
                f -> assertThat(f.receipt().messageId()).isEqualTo(first.messageId()));

        assertThat(sim.pageLoads()).as("no send, check or lookup loaded the page").isEqualTo(loads);
        PlaywrightTransportStats stats = t.stats();
        assertThat(stats.fallbackNavigations()).isZero();
        assertThat(stats.chatsOpenedInPage()).isGreaterThanOrEqualTo(3);
        assertThat(stats.pageLoads()).as("the transport counts the loads the simulator served")
                .isEqualTo(loads);
        assertThat(sim.received(ALICE)).hasSize(2);
        assertThat(sim.received(BOB)).hasSize(1);
    }

    @Test
    void aChatThatCannotBeOpenedInsideThePageIsLoadedOnceAndCounted() throws Exception {
        WhatsAppWebSimulator sim = simulator();
        RecordingTransportContext ctx = new RecordingTransportContext("nosearch");
        // A page without a usable search box: only the click-to-chat link opens chats.
        PlaywrightTransport t = linked(sim, "nosearch", ctx, b -> b
                .selectorOverride("searchBox", "div[data-no-such-search-box]")
                .selectorOverride("searchButton", "button[data-no-such-search-button]"));
        long loads = sim.pageLoads();

        t.send(text(ALICE, unique("via the link")));
        assertThat(sim.pageLoads()).as("one navigation").isEqualTo(loads + 1);
        assertThat(t.stats().fallbackNavigations()).isEqualTo(1);
        t.send(text(ALICE, unique("open already")));
        assertThat(sim.pageLoads()).as("the open chat needs none").isEqualTo(loads + 1);
        assertThat(t.stats().fallbackNavigations()).isEqualTo(1);
        t.send(text(BOB, unique("another chat")));
        assertThat(sim.pageLoads()).isEqualTo(loads + 2);
        assertThat(t.stats().fallbackNavigations()).isEqualTo(2);
        assertThat(sim.allReceived()).hasSize(3);
    }

    @Test
    void aNumberTheSearchDoesNotFindFallsBackToTheLinkWhichTellsItIsNotOnWhatsApp() throws Exception {
        WhatsAppWebSimulator sim = simulator();
        PlaywrightTransport t = linked(sim, "nobody", new RecordingTransportContext("nobody"), b -> b);
        long loads = sim.pageLoads();
        assertThat(t.isRegistered(phone(NOBODY))).isFalse();
        assertThat(t.stats().fallbackNavigations()).isEqualTo(1);
        assertThat(sim.pageLoads()).isEqualTo(loads + 1);
        assertThatThrownBy(() -> t.send(text(NOBODY, "hi"))).isInstanceOf(PermanentTransportException.class);
        assertThat(t.stats().fallbackNavigations()).isEqualTo(2);
        assertThat(sim.allReceived()).isEmpty();
    }

    @Test
    void formattingEmojiAndALongTextAreConfirmedExactlyOnce() throws Exception {
        WhatsAppWebSimulator sim = simulator();
        RecordingTransportContext ctx = new RecordingTransportContext("format");
        PlaywrightTransport t = linked(sim, ctx);
        long loads = sim.pageLoads();
        String formatted = unique("*Sale* _today_ ~not~ tomorrow ```CODE42``` \u2764\ufe0f \ud83d\udc4d\ud83c\udffd");
        StringBuilder b = new StringBuilder(unique("long"));
        while (b.length() < 3_000) {
            b.append(" lorem ipsum dolor sit amet");
        }
        String longText = b.substring(0, 2_999) + "!"; // 3,000 characters, none of them trimmed away

        for (String text : List.of(formatted, longText)) {
            OutgoingMessage m = text(ALICE, text);
            SendReceipt r = t.send(m);
            assertThat(ctx.lastMessageId(m.deliveryId())).as("the id handed over as soon as it showed")
                    .isEqualTo(r.messageId());
            List<ReceivedMessage> got = sim.received(ALICE).stream().filter(x -> x.text().equals(text)).toList();
            assertThat(got).as("received exactly once").singleElement()
                    .satisfies(x -> TestSupport.assertSameMessage(x.id(), r.messageId()));
        }
        assertThat(sim.allReceived()).hasSize(2);
        assertThat(sim.pageLoads()).isEqualTo(loads);
    }

    @Test
    void theAckSweepIsOffByDefault() {
        assertThat(PlaywrightTransportConfig.builder("x").build().ackSweepInterval()).isZero();
    }

    /**
     * Sends 50 messages with the page up (the default: no ack sweep switching chats in between) and prints the median
     * send time; then 20 through the click-to-chat link only, for comparison. Measured, not asserted.
     */
    @Test
    void twentySendsWithThePageUpLoadNoPage() throws Exception {
        WhatsAppWebSimulator sim = simulator();
        PlaywrightTransport t = linked(sim, "twenty", new RecordingTransportContext("twenty"),
                b -> b.ackSweepInterval(Duration.ZERO));
        long loads = sim.pageLoads();
        String inPage = sendTimes(t, 20);
        assertThat(sim.allReceived()).hasSize(20);
        assertThat(sim.pageLoads()).isEqualTo(loads);
        assertThat(t.stats().fallbackNavigations()).isZero();
        System.out.println("sends with the page up: " + inPage + "; " + t.stats());

        PlaywrightTransport links = linked(sim, "links", new RecordingTransportContext("links"), b -> b
                .ackSweepInterval(Duration.ZERO)
                .selectorOverride("searchBox", "div[data-no-such-search-box]")
                .selectorOverride("searchButton", "button[data-no-such-search-button]"));
        String byLink = sendTimes(links, 5);
        assertThat(sim.allReceived()).hasSize(25);
        System.out.println("sends through the click-to-chat link only: " + byLink + "; " + links.stats());
    }

    /** Sends {@code n} messages, mostly to the open chat, every fifth to another one; the send times. */
    private static String sendTimes(PlaywrightTransport t, int n) throws Exception {
        List<Long> micros = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String to = i % 5 == 4 ? BOB : ALICE;
            long start = System.nanoTime();
            t.send(text(to, unique("message " + i)));
            micros.add((System.nanoTime() - start) / 1_000);
        }
        List<Long> sorted = micros.stream().sorted().toList();
        return String.format("%d sends, p50 %.1f ms, p90 %.1f ms, max %.1f ms", sorted.size(),
                sorted.get(sorted.size() / 2) / 1000.0, sorted.get(sorted.size() * 9 / 10) / 1000.0,
                sorted.get(sorted.size() - 1) / 1000.0);
    }
}
