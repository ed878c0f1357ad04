package dev.wasched.telegram;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wasched.contact.Contact;
import dev.wasched.delivery.DeliveryStatus;
import dev.wasched.schedule.ScheduleSpec;
import dev.wasched.schedule.Target;
import dev.wasched.schedule.Trigger;
import dev.wasched.testkit.telegram.SentMessage;
import org.junit.jupiter.api.Test;

/** WhatsApp messages people send are forwarded to the allowed chats; a reply there goes back on WhatsApp. */
class RepliesTest extends TelegramFixture {

    @Test
    void aReplyIsForwardedWithSenderAndAnsweredMessageAndAnAnswerFromTelegramGoesBackPaced() {
        startAll();
        Contact ann = contact("Ann", "+4915112345678");
        wasched.schedules().create(ScheduleSpec.builder().account(ACCOUNT).to(Target.contacts(ann.id()))
                .text("Your table is booked for 8 pm").trigger(Trigger.once(java.time.Instant.now())).build());
        awaitTrue("sent", () -> deliveries(DeliveryStatus.SENT).size() == 1);
        String sentId = deliveries(DeliveryStatus.SENT).get(0).transportMessageId();

        transport.receive("in-1", "+4915112345678", "Great, see you then!", sentId);
        SentMessage forward = telegram.awaitSentMessage(ME, m -> m.text().startsWith("💬"), WAIT);
        assertThat(forward.text()).contains("Ann (+4915112345678) via shop").contains("Great, see you then!")
                .contains("↪ answers: Your table is booked for 8 pm").contains("Reply to this message")
                .endsWith("ref shop/in-1");
        telegram.awaitSentMessage(OTHER, m -> m.text().startsWith("💬"), WAIT);

        int reply = telegram.pushReply(ME, forward.messageId(), "Wonderful, thank you!");
        SentMessage ack = telegram.awaitSentMessage(ME, m -> m.messageId() > reply, WAIT);
        assertThat(ack.text()).startsWith("📤 Answering Ann (+4915112345678) via shop");
        awaitTrue("the answer sent", () -> deliveries(DeliveryStatus.SENT).size() == 2);
        assertThat(log.entries().get(1).text()).isEqualTo("Wonderful, thank you!");
        assertThat(log.entries().get(1).recipient()).isEqualTo("+4915112345678");
    }

    @Test
    void aSenderWithoutANumberCannotBeAnsweredAndSaysSo() {
        startAll();
        transport.receive("in-9", "123456789012345@lid", "hi, who is this?", null);
        SentMessage forward = telegram.awaitSentMessage(ME, m -> m.text().startsWith("💬"), WAIT);
        assertThat(forward.text()).contains("123456789012345@lid via shop").doesNotContain("Reply to this message");
        int reply = telegram.pushReply(ME, forward.messageId(), "Hello!");
        SentMessage refused = telegram.awaitSentMessage(ME, m -> m.messageId() > reply, WAIT);
        assertThat(refused.text()).startsWith("❌").contains("did not tell the sender's number");
        assertThat(log.entries()).isEmpty();
    }
}
