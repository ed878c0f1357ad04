package dev.wasched.telegram;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wasched.PageRequest;
import dev.wasched.contact.Contact;
import dev.wasched.delivery.Delivery;
import dev.wasched.delivery.DeliveryStatus;
import dev.wasched.delivery.Recipient;
import dev.wasched.memory.InMemoryStore;
import dev.wasched.message.MessageContent;
import dev.wasched.schedule.Schedule;
import dev.wasched.schedule.ScheduleSpec;
import dev.wasched.schedule.Target;
import dev.wasched.schedule.Trigger;
import dev.wasched.testkit.SettableClock;
import dev.wasched.testkit.telegram.EditedMessage;
import dev.wasched.testkit.telegram.InlineButton;
import dev.wasched.testkit.telegram.SentMessage;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Requeueing an UNCERTAIN delivery from Telegram takes a confirmation that shows the evidence; requeueing a DEAD one
 * stays one step. The UNCERTAIN delivery is written into the store as an engine would leave it after a send whose
 * outcome was lost; sending is paused, so a requeued delivery stays PENDING where the test can see it.
 */
class UncertainRequeueTest extends TelegramFixture {
    private static final String PHONE = "+4915112345678";
    private static final String TEXT = "Your secret code is 4711";
    /** As a WhatsApp Web transport might report it: the id contains the recipient's number. */
    private static final String WHATSAPP_ID = "true_4915112345678@c.us_3EB0AC1D2E3F";
    private static final Instant SINCE = Instant.parse("2026-03-02T09:15:00Z");

    private final SettableClock clock = new SettableClock(Instant.now());
    private final InMemoryStore store = new InMemoryStore();
    private Delivery uncertain;

    @BeforeEach
    void start() {
        wasched(b -> b.store(store));
        startAll(c -> c.clock(clock).requeueConfirmExpiry(Duration.ofMinutes(5)));
        wasched.pauseSending();
        Contact ann = contact("Ann", PHONE);
        Schedule s = wasched.schedules().create(ScheduleSpec.builder().name("codes").account(ACCOUNT)
                .to(Target.contacts(ann.id())).text(TEXT)
                .trigger(Trigger.once(Instant.now().plus(Duration.ofDays(365)))).build());
        uncertain = insertUncertain("d-uncertain-1", s.id(), SINCE.minusSeconds(5), ann, WHATSAPP_ID);
    }

    private Delivery insertUncertain(String id, String scheduleId, Instant at, Contact to, String messageId) {
        Delivery d = Delivery.pending(id, scheduleId, at, Recipient.contact(to.id(), to.phone().e164(), null), ACCOUNT,
                        MessageContent.text(TEXT), at)
                .claim("gone-instance", at.plusSeconds(30), at)
                .startSending(at)
                .withEvidence("last-row:3EB0AA", messageId)
                .uncertain("outcome unknown: connection reset while loading"
                        + " https://web.whatsapp.com/send?phone=4915112345678&text=Your+secret+code", SINCE);
        store.deliveries().insertAll(List.of(d));
        return store.deliveries().findById(id).orElseThrow();
    }

    private Delivery current() {
        return wasched.deliveries().get(uncertain.id());
    }

    private String since() {
        return DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").format(SINCE.atZone(ZoneId.of("Europe/Berlin")));
    }

    /** /uncertain, then "↻ Requeue 1…": the question with the evidence. */
    private SentMessage ask() {
        SentMessage list = ask(ME, "/uncertain", m -> m.text().startsWith("Uncertain deliveries"));
        int before = telegram.sentMessages(ME).size();
        assertThat(press(ME, list, "↻ Requeue 1…")).isEqualTo("Check the evidence, then confirm or cancel");
        SentMessage question = telegram.awaitSentMessage(ME,
                m -> m.messageId() > list.messageId() && m.text().startsWith("⚠ Requeue"), WAIT);
        assertThat(telegram.sentMessages(ME)).hasSize(before + 1);
        return question;
    }

