package dev.wasched.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wasched.contact.Contact;
import dev.wasched.delivery.Delivery;
import dev.wasched.delivery.DeliveryStatus;
import dev.wasched.delivery.Recipient;
import dev.wasched.event.WaschedEvent;
import dev.wasched.inbound.InboundMessage;
import dev.wasched.inbound.ReplyKeywords;
import dev.wasched.schedule.ScheduleSpec;
import dev.wasched.schedule.Target;
import dev.wasched.schedule.Trigger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Messages people write to an account reach the listeners once, with the sender's contact where there is one. */
class InboundMessagesTest extends EngineFixture {

    private List<WaschedEvent.MessageReceived> awaitReceived(int n) {
        awaitUntil(() -> events(WaschedEvent.MessageReceived.class).size() >= n);
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
        assertThat(wasched.inbound().find(ACCOUNT, "in-1")).hasValue(reply);
        assertThat(wasched.inbound().list(ACCOUNT, ann.id(), dev.wasched.PageRequest.first(10)).items())
                .containsExactly(reply);
        InboundMessage stranger = got.get(1).message();
        assertThat(stranger.senderIsNumber()).isFalse();
        assertThat(stranger.contactId()).as("a LID names no number").isNull();
        assertThat(stranger.chat()).isEqualTo("123456789012345@lid");
    }

    @Test
    void theFirstReplyMarksTheDeliveryItAnswersAndAcksLaterKeepThatTime() {
        build();
        Contact ann = contact("Ann", "+4915112345678");
        wasched.schedules().create(ScheduleSpec.builder().account(ACCOUNT).to(Target.contacts(ann.id()))
                .text("See you at 10?").trigger(Trigger.once(clock.instant())).build());
        wasched.runDue();
        Delivery sent = deliveries(DeliveryStatus.SENT).get(0);
        assertThat(sent.repliedAt()).isNull();
        clock.advance(Duration.ofMinutes(2));
        Instant answeredAt = clock.instant();
        transport.receive("in-1", "+4915112345678", "Yes", sent.transportMessageId());
        awaitUntil(() -> wasched.deliveries().get(sent.id()).repliedAt() != null);
        assertThat(awaitReceived(1).get(0).message().repliedDeliveryId()).isEqualTo(sent.id());
        assertThat(wasched.deliveries().get(sent.id()).repliedAt()).isEqualTo(answeredAt);

        clock.advance(Duration.ofMinutes(1));
        transport.receive("in-2", "+4915112345678", "See you", null); // linked to the same delivery, the newest
        awaitReceived(2);
        // The clock moved three minutes without a heartbeat: renew the session lease first, as a running engine's
        // heartbeat would have, or the ack (applied on the transport-event thread) may meet a lapsed lease and be
        // left to the next owner.
        wasched.runDue();
        transport.ack(sent.transportMessageId(), DeliveryStatus.READ);
        wasched.runDue();
        awaitUntil(() -> wasched.deliveries().get(sent.id()).status() == DeliveryStatus.READ);
        Delivery read = wasched.deliveries().get(sent.id());
        assertThat(read.repliedAt()).as("set once, by the first reply").isEqualTo(answeredAt);
        assertThat(read.version()).as("the reply took no version").isEqualTo(sent.version() + 1);
        assertThat(wasched.deliveries().repliedCount(ACCOUNT)).as("answered twice, counted once").isEqualTo(1);
        assertThat(wasched.deliveries().repliedCount("other")).isZero();
        assertThat(wasched.deliveries().history(dev.wasched.delivery.DeliveryQuery.all().replied(),
                dev.wasched.PageRequest.first(10)).items()).containsExactly(read);
    }

