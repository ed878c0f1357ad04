package dev.wasched.telegram;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wasched.testkit.telegram.SentMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RateLimitTest extends TelegramFixture {
    @Test
    void a429WaitsRetryAfterThenSendsTheSameMessage() {
        startAll();
        telegram.failNext("sendMessage", 1, 2);

        SentMessage help = ask(ME, "/help");

        assertThat(help.text()).contains("/status");
        List<Instant> calls = telegram.callTimes("sendMessage");
        assertThat(calls).hasSize(2);
        Duration waited = Duration.between(calls.get(0), calls.get(1));
        assertThat(waited).as("waited retry_after (2 s), then went on").isBetween(Duration.ofMillis(1900), Duration.ofSeconds(15));
        assertThat(telegram.sentMessages(ME)).hasSize(1);
    }

    @Test
    void aChatGetsAtMostOneMessagePerIntervalAndOtherChatsAreNotHeldUp() {
        startAll(c -> c.perChatInterval(Duration.ofMillis(400)));
        telegram.pushMessage(ME, "/help");
        telegram.pushMessage(ME, "/help");
        telegram.pushMessage(ME, "/help");
        telegram.pushMessage(OTHER, "/help");

        telegram.awaitSentMessage(OTHER, WAIT);
        awaitTrue("three replies", () -> telegram.sentMessages(ME).size() == 3);

        List<SentMessage> mine = telegram.sentMessages(ME);
        for (int i = 1; i < mine.size(); i++) {
            assertThat(Duration.between(mine.get(i - 1).sentAt(), mine.get(i).sentAt()))
                    .isGreaterThanOrEqualTo(Duration.ofMillis(380));
        }
        // chats take turns: the other chat's reply does not wait behind all of mine
        assertThat(telegram.sentMessages(OTHER).get(0).sentAt()).isBefore(mine.get(2).sentAt());
    }

    @Test
    void allChatsTogetherKeepTheGlobalRate() {
        startAll(c -> c.perChatInterval(Duration.ZERO).globalMessagesPerSecond(5));
        for (int i = 0; i < 3; i++) {
            telegram.pushMessage(ME, "/help");
            telegram.pushMessage(OTHER, "/help");
        }
        awaitTrue("six replies", () -> telegram.sentMessages().size() == 6);

        List<SentMessage> all = telegram.sentMessages();
        for (int i = 1; i < all.size(); i++) {
            assertThat(Duration.between(all.get(i - 1).sentAt(), all.get(i).sentAt()))
                    .isGreaterThanOrEqualTo(Duration.ofMillis(190));
        }
    }
}
