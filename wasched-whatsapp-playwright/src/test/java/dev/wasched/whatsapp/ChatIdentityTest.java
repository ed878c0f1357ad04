package dev.wasched.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wasched.testkit.transport.RecordingTransportContext;
import dev.wasched.testkit.whatsapp.PageGeneration;
import dev.wasched.testkit.whatsapp.ReceivedMessage;
import dev.wasched.testkit.whatsapp.WhatsAppWebSimulator;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * On the 2025-26 page, which names no chat ids, a chat is proven to be a number's by its title: the only chat or
 * contact a search for the number shows, or the chat the click-to-chat link opened. Wherever a title could belong to
 * another chat (namesakes, a group titled alike, a renamed contact) the chat is opened with the link instead, and
 * every message reaches the number it was for.
 */
@Tag("browser")
class ChatIdentityTest extends BrowserTestBase {
    /** Which chat the user interface opens; in-page sends open none. */
    @Override
    PageLayer pageLayer() {
        return PageLayer.UI_ONLY;
    }

    static final String CAROL = "+491705555555";
    /** No ack sweep: it would reopen chats between the sends, and the counts here are the sends' own. */
    static final UnaryOperator<PlaywrightTransportConfig.Builder> NO_SWEEP = b -> b.ackSweepInterval(Duration.ZERO);

    private WhatsAppWebSimulator sim2026() {
        return simulator(b -> b.pageGeneration(PageGeneration.WEB_2026));
    }

    private static void onlyTo(WhatsAppWebSimulator sim, String e164, String... texts) {
        assertThat(sim.received(e164)).extracting(ReceivedMessage::text).containsExactly(texts);
    }

    @Test
    void aContactSavedUnderANameIsOpenedInsideThePageAndKeptOpen() throws Exception {
        WhatsAppWebSimulator sim = sim2026();
        PlaywrightTransport t = linked(sim, "named", new RecordingTransportContext("named"), NO_SWEEP);
        long loads = sim.pageLoads();
        String a = unique("one"), b = unique("two"), c = unique("three");
        t.send(text(ALICE, a));
        t.send(text(ALICE, b));
        t.send(text(BOB, unique("bob")));
        t.send(text(ALICE, c));
        assertThat(sim.pageLoads()).as("no send loaded the page").isEqualTo(loads);
        assertThat(t.stats().fallbackNavigations()).isZero();
        assertThat(t.stats().chatsAlreadyOpen()).isGreaterThanOrEqualTo(1);
        onlyTo(sim, ALICE, a, b, c);
    }

    @Test
    void twoContactsOfTheSameNameAreOpenedWithTheLink() throws Exception {
        WhatsAppWebSimulator sim = sim2026();
        sim.registerNumber(CAROL, "Alice");
        PlaywrightTransport t = linked(sim, "namesakes", new RecordingTransportContext("namesakes"), NO_SWEEP);
        String a1 = unique("to alice"), c1 = unique("to carol"), a2 = unique("alice again"),
                a3 = unique("alice once more"), c2 = unique("carol again");
        t.send(text(ALICE, a1));
        assertThat(t.stats().fallbackNavigations()).as("the first Alice is the only one the search shows").isZero();
        t.send(text(CAROL, c1));
        assertThat(t.stats().fallbackNavigations()).as("the open chat has the title already: the link").isEqualTo(1);
        t.send(text(ALICE, a2));
        assertThat(t.stats().fallbackNavigations()).as("another number is known by the title: the link").isEqualTo(2);
        t.send(text(ALICE, a3));
        assertThat(t.stats().fallbackNavigations()).as("the open chat is not kept either").isEqualTo(3);
        t.send(text(CAROL, c2));
        assertThat(t.stats().fallbackNavigations()).isEqualTo(4);
        onlyTo(sim, ALICE, a1, a2, a3);
        onlyTo(sim, CAROL, c1, c2);
    }

    @Test
    void aGroupTitledLikeTheContactIsNeverTakenForIt() throws Exception {
        WhatsAppWebSimulator sim = sim2026();
        sim.createGroup("Alice", BOB);
        PlaywrightTransport t = linked(sim, "group-alike", new RecordingTransportContext("group-alike"), NO_SWEEP);
        String a1 = unique("first"), a2 = unique("second");
        t.send(text(ALICE, a1));
        t.send(text(ALICE, a2));
        onlyTo(sim, ALICE, a1, a2);
        assertThat(sim.receivedInGroup("Alice")).isEmpty();
    }

    @Test
    void aContactRenamedLikeAnotherChatIsOpenedWithTheLink() throws Exception {
        WhatsAppWebSimulator sim = sim2026();
        sim.registerNumber(CAROL, "Carol");
        PlaywrightTransport t = linked(sim, "renamed", new RecordingTransportContext("renamed"), NO_SWEEP);
        String c1 = unique("to carol"), a1 = unique("to alice"), a2 = unique("alice after the rename"),
                c2 = unique("carol after the rename");
        t.send(text(CAROL, c1));
        t.send(text(ALICE, a1));
        long before = t.stats().fallbackNavigations();
        sim.registerNumber(CAROL, "Alice"); // Carol's chat now shows Alice's title too
        Thread.sleep(1_000); // the page picks up the new name
        t.send(text(ALICE, a2));
        t.send(text(CAROL, c2));
        onlyTo(sim, ALICE, a1, a2);
        onlyTo(sim, CAROL, c1, c2);
        assertThat(t.stats().fallbackNavigations()).isGreaterThan(before);
    }

    @Test
    void aRenamedContactIsStillReached() throws Exception {
        WhatsAppWebSimulator sim = sim2026();
        PlaywrightTransport t = linked(sim, "rename", new RecordingTransportContext("rename"), NO_SWEEP);
        String a1 = unique("before"), a2 = unique("after");
        t.send(text(ALICE, a1));
        sim.registerNumber(ALICE, "Alicia");
        Thread.sleep(1_000);
        t.send(text(ALICE, a2));
        onlyTo(sim, ALICE, a1, a2);
    }
}