    @Test
    void stopOptsTheContactOutAndCancelsWhatIsPendingForItAndStartOptsItBackIn() {
        build();
        Contact ann = contact("Ann", "+4915112345678");
        Contact bob = contact("Bob", "+4915112345679");
        for (Contact c : List.of(ann, bob)) {
            wasched.schedules().create(ScheduleSpec.builder().account(ACCOUNT).to(Target.contacts(c.id()))
                    .text("In a moment").trigger(Trigger.once(clock.instant().plus(Duration.ofSeconds(30)))).build());
        }
        wasched.runDue(); // made ahead of time: PENDING, due in 30 s
        assertThat(deliveries(DeliveryStatus.PENDING)).hasSize(2);
        transport.receive("in-1", "+4915112345678", "please stop calling me", null);
        transport.receive("in-2", "+4915112345678", " Stop! ", null);
        awaitReceived(2);
        awaitUntil(() -> wasched.contacts().get(ann.id()).optedOut());
        assertThat(wasched.contacts().get(bob.id()).optedOut()).isFalse();
        awaitUntil(() -> !events(WaschedEvent.DeliveryCancelled.class).isEmpty());
        assertThat(events(WaschedEvent.DeliveryCancelled.class)).singleElement().satisfies(e -> {
            assertThat(e.delivery().recipient().contactId()).isEqualTo(ann.id());
            assertThat(e.reason()).contains("reply keyword");
            assertThat(e.delivery().status()).isEqualTo(DeliveryStatus.CANCELLED);
        });
        assertThat(deliveries(DeliveryStatus.PENDING)).singleElement()
                .satisfies(d -> assertThat(d.recipient().contactId()).isEqualTo(bob.id()));
        transport.receive("in-3", "+4915112345678", "START", null);
        awaitUntil(() -> !wasched.contacts().get(ann.id()).optedOut());
    }

    private List<Delivery> confirmations() {
        return deliveries().stream().filter(d -> d.recipient().kind() == Recipient.Kind.NUMBER).toList();
    }

    @Test
    void stopIsConfirmedOnceByAPacedMessageThatTheOptOutDoesNotHoldBack() {
        String bye = "You will receive no more messages. Reply START to come back.";
        build(b -> b.replyKeywords(ReplyKeywords.DEFAULT.withOptOutConfirmation(bye)
                .withOptInConfirmation("Welcome back!")));
        Contact ann = contact("Ann", "+4915112345678");
        wasched.schedules().create(ScheduleSpec.builder().account(ACCOUNT).to(Target.contacts(ann.id()))
                .text("In a moment").trigger(Trigger.once(clock.instant().plus(Duration.ofSeconds(30)))).build());
        wasched.runDue();
        Delivery pending = deliveries(DeliveryStatus.PENDING).get(0);
        clock.advance(Duration.ofSeconds(5));
        Instant stopAt = clock.instant();

        transport.receive("in-1", "+4915112345678", "stop", null);
        awaitUntil(() -> confirmations().size() == 1);
        Contact out = wasched.contacts().get(ann.id());
        assertThat(out.optedOut()).isTrue();
        assertThat(out.updatedAt()).as("when it opted out").isEqualTo(stopAt);
        Delivery cancelled = wasched.deliveries().get(pending.id());
        assertThat(cancelled.status()).isEqualTo(DeliveryStatus.CANCELLED);
        assertThat(cancelled.lastError()).isEqualTo("contact opted out by a reply keyword to " + ACCOUNT);
        assertThat(cancelled.updatedAt()).isEqualTo(stopAt);

        assertThat(wasched.runDue()).as("paced and sent like any other").isEqualTo(1);
        assertThat(transport.sent()).singleElement().satisfies(e -> {
            assertThat(e.recipient()).isEqualTo("+4915112345678");
            assertThat(e.text()).isEqualTo(bye);
        });
        Delivery confirmation = wasched.deliveries().get(transport.sent().get(0).deliveryId());
        assertThat(confirmation.status()).isEqualTo(DeliveryStatus.SENT);
        assertThat(confirmation.account()).isEqualTo(ACCOUNT);
        assertThat(confirmation.recipient().contactId()).as("written to the number, not the contact").isNull();
        assertThat(wasched.schedules().get(confirmation.scheduleId()).name()).contains(ACCOUNT + "/in-1");

        transport.receive("in-1", "+4915112345678", "stop", null); // heard again
        transport.receive("in-2", "+4915112345678", "STOP!", null); // said again
        awaitReceived(2);
        clock.advance(Duration.ofMinutes(1)); // past the cancelled delivery's time
        wasched.runDue();
        assertThat(confirmations()).hasSize(1);
        assertThat(transport.sent()).as("nothing more reaches her").hasSize(1);

        transport.receive("in-3", "+4915112345678", "Start", null);
        awaitUntil(() -> confirmations().size() == 2);
        assertThat(wasched.contacts().get(ann.id()).optedOut()).isFalse();
        wasched.runDue();
        assertThat(transport.sent()).extracting(e -> e.text()).containsExactly(bye, "Welcome back!");
    }

