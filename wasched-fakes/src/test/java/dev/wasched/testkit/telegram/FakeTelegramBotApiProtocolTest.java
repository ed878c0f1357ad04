package dev.wasched.testkit.telegram;

import dev.wasched.testkit.telegram.BotApiClient.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FakeTelegramBotApiProtocolTest {
    private static final String TOKEN = "4242:secret-token";

    private FakeTelegramBotApi fake;
    private BotApiClient client;

    @BeforeEach
    void start() {
        fake = FakeTelegramBotApi.builder().token(TOKEN).botUsername("my_bot").start();
        client = new BotApiClient(fake);
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    @Test
    void listensOnLoopbackWithTheGivenToken() {
        assertThat(fake.host()).isEqualTo("127.0.0.1");
        assertThat(fake.port()).isPositive();
        assertThat(fake.baseUrl()).isEqualTo(URI.create("http://127.0.0.1:" + fake.port()));
        assertThat(fake.methodUrl("getMe").toString()).endsWith("/bot4242:secret-token/getMe");
        assertThat(fake.botId()).isEqualTo(4242L);
    }

    @ParameterizedTest
    @ValueSource(strings = {"getMe", "getme", "GETME", "GetMe"})
    void methodNamesAreCaseInsensitive(String method) {
        Reply reply = client.postJson(method, "{}");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.ok()).isTrue();
        assertThat(reply.result().get("id").asLong()).isEqualTo(4242L);
        assertThat(reply.result().get("is_bot").asBoolean()).isTrue();
        assertThat(reply.result().get("username").asText()).isEqualTo("my_bot");
        assertThat(fake.callCount("getMe")).isEqualTo(1);
        assertThat(fake.calls()).singleElement().satisfies(c -> {
            assertThat(c.method()).isEqualTo("getMe");
            assertThat(c.status()).isEqualTo(200);
        });
    }

    @Test
    void acceptsAnEmptyBodyAndGetWithQueryParameters() {
        Reply empty = client.postRaw(client.url("getMe"), "application/json", new byte[0]);
        assertThat(empty.ok()).isTrue();

        fake.pushMessage(7, "hi");
        Reply viaGet = client.get("getUpdates", Map.of("offset", "0", "timeout", "0"));
        assertThat(viaGet.ok()).isTrue();
        assertThat(viaGet.result()).hasSize(1);
    }

    @Test
    void testEnvironmentPathIsAccepted() {
        URI uri = URI.create(fake.baseUrl() + "/bot" + TOKEN + "/test/getMe");
        assertThat(client.postRaw(uri, "application/json", "{}".getBytes(StandardCharsets.UTF_8)).ok()).isTrue();
    }

    @Test
    void wrongTokenIsUnauthorized() {
        Reply reply = new BotApiClient(fake, "4242:wrong").postJson("getMe", "{}");

        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.body().toString())
                .isEqualTo("{\"ok\":false,\"error_code\":401,\"description\":\"Unauthorized\"}");
    }

    @Test
    void unknownMethodAndUnknownPathAreNotFound() {
        Reply unknown = client.postJson("sendTelepathy", "{}");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.ok()).isFalse();
        assertThat(unknown.body().get("error_code").asInt()).isEqualTo(404);
        assertThat(unknown.description()).isEqualTo("Not Found");
        assertThat(fake.callCount("sendTelepathy")).isEqualTo(1);

        Reply badPath = client.postRaw(URI.create(fake.baseUrl() + "/nothing/here"), "application/json", new byte[0]);
        assertThat(badPath.status()).isEqualTo(404);
        assertThat(badPath.ok()).isFalse();
    }

    @Test
    void missingParameterIsA400NamingIt() {
        Reply reply = client.postJson("sendMessage", "{\"text\":\"hello\"}");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.body().get("error_code").asInt()).isEqualTo(400);
        assertThat(reply.description()).startsWith("Bad Request:").contains("chat_id");

        Reply noText = client.postJson("sendMessage", "{\"chat_id\":\"5\",\"text\":null}");
        assertThat(noText.status()).isEqualTo(400);
        assertThat(noText.description()).contains("text");
    }

    @Test
    void malformedBodiesAre400() {
        Reply badJson = client.postJson("sendMessage", "{not json");
        assertThat(badJson.status()).isEqualTo(400);
        assertThat(badJson.description()).contains("JSON");

        Reply badChat = client.postJson("sendMessage", "{\"chat_id\":\"@somebody\",\"text\":\"x\"}");
        assertThat(badChat.status()).isEqualTo(400);
        assertThat(badChat.description()).contains("chat not found");

        Reply badMarkup = client.postForm("sendMessage", Map.of("chat_id", "5", "text", "x", "reply_markup", "{oops"));
        assertThat(badMarkup.status()).isEqualTo(400);
        assertThat(badMarkup.description()).contains("reply_markup");
    }

    @Test
    void webhookAndCommandsAreAccepted() {
        Reply deleted = client.postJson("deleteWebhook", "{\"drop_pending_updates\":null}");
        assertThat(deleted.ok()).isTrue();
        assertThat(deleted.result().asBoolean()).isTrue();

        Reply set = client.postJson("setMyCommands",
                "{\"commands\":[{\"command\":\"status\",\"description\":\"Show status\"},"
                        + "{\"command\":\"pause\",\"description\":\"Pause\"}],\"scope\":null,\"language_code\":null}");
        assertThat(set.ok()).isTrue();
        assertThat(set.result().asBoolean()).isTrue();
        assertThat(fake.commands()).containsExactly(Map.entry("status", "Show status"), Map.entry("pause", "Pause"));

        assertThat(client.postJson("deleteMyCommands", "{}").result().asBoolean()).isTrue();
        assertThat(fake.commands()).isEmpty();
    }

    @Test
    void deleteWebhookCanDropPendingUpdates() {
        fake.pushMessage(1, "a");
        client.postForm("deleteWebhook", Map.of("drop_pending_updates", "true"));
        assertThat(fake.pendingUpdateCount()).isZero();
    }

    @Test
    void tooManyRequestsWithRetryAfter() {
        fake.failNext("SENDMESSAGE", 2, 3);
        String body = "{\"chat_id\":\"9\",\"text\":\"hi\"}";

        for (int i = 0; i < 2; i++) {
            Reply limited = client.postJson("sendMessage", body);
            assertThat(limited.status()).isEqualTo(429);
            assertThat(limited.body().toString()).isEqualTo("{\"ok\":false,\"error_code\":429,"
                    + "\"description\":\"Too Many Requests: retry after 3\",\"parameters\":{\"retry_after\":3}}");
        }
        Reply ok = client.postJson("sendMessage", body);

        assertThat(ok.status()).isEqualTo(200);
        assertThat(fake.sentMessages()).hasSize(1);
        assertThat(fake.callTimes("sendMessage")).hasSize(3).isSorted();
        assertThat(fake.calls()).extracting(RecordedCall::status).containsExactly(429, 429, 200);
        assertThat(fake.callCounts()).containsEntry("sendMessage", 3);
    }

    @Test
    void failNextAppliesToGetUpdatesToo() {
        fake.failNext("getUpdates", 1, 1);
        assertThat(client.postJson("getUpdates", "{\"timeout\":0}").status()).isEqualTo(429);
        assertThat(client.postJson("getUpdates", "{\"timeout\":0}").status()).isEqualTo(200);
    }

    @Test
    void builderRejectsBadTokens() {
        assertThatThrownBy(() -> FakeTelegramBotApi.builder().token("a/b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FakeTelegramBotApi.builder().token(" ")).isInstanceOf(IllegalArgumentException.class);
    }
}