    private static void assertNoTextNoUrl(String shown) {
        assertThat(shown).doesNotContain(TEXT, "secret", "http", "phone=", "&text", WHATSAPP_ID, "3EB0", "last-row");
    }

    @Test
    void theListingShowsTheEvidenceShortWithoutTextOrUrls() {
        SentMessage list = ask(ME, "/uncertain", m -> m.text().startsWith("Uncertain deliveries"));

        assertThat(list.text()).startsWith("Uncertain deliveries, page 1").contains(
                "1. to " + PHONE + " via shop\n   uncertain since " + since()
                        + " · 1 attempt(s) · WhatsApp id seen\n   why: outcome unknown: connection reset while"
                        + " loading <url>",
                "they are not sent again unless you requeue them", "confirmation");
        assertNoTextNoUrl(list.text());
        assertThat(list.buttons()).extracting(InlineButton::text).containsExactly("↻ Requeue 1…");

        SentMessage dlq = ask(ME, "/dlq", m -> m.text().startsWith("Dead letters"));
        assertThat(dlq.text()).contains("The dead-letter queue is empty.",
                "❓ 1 uncertain (sent or not is unknown): /uncertain shows the evidence.");
        assertThat(ask(ME, "/help").text()).contains("/uncertain");
        assertThat(telegram.commands()).containsKey("uncertain");
    }

    @Test
    void theFirstPressShowsTheEvidenceAndAsksWithoutRequeueing() {
        SentMessage question = ask();

        assertThat(question.text()).isEqualTo("⚠ Requeue an UNCERTAIN delivery?\n\n"
                + "To: " + PHONE + " via shop\n"
                + "Uncertain since: " + since() + "\n"
                + "Why: outcome unknown: connection reset while loading <url>\n"
                + "WhatsApp message id seen: yes (the transport saw the message's id, so it has probably gone out)\n"
                + "Attempts: 1\n\n"
                + "It is unknown whether this message reached WhatsApp. Requeueing sends it again, so the recipient"
                + " may get it twice: check the chat on the phone first.\n"
                + "This question is valid for 5m.");
        assertNoTextNoUrl(question.text());
        assertThat(question.buttons()).extracting(InlineButton::text).containsExactly("✅ Yes, send again", "✖ Cancel");
        assertThat(question.buttons()).allSatisfy(b -> assertThat(b.callbackData().getBytes()).hasSizeLessThanOrEqualTo(64));
        assertThat(current().status()).isEqualTo(DeliveryStatus.UNCERTAIN);
        assertThat(current().version()).isEqualTo(uncertain.version());
    }

    @Test
    void withoutAWhatsAppIdTheQuestionSaysSo() {
        Schedule s = wasched.schedules().list(PageRequest.first(1)).items().get(0);
        store.deliveries().update(current().requeue(Instant.now())); // only the second one is uncertain now
        uncertain = insertUncertain("d-uncertain-2", s.id(), SINCE.minusSeconds(4),
                wasched.contacts().findByPhone(PHONE).orElseThrow(), null);
        assertThat(wasched.deliveries().uncertain(PageRequest.first(10)).items())
                .extracting(Delivery::id).containsExactly("d-uncertain-2");

        SentMessage question = ask();

        assertThat(question.text()).contains("WhatsApp message id seen: no (it may or may not have gone out)");
    }