    @Test
    void withoutLookAheadTheSchedulerFansTheConfirmationOutToTheNumber() {
        build(b -> b.fanOutLookAhead(Duration.ZERO).replyKeywords(ReplyKeywords.DEFAULT.withOptOutConfirmation("Bye")));
        Contact ann = contact("Ann", "+4915112345678");
        wasched.runDue();
        transport.receive("in-1", "+4915112345678", "STOP", null);
        awaitUntil(() -> !wasched.schedules().list(dev.wasched.PageRequest.first(10)).items().isEmpty());
        assertThat(wasched.contacts().get(ann.id()).optedOut()).isTrue();
        assertThat(wasched.runDue()).isEqualTo(1);
        assertThat(transport.sent()).extracting(e -> e.recipient() + " " + e.text()).containsExactly("+4915112345678 Bye");
    }

    /** Ann, opted out by her message in-1, "STOP". */
    private Contact annWhoStopped() {
        Contact ann = contact("Ann", "+4915112345678");
        wasched.runDue();
        transport.receive("in-1", "+4915112345678", "STOP", null);
        awaitUntil(() -> wasched.contacts().get(ann.id()).optedOut());
        return ann;
    }

    @Test
    void withoutAConfirmationTextAStopIsNotAnswered() {
        build();
        annWhoStopped();
        assertThat(wasched.runDue()).isZero();
        assertThat(confirmations()).isEmpty();
        assertThat(wasched.schedules().list(dev.wasched.PageRequest.first(10)).items()).isEmpty();
    }

    @Test
    void aMessageHeardAgainAfterARestartIsNeitherPublishedNorActedOnTwice() {
        build();
        Contact ann = annWhoStopped();
        wasched.contacts().optIn(ann.id()); // a person opted her back in
        wasched.close();
        events.clear();
        clock.advance(Duration.ofMinutes(1));

        build(); // the same store, a new engine: the page reports the message again after its reload
        wasched.runDue();
        transport.receive("in-1", "+4915112345678", "STOP", null);
        transport.receive("in-2", "+4915112345678", "thanks", null);
        awaitReceived(1);
        assertThat(events(WaschedEvent.MessageReceived.class)).extracting(e -> e.message().messageId())
                .containsExactly("in-2");
        assertThat(wasched.contacts().get(ann.id()).optedOut()).as("not opted out a second time").isFalse();
        assertThat(wasched.inbound().list(null, null, dev.wasched.PageRequest.first(10)).items())
                .extracting(InboundMessage::messageId).containsExactly("in-2", "in-1");
    }

    @Test
    void withoutKeywordsAStopIsJustAMessage() {
        build(b -> b.replyKeywords(ReplyKeywords.NONE));
        Contact ann = contact("Ann", "+4915112345678");
        wasched.runDue();
        transport.receive("in-1", "+4915112345678", "STOP", null);
        assertThat(awaitReceived(1)).hasSize(1);
        assertThat(wasched.contacts().get(ann.id()).optedOut()).isFalse();
    }

    private static void awaitUntil(java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10 s");
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
