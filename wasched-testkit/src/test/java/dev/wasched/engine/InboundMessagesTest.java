package dev.wasched.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wasched.contact.Contact;
import dev.wasched.event.WaschedEvent;
import dev.wasched.inbound.InboundMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Messages people write to an account reach the listeners once, with the sender's contact where there is one. */
class InboundMessagesTest extends EngineFixture {

    private List<WaschedEvent.MessageReceived> awaitReceived(int n) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (events(WaschedEvent.MessageReceived.class).size() < n && System.nanoTime() < deadline) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        return events(WaschedEvent.MessageReceived.class);
    }

    @Test
    void aReplyFromAContactIsPublishedOnceWithTheContactAndTheMessageItQuotes() {
        build();
        Contact ann = contact("Ann", "+4915112345678");
        wasched.runDue();
        transport.receive("in-1", "+4915112345678", "Yes, see you at 10", "3EB0AAA");
        transport.receive("in-1", "+4915112345678", "Yes, see you at 10", "3EB0AAA"); // again after a reload
        transport.receive("in-2", "123456789012345@lid", "who is this?", null);
        List<WaschedEvent.MessageReceived> got = awaitReceived(2);
        assertThat(got).hasSize(2);
        InboundMessage reply = got.get(0).message();
        assertThat(reply.account()).isEqualTo(ACCOUNT);
        assertThat(reply.messageId()).isEqualTo("in-1");
        assertThat(reply.sender()).isEqualTo("+4915112345678");
        assertThat(reply.senderIsNumber()).isTrue();
        assertThat(reply.contactId()).isEqualTo(ann.id());
        assertThat(reply.text()).isEqualTo("Yes, see you at 10");
        assertThat(reply.quotedMessageId()).isEqualTo("3EB0AAA");
        assertThat(reply.sentAt()).isEqualTo(Instant.parse("2026-06-01T08:00:00Z"));
        InboundMessage stranger = got.get(1).message();
        assertThat(stranger.senderIsNumber()).isFalse();
        assertThat(stranger.contactId()).as("a LID names no number").isNull();
        assertThat(stranger.chat()).isEqualTo("123456789012345@lid");
    }
}
