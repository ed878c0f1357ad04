package dev.wasched.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wasched.session.AccountState;
import dev.wasched.spi.transport.SendReceipt;
import dev.wasched.spi.transport.TransportEvent;
import dev.wasched.testkit.transport.RecordingTransportContext;
import dev.wasched.testkit.whatsapp.PageGeneration;
import dev.wasched.testkit.whatsapp.WhatsAppWebSimulator;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Received messages through the page's user interface alone: chats with an unread badge are opened, as a person
 * would, and their newest received rows read (opening them marks them read); what arrives in the chat on screen is
 * read from it.
 */
@Tag("browser")
class UnreadChatsTest extends BrowserTestBase {
    @Override
    PageLayer pageLayer() {
        return PageLayer.UI_ONLY;
    }

    /**
     * Alice writes into the chat on screen (her chat, opened for the send), Bob into another one (an unread badge).
     * A page in front reads a message arriving in the chat on screen at once, without a badge; one behind shows the
     * badge on that chat's row too.
     */
    @ParameterizedTest
    @CsvSource({"WEB_2024, true", "WEB_2026, true", "WEB_2026, false"})
    void messagesPeopleSendAreReadFromChatsWithAnUnreadBadgeWhichMarksThemRead(PageGeneration generation,
                                                                               boolean readsArrivals) throws Exception {
        WhatsAppWebSimulator sim = simulator(b -> b.pageGeneration(generation));
        sim.setOpenChatReadsArrivals(readsArrivals);
        RecordingTransportContext ctx = new RecordingTransportContext("unread");
        PlaywrightTransport t = linked(sim, "unread", ctx, b -> b.unreadCheckInterval(java.time.Duration.ofMillis(300)));
        TestSupport.await("READY reported", () -> ctx.events.stream().anyMatch(e -> e instanceof TransportEvent.StateChanged c
                && c.state() == AccountState.READY));
        assertThat(ctx.events).filteredOn(e -> e instanceof TransportEvent.StateChanged c && c.state() == AccountState.READY)
                .first().satisfies(e -> assertThat(((TransportEvent.StateChanged) e).detail())
                        .contains("incoming messages").doesNotContain("not available"));
        SendReceipt asked = t.send(text(ALICE, unique("see you at 10?")));

        String yes = sim.receive(ALICE, "Yes, see you then", asked.messageId());
        String who = sim.receive(BOB, "Who is this?");
        String hello = sim.receive(BOB, "Hello?");
        TestSupport.await("three messages read", () -> ctx.events(TransportEvent.MessageReceived.class).size() >= 3);

        List<TransportEvent.MessageReceived> got = ctx.events(TransportEvent.MessageReceived.class);
        assertThat(got).hasSize(3);
        TransportEvent.MessageReceived fromAlice = got.stream().filter(m -> m.text().equals("Yes, see you then"))
                .findFirst().orElseThrow();
        TestSupport.assertSameMessage(yes, fromAlice.messageId());
        assertThat(fromAlice.sender()).as("a saved contact, by the title learnt when her chat was opened")
                .isEqualTo(ALICE);
        assertThat(fromAlice.quotedMessageId()).as("a quote on screen names no message id").isNull();
        List<TransportEvent.MessageReceived> fromBob = got.stream().filter(m -> m.sender().equals(BOB)).toList();
        assertThat(fromBob).as("a number not saved is its own title").extracting(TransportEvent.MessageReceived::text)
                .containsExactly("Who is this?", "Hello?");
        TestSupport.assertSameMessage(who, fromBob.get(0).messageId());
        TestSupport.assertSameMessage(hello, fromBob.get(1).messageId());
        // A message read from the chat on screen stays unread behind a badge until its chat is opened for it.
        TestSupport.await("opened, so read", () -> sim.unreadFrom(ALICE) + sim.unreadFrom(BOB) == 0);

        sim.receive(BOB, "Still there?");
        TestSupport.await("the next one", () -> ctx.events(TransportEvent.MessageReceived.class).size() >= 4);
        Thread.sleep(1_000); // a few more checks: nothing read twice
        assertThat(ctx.events(TransportEvent.MessageReceived.class)).hasSize(4).last()
                .satisfies(m -> assertThat(m.text()).isEqualTo("Still there?"));
    }
}