    @Test
    void confirmingRequeuesOnceAndASecondPressChangesNothing() {
        SentMessage question = ask();

        assertThat(press(ME, question, "✅ Yes, send again")).isEqualTo("Requeued: " + PHONE + " is sent again");

        Delivery requeued = current();
        assertThat(requeued.status()).isEqualTo(DeliveryStatus.PENDING);
        EditedMessage closed = telegram.awaitEdit(ME, e -> e.messageId() == question.messageId(), WAIT);
        assertThat(closed.text()).startsWith("Requeue an UNCERTAIN delivery\n\nTo: " + PHONE + " via shop")
                .contains("✅ Requeued at ", ": it is sent again.");
        assertThat(closed.buttons()).isEmpty();
        assertNoTextNoUrl(closed.text());

        assertThat(press(ME, question, "✅ Yes, send again"))
                .isEqualTo("Already answered with Yes; pressing again does nothing.");
        assertThat(press(ME, question, "✖ Cancel")).isEqualTo("Already answered with Yes; pressing again does nothing.");
        assertThat(current()).isEqualTo(requeued);
        assertThat(telegram.edits()).hasSize(1);

        wasched.resumeSending();
        awaitTrue("sent after the requeue", () -> log.size() == 1);
        assertThat(log.entries().get(0).deliveryId()).isEqualTo(uncertain.id());
        assertThat(log.size()).isEqualTo(1);
    }

    @Test
    void anExpiredConfirmationIsRefused() {
        SentMessage question = ask();
        clock.advance(Duration.ofMinutes(5).plusSeconds(1));

        assertThat(press(ME, question, "✅ Yes, send again")).isEqualTo("This question expired; nothing was requeued.");

        assertThat(current()).isEqualTo(uncertain);
        EditedMessage closed = telegram.awaitEdit(ME, e -> e.messageId() == question.messageId(), WAIT);
        assertThat(closed.text()).contains("⌛ Expired after 5m: nothing was requeued.");
        assertThat(closed.buttons()).isEmpty();
        assertThat(press(ME, question, "✅ Yes, send again")).startsWith("This question expired; nothing was requeued.");
        assertThat(current()).isEqualTo(uncertain);

        // asked again, with the evidence as it is now, it can be confirmed
        SentMessage again = ask();
        assertThat(press(ME, again, "✅ Yes, send again")).startsWith("Requeued");
        assertThat(current().status()).isEqualTo(DeliveryStatus.PENDING);
    }

    @Test
    void justBeforeExpiryTheConfirmationStillCounts() {
        SentMessage question = ask();
        clock.advance(Duration.ofMinutes(4).plusSeconds(59));

        assertThat(press(ME, question, "✅ Yes, send again")).startsWith("Requeued");
        assertThat(current().status()).isEqualTo(DeliveryStatus.PENDING);
    }

    @Test
    void anotherChatCannotConfirmNorCancel() {
        SentMessage question = ask();
        String yes = question.button("✅ Yes, send again").orElseThrow().callbackData();
        String cancel = question.button("✖ Cancel").orElseThrow().callbackData();
        SentMessage otherList = ask(OTHER, "/uncertain", m -> m.text().startsWith("Uncertain deliveries"));

        assertThat(press(OTHER, otherList.messageId(), yes))
                .isEqualTo("This question belongs to another chat; nothing was requeued.");
        assertThat(press(OTHER, question.messageId(), cancel))
                .isEqualTo("This question belongs to another chat; nothing was requeued.");
        assertThat(current()).isEqualTo(uncertain);
        assertThat(telegram.edits()).isEmpty();

        // the chat that asked still can
        assertThat(press(ME, question, "✅ Yes, send again")).startsWith("Requeued");
        assertThat(current().status()).isEqualTo(DeliveryStatus.PENDING);
    }

    @Test
    void cancelLeavesItUncertainAndUsesTheQuestionUp() {
        SentMessage question = ask();

        assertThat(press(ME, question, "✖ Cancel")).isEqualTo("Cancelled");

        EditedMessage closed = telegram.awaitEdit(ME, e -> e.messageId() == question.messageId(), WAIT);
        assertThat(closed.text()).endsWith("✖ Cancelled: nothing was requeued.");
        assertThat(press(ME, question, "✅ Yes, send again"))
                .isEqualTo("Already cancelled; nothing was requeued. Press Requeue again to decide anew.");
        assertThat(current()).isEqualTo(uncertain);
    }

