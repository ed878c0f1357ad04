package dev.wasched.telegram;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wasched.PageRequest;
import dev.wasched.Secret;
import dev.wasched.Wasched;
import dev.wasched.WaschedBuilder;
import dev.wasched.contact.Contact;
import dev.wasched.contact.ContactSpec;
import dev.wasched.delivery.Delivery;
import dev.wasched.delivery.DeliveryQuery;
import dev.wasched.delivery.DeliveryStatus;
import dev.wasched.memory.InMemoryStore;
import dev.wasched.policy.PacingPolicy;
import dev.wasched.policy.RetryPolicy;
import dev.wasched.session.AccountState;
import dev.wasched.testkit.telegram.FakeTelegramBotApi;
import dev.wasched.testkit.telegram.InlineButton;
import dev.wasched.testkit.telegram.SentMessage;
import dev.wasched.testkit.transport.MessageLog;
import dev.wasched.testkit.transport.RecordingTransport;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;

/**
 * A fake Bot API, a wasched on an in-memory store with a recording transport for account "shop", and a controller
 * talking to the fake over real HTTP. Chats 42 and 43 are allowed, 666 is not.
 */
abstract class TelegramFixture {
    static final long ME = 42;
    static final long OTHER = 43;
    static final long STRANGER = 666;
    static final String ACCOUNT = "shop";
    static final Duration WAIT = Duration.ofSeconds(10);

    FakeTelegramBotApi telegram;
    final MessageLog log = new MessageLog();
    RecordingTransport transport = new RecordingTransport(ACCOUNT, log);
    Wasched wasched;
    TelegramController controller;

    FakeTelegramBotApi fake(Consumer<FakeTelegramBotApi.Builder> customize) {
        FakeTelegramBotApi.Builder b = FakeTelegramBotApi.builder();
        customize.accept(b);
        telegram = b.start();
        return telegram;
    }

    /** Builds (not starts) the wasched; RetryPolicy: one attempt, so a failure is dead at once. */
    Wasched wasched(Consumer<WaschedBuilder> customize) {
        WaschedBuilder b = Wasched.builder().store(new InMemoryStore()).transport(transport).instanceId("test-1")
                .pacing(PacingPolicy.unlimited()).defaultRegion("DE").defaultZone(ZoneId.of("Europe/Berlin"))
                .retry(new RetryPolicy(1, Duration.ZERO, Duration.ZERO, 1.0, 0.0));
        customize.accept(b);
        wasched = b.build();
        return wasched;
    }

    TelegramControllerConfig.Builder config() {
        return TelegramControllerConfig.builder()
                .token(Secret.of(telegram.token()))
                .allowChat(ME, OTHER)
                .baseUrl(telegram.baseUrl())
                .perChatInterval(Duration.ofMillis(20)) // Telegram's 1 s would make every test slow
                .pollTimeout(Duration.ofSeconds(1))
                .shutdownTimeout(Duration.ofSeconds(2));
    }

    /** The usual setup: fake, started wasched (account READY), started controller polling the fake. */
    void startAll(Consumer<TelegramControllerConfig.Builder> customize) {
        if (telegram == null) {
            fake(b -> { });
        }
        if (wasched == null) {
            wasched(b -> { });
        }
        wasched.start();
        awaitTrue("account READY", () -> transport.state() == AccountState.READY);
        startController(customize);
    }

    void startAll() {
        startAll(c -> { });
    }

    TelegramController startController(Consumer<TelegramControllerConfig.Builder> customize) {
        TelegramControllerConfig.Builder c = config();
        customize.accept(c);
        controller = new TelegramController(wasched, c.build());
        controller.start();
        telegram.awaitCallCount("getUpdates", 1, WAIT);
        return controller;
    }

    @AfterEach
    void closeAll() {
        if (controller != null) {
            controller.close();
        }
        if (wasched != null) {
            wasched.close();
        }
        if (telegram != null) {
            telegram.close();
        }
    }

    // ------------------------------------------------------------------ talking to the bot

    /** Pushes a message and waits for the bot's first reply to that chat after it. */
    SentMessage ask(long chat, String text) {
        return ask(chat, text, m -> true);
    }

    SentMessage ask(long chat, String text, Predicate<SentMessage> condition) {
        int pushed = telegram.pushMessage(chat, text);
        return telegram.awaitSentMessage(chat, m -> m.messageId() > pushed && condition.test(m), WAIT);
    }

    /** Presses a button of a message the bot sent and returns the answer's text. */
    String press(long chat, SentMessage message, String label) {
        InlineButton button = message.button(label).orElseThrow(() -> new AssertionError(
                "no button '" + label + "' on: " + message));
        return press(chat, message.messageId(), button.callbackData());
    }

    String press(long chat, int messageId, String data) {
        String id = telegram.pushCallbackQuery(chat, messageId, data);
        return telegram.awaitAnsweredCallback(id, WAIT).text();
    }

    // ------------------------------------------------------------------ wasched helpers

    Contact contact(String name, String phone, String... tags) {
        return wasched.contacts().create(ContactSpec.builder().name(name).phone(phone).tag(tags).build());
    }

    List<Delivery> deliveries(DeliveryStatus status) {
        return wasched.deliveries().history(DeliveryQuery.status(status), PageRequest.first(1000)).items();
    }

    static void awaitTrue(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("waiting for " + what).isNegative();
            try {
                Thread.sleep(10); // polling a condition with no notification to wait on
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
