package dev.wasched.telegram;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wasched.delivery.DeliveryStatus;
import dev.wasched.testkit.telegram.SentMessage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CommandsTest extends TelegramFixture {
    @BeforeEach
    void start() {
        startAll();
    }

    @Test
    void helpListsTheCommandsAndStartSaysTheSame() {
        String help = ask(ME, "/help").text();
        assertThat(help).contains("/status", "/schedules", "/schedule", "/send", "/contacts", "/dlq", "/pause",
                "/resume", "/help");
        assertThat(ask(ME, "/start").text()).isEqualTo(help);
        assertThat(telegram.commands()).containsKeys("status", "send", "dlq");
    }

    @Test
    void statusShowsHealthAccountsQueueAndLastSends() {
        contact("Ann", "+4915112345678");
        ask(ME, "/send +4915112345678 Hello");
        awaitTrue("sent", () -> log.size() == 1);

        String status = ask(ME, "/status").text();

        assertThat(status).contains("wasched UP", "Sending: active", "Queue: 0 pending", "0 dead",
                "shop: READY", "circuit CLOSED", "today ", "Replies: 0 deliveries answered", "Last sends:",
                "→ +4915112345678 via shop",
                "Instance test-1");
    }

    @Test
    void pauseAndResumeAllSending() {
        assertThat(ask(ME, "/pause").text()).contains("paused");
        assertThat(wasched.isSendingPaused()).isTrue();
        assertThat(ask(ME, "/status").text()).contains("PAUSED");
        assertThat(ask(ME, "/pause").text()).contains("already");

        ask(ME, "/send +4915112345678 waits");
        assertThat(log.size()).isZero();

        assertThat(ask(ME, "/resume").text()).contains("resumed");
        assertThat(wasched.isSendingPaused()).isFalse();
        awaitTrue("the waiting message is sent", () -> log.size() == 1);
        assertThat(ask(ME, "/resume").text()).contains("not paused");
    }

    @Test
    void sendToANumberCreatesTheContactAndSendsNow() {
        String reply = ask(ME, "/send +4915112345678 Hello from Telegram").text();

        assertThat(reply).startsWith("📤 Sending to +4915112345678 via shop now");
        awaitTrue("sent", () -> log.size() == 1);
        assertThat(log.entries().get(0).recipient()).isEqualTo("+4915112345678");
        assertThat(log.entries().get(0).text()).isEqualTo("Hello from Telegram");
        assertThat(wasched.contacts().findByPhone("+4915112345678")).isPresent();
    }

    @Test
    void sendToATagAndWithANationalNumber() {
        contact("Ann", "+4915112345678", "customers");
        contact("Bob", "+4915112345679", "customers");
        assertThat(ask(ME, "/send #customers Hi {{name}}").text()).contains("everyone tagged #customers");
        awaitTrue("two sent", () -> log.size() == 2);
        assertThat(log.texts()).containsExactlyInAnyOrder("Hi Ann", "Hi Bob");

        assertThat(ask(ME, "/send 015112345678 national").text()).contains("Ann (+4915112345678)");
        awaitTrue("third sent", () -> log.size() == 3);
    }

    @Test
    void badInputGetsAReplyNamingTheProblem() {
        assertThat(ask(ME, "/send +49abc Hello").text())
                .isEqualTo("❌ phone: invalid phone number '+49abc': not a phone number");
        assertThat(ask(ME, "/send +4912 Hello").text()).contains("invalid phone number '+4912'");
        assertThat(ask(ME, "/send #nobody Hello").text()).contains("no contact has the tag #nobody");
        assertThat(ask(ME, "/send #bad!tag Hello").text()).contains("invalid tag");
        assertThat(ask(ME, "/send +4915112345678").text()).startsWith("Usage: /send");
        assertThat(ask(ME, "/send").text()).startsWith("Usage: /send");
        assertThat(ask(ME, "/send @nope +4915112345678 Hi").text()).contains("account not found: 'nope'");
        assertThat(ask(ME, "/send +4915112345678 {{broken").text()).contains("malformed placeholder");
        assertThat(ask(ME, "/send +4915112345678 " + "x".repeat(5000)).text())
                .contains("message: is 5000 characters, the limit is 4096");
        assertThat(ask(ME, "/contacts " + "y".repeat(300)).text()).contains("search: is 300 characters, the limit is 100");
        assertThat(ask(ME, "/frobnicate").text()).isEqualTo("Unknown command /frobnicate. /help lists the commands.");
        assertThat(ask(ME, "just text").text()).contains("/help");
        assertThat(log.size()).isZero();
        assertThat(wasched.contacts().count()).isZero();
    }

    @Test
    void contactsSearchByNameAndDigits() {
        contact("Ann Smith", "+4915112345678", "customers", "vip");
        contact("Bob", "+4915112345679");
        wasched.contacts().optOut(wasched.contacts().findByPhone("+4915112345679").orElseThrow().id());

        assertThat(ask(ME, "/contacts ann").text())
                .isEqualTo("Contacts matching 'ann':\n• Ann Smith (+4915112345678) #customers #vip");
        assertThat(ask(ME, "/contacts 45679").text()).contains("Bob (+4915112345679) · opted out");
        assertThat(ask(ME, "/contacts").text()).startsWith("Contacts (2 in all):").contains("Ann Smith", "Bob");
        assertThat(ask(ME, "/contacts zed").text()).endsWith("none");
    }

    @Test
    void commandsForAnotherBotAreIgnoredAndOursAnswered() {
        telegram.pushMessage(ME, "/status@some_other_bot");
        SentMessage reply = ask(ME, "/help@" + telegram.botUsername());
        assertThat(reply.text()).contains("/status");
        assertThat(telegram.sentMessages(ME)).hasSize(1);
    }

    @Test
    void deadLettersAreListedAndRequeuedWithAButton() {
        transport.failNext(1); // one attempt allowed: the first send is dead at once
        ask(ME, "/send +4915112345678 try again");
        awaitTrue("dead", () -> deliveries(DeliveryStatus.DEAD).size() == 1);

        SentMessage list = ask(ME, "/dlq", m -> m.text().startsWith("Dead letters"));
        assertThat(list.text()).contains("1. to +4915112345678 via shop · 1 attempt(s)", "why: gave up after 1 attempt(s): injected failure");

        String answer = press(ME, list, "↻ Requeue 1");

        assertThat(answer).isEqualTo("Requeued: +4915112345678 is sent again");
        telegram.awaitEdit(ME, e -> e.messageId() == list.messageId() && e.text().contains("empty"), WAIT);
        awaitTrue("sent after requeue", () -> log.size() == 1);
        assertThat(press(ME, list, "↻ Requeue 1")).contains("Not dead any more");
    }

    @Test
    void aDeadLetterIsDismissedWithAButtonAndStaysInTheHistory() {
        transport.failNext(1);
        ask(ME, "/send +4915112345678 give up");
        awaitTrue("dead", () -> deliveries(DeliveryStatus.DEAD).size() == 1);

        SentMessage list = ask(ME, "/dlq", m -> m.text().startsWith("Dead letters"));
        assertThat(press(ME, list, "✖ Dismiss 1")).isEqualTo("Dismissed: +4915112345678 is not sent again");
        telegram.awaitEdit(ME, e -> e.messageId() == list.messageId() && e.text().contains("empty"), WAIT);
        assertThat(deliveries(DeliveryStatus.DISMISSED)).hasSize(1);
        assertThat(press(ME, list, "↻ Requeue 1")).contains("Not dead any more");
        assertThat(log.size()).isZero();
    }

    @Test
    void emptyDeadLetterQueue() {
        SentMessage list = ask(ME, "/dlq");
        assertThat(list.text()).contains("The dead-letter queue is empty.");
        assertThat(list.buttons()).isEmpty();
    }
}