    @Test
    void aDeliveryThatChangedAfterTheQuestionIsNotRequeued() {
        SentMessage question = ask();
        Delivery elsewhere = wasched.deliveries().requeue(uncertain.id()); // say, from the web console

        assertThat(press(ME, question, "✅ Yes, send again"))
                .isEqualTo("Not uncertain any more: it is PENDING now; nothing was requeued");
        assertThat(current()).isEqualTo(elsewhere);
        telegram.awaitEdit(ME, e -> e.messageId() == question.messageId()
                && e.text().endsWith("Not requeued: the delivery is PENDING now."), WAIT);
    }

    @Test
    void aDeliveryUncertainAgainWithNewEvidenceIsNotRequeuedOnTheOldQuestion() {
        SentMessage question = ask();
        Instant now = Instant.now();
        // what the engine of another instance would write, one version per step: requeued, sent, uncertain again
        Delivery requeued = current().requeue(now);
        Delivery claimed = requeued.claim("other-instance", now.plusSeconds(30), now);
        Delivery sending = claimed.startSending(now);
        Delivery again = sending.uncertain("outcome unknown: timeout", now);
        for (Delivery step : List.of(requeued, claimed, sending, again)) {
            assertThat(store.deliveries().update(step)).isTrue();
        }
        assertThat(current().status()).isEqualTo(DeliveryStatus.UNCERTAIN);

        assertThat(press(ME, question, "✅ Yes, send again"))
                .isEqualTo("It changed since you were asked; nothing was requeued");
        assertThat(current().status()).isEqualTo(DeliveryStatus.UNCERTAIN);
        assertThat(current().version()).isEqualTo(again.version());
    }

    @Test
    void theDeadLetterButtonNeverRequeuesAnUncertainDeliveryInOneStep() {
        SentMessage dlq = ask(ME, "/dlq", m -> m.text().startsWith("Dead letters"));

        assertThat(press(ME, dlq.messageId(), "d:r:" + uncertain.id()))
                .isEqualTo("Check the evidence, then confirm or cancel");

        SentMessage question = telegram.awaitSentMessage(ME, m -> m.text().startsWith("⚠ Requeue"), WAIT);
        assertThat(current()).isEqualTo(uncertain);
        assertThat(press(ME, question, "✅ Yes, send again")).startsWith("Requeued");
        assertThat(current().status()).isEqualTo(DeliveryStatus.PENDING);
    }

    @Test
    void requeueingADeadDeliveryStaysOneStep() {
        wasched.resumeSending();
        transport.failNext(1); // one attempt allowed: the first send is dead at once
        ask(ME, "/send +4915112345679 try again");
        awaitTrue("dead", () -> deliveries(DeliveryStatus.DEAD).size() == 1);

        SentMessage list = ask(ME, "/dlq", m -> m.text().startsWith("Dead letters"));
        assertThat(list.text()).contains("❓ 1 uncertain");
        assertThat(press(ME, list, "↻ Requeue 1")).isEqualTo("Requeued: +4915112345679 is sent again");

        awaitTrue("sent after the requeue", () -> log.size() == 1);
        assertThat(log.entries().get(0).recipient()).isEqualTo("+4915112345679");
        ask(ME, "/help"); // replies to a chat go out in order: a question would have come before this one
        assertThat(telegram.sentMessages(ME)).noneMatch(m -> m.text().startsWith("⚠ Requeue"));
        assertThat(current()).isEqualTo(uncertain);
    }

    @Test
    void malformedConfirmationsAreRefused() {
        SentMessage question = ask();

        assertThat(press(ME, question.messageId(), "q:y:../../etc")).isEqualTo("❌ button: malformed confirmation");
        assertThat(press(ME, question.messageId(), "q:y:AAAAAAAAAAAAAAAAAAAAAA")).startsWith("This question is no longer known");
        assertThat(press(ME, question.messageId(), "q:z:AAAAAAAAAAAAAAAAAAAAAA")).isEqualTo("Unknown button");
        assertThat(current()).isEqualTo(uncertain);
    }
}
