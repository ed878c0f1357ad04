package dev.wasched.telegram;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wasched.Secret;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The examples of docs/telegram.md: the configuration (its token from the environment the build sets), and the
 * controller answering an allowed chat through the fake Bot API.
 */
class DocSnippetsTelegramTest extends TelegramFixture {

    @Test
    void theConfigurationAllowsOneChatAndSendsItTheChosenNotifications() {
        // docs:docs/telegram.md#remote-control-over-telegram-wasched-telegram:begin
        TelegramControllerConfig config = TelegramControllerConfig.builder()
                .token(Secret.fromEnv("WASCHED_TELEGRAM_TOKEN"))   // from @BotFather
                .allowChat(123456789L)                              // your chat with the bot (your user id)
                .notify(123456789L, Notification.DEAD, Notification.LOGIN_QR, Notification.ACCOUNT_DISCONNECTED)
                .build();
        // docs:docs/telegram.md#remote-control-over-telegram-wasched-telegram:end

        assertThat(config.token()).isEqualTo(Secret.of("123456789:docs-token-for-tests"));
        assertThat(config.allowedChatIds()).containsExactly(123456789L);
        assertThat(config.notifications()).isEqualTo(Map.of(123456789L,
                Set.of(Notification.DEAD, Notification.LOGIN_QR, Notification.ACCOUNT_DISCONNECTED)));
        assertThat(config.baseUrl()).isEqualTo(TelegramControllerConfig.DEFAULT_BASE_URL);
    }

    @Test
    void theStartedControllerAnswersTheAllowedChat() {
        fake(b -> { });
        wasched(b -> { }).start();
        TelegramControllerConfig config = config().build();   // as shown, but on the fake Bot API

        // docs:docs/telegram.md#remote-control-over-telegram-wasched-telegram:begin
        TelegramController telegram = new TelegramController(wasched, config);
        telegram.start();   // checks the token (getMe), then polls; throws WaschedException naming the problem
        // docs:docs/telegram.md#remote-control-over-telegram-wasched-telegram:end

        controller = telegram;   // closed after the test (LifecycleTest proves what close() ends)
        assertThat(ask(ME, "/status").text()).contains("wasched UP", "shop: ");
    }
}
