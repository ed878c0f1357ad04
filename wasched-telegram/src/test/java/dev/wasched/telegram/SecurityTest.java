package dev.wasched.telegram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.wasched.Secret;
import dev.wasched.ValidationException;
import dev.wasched.WaschedException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

@Isolated // captures System.err, which the other classes write to
class SecurityTest extends TelegramFixture {
    private static final String TOKEN = "987654321:AAE-super-SECRET-token_0123456789";
    private static final String SECRET_PART = "AAE-super-SECRET-token_0123456789";

    @Test
    void chatsNotOnTheAllowListAreIgnoredAndLoggedWithoutTheirContent() {
        startAll();
        try (LogCapture logs = new LogCapture()) {
            telegram.pushMessage(STRANGER, "/send +4915112345678 top-secret-content");
            telegram.pushMessage(STRANGER, "/pause more-secret-content");
            String callback = telegram.pushCallbackQuery(STRANGER, 1, "d:r:0190aaaa-bbbb");

            assertThat(ask(ME, "/help").text()).contains("/status"); // updates are handled in order

            assertThat(telegram.sentMessages(STRANGER)).isEmpty();
            assertThat(telegram.answeredCallbacks()).noneMatch(a -> a.callbackQueryId().equals(callback));
            assertThat(wasched.isSendingPaused()).isFalse();
            assertThat(wasched.contacts().count()).isZero();
            assertThat(logs.text())
                    .contains("Ignored a message from chat 666: not an allowed chat")
                    .doesNotContain("top-secret-content", "more-secret-content", "0190aaaa");
        }
    }

    @Test
    void theTokenNeverAppearsInLogsExceptionsOrToString() throws Exception {
        try (LogCapture logs = new LogCapture()) {
            fake(b -> b.token(TOKEN));
            startAll();
            telegram.failNext("sendMessage", 1, 1);
            ask(ME, "/status");
            telegram.failNext("getUpdates", 1, 1); // TelegramBots logs a failed poll at ERROR with the exception
            ask(ME, "/schedules");
            transport.failNext(1);
            ask(ME, "/send +4915112345678 Hello");
            telegram.awaitSentMessage(ME, m -> m.text().startsWith("❌ Gave up"), WAIT);
            telegram.pushMessage(STRANGER, "/status");
            ask(ME, "/help");

            TelegramControllerConfig config = config().build();
            assertThat(config.toString()).doesNotContain(TOKEN, SECRET_PART).contains("Secret[***]");
            assertThat(controller.toString()).doesNotContain(TOKEN, SECRET_PART);

            // a token the API rejects
            String wrong = "987654321:AAE-wrong-token-abcdefghijkl";
            TelegramController rejected = new TelegramController(wasched, config().token(Secret.of(wrong)).build());
            Throwable e = catchThrowable(rejected::start);
            assertThat(e).isInstanceOf(WaschedException.class)
                    .hasMessage("the Telegram Bot API at http://127.0.0.1:" + telegram.port()
                            + " rejected the bot token (HTTP 401); check the token from BotFather");
            assertThat(everything(e)).doesNotContain(wrong, "AAE-wrong-token");
            assertThat(rejected.isRunning()).isFalse();

            // an API that cannot be reached
            int closedPort;
            try (ServerSocket s = new ServerSocket(0)) {
                closedPort = s.getLocalPort();
            }
            TelegramController unreachable = new TelegramController(wasched,
                    config().baseUrl(URI.create("http://127.0.0.1:" + closedPort)).build());
            Throwable e2 = catchThrowable(unreachable::start);
            assertThat(e2).isInstanceOf(WaschedException.class)
                    .hasMessageStartingWith("cannot start the Telegram controller against http://127.0.0.1:" + closedPort)
                    .hasMessageContaining("ConnectException");
            assertThat(everything(e2)).doesNotContain(TOKEN, SECRET_PART);

            // the API goes away while the bot polls: TelegramBots logs the failures
            telegram.close();
            // The poll under way when the server closes may end with an error answer first; the retries that follow
            // find the port closed.
            String refused = "Failed to connect to /127.0.0.1:" + telegram.port();
            awaitTrue("a refused poll logged", () -> logs.text().contains(refused));
            controller.close();

            String text = logs.text();
            assertThat(text).contains("Getting updates", "Result when calling deleteWebhook", "rate limit (429)",
                    "Failed to connect to /127.0.0.1:" + telegram.port());
            assertThat(text).doesNotContain(TOKEN).doesNotContain(SECRET_PART);
        }
    }

    @Test
    void configurationIsValidatedWithoutEchoingTheToken() {
        fake(b -> { });
        assertThatThrownBy(() -> config().token(Secret.of("12345:has a space")).build())
                .isInstanceOf(ValidationException.class).hasMessageNotContaining("has a space");
        assertThatThrownBy(() -> TelegramControllerConfig.builder().token(Secret.of(TOKEN)).build())
                .hasMessageContaining("allowedChatIds");
        assertThatThrownBy(() -> config().baseUrl("http://127.0.0.1:1/bot/path").build())
                .hasMessageContaining("no path");
        assertThatThrownBy(() -> config().baseUrl("ftp://example.org").build())
                .hasMessageContaining("http or https");
        assertThatThrownBy(() -> config().notify(STRANGER, Notification.DEAD).build())
                .hasMessageContaining("chat 666 is not an allowed chat");
        assertThat(config().build().notifications()).containsOnlyKeys(ME, OTHER)
                .allSatisfy((chat, kinds) -> assertThat(kinds).isEqualTo(Notification.DEFAULTS));
        assertThat(config().noNotifications().build().notifications()).isEmpty();
    }

    private static String everything(Throwable t) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        return w + " " + t;
    }
}
