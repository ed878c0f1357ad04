package dev.wasched.testkit.telegram;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wasched.testkit.telegram.BotApiClient.Multipart;
import dev.wasched.testkit.telegram.BotApiClient.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FakeTelegramBotApiSendingTest {
    /** Shaped like TelegramBots' serialized SendMessage: chat_id as a string, nulls, a "method" field. */
    private static final String SEND_WITH_KEYBOARD = """
            {"chat_id":"77","text":"<b>Status</b>: running","parse_mode":"HTML","disable_notification":null,
             "reply_markup":{"inline_keyboard":[[{"text":"Pause","callback_data":"pause:1"},
                                                {"text":"Docs","url":"https://example.org/docs"}],
                                               [{"text":"Refresh","callback_data":"refresh"}]]},
             "method":"sendmessage"}""";

    private FakeTelegramBotApi fake;
    private BotApiClient client;

    @BeforeEach
    void start() {
        fake = FakeTelegramBotApi.builder().token("555:abc").getUpdatesHold(Duration.ofMillis(200)).start();
        client = new BotApiClient(fake);
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    @Test
    void sendMessageWithInlineKeyboardIsRecordedAndReturnsAMessage() {
        Reply reply = client.postJson("sendMessage", SEND_WITH_KEYBOARD);

        assertThat(reply.ok()).as(reply.body().toString()).isTrue();
        JsonNode message = reply.result();
        assertThat(message.get("message_id").asInt()).isPositive();
        assertThat(message.get("date").asLong()).isPositive();
        assertThat(message.get("chat").get("id").asLong()).isEqualTo(77);
        assertThat(message.get("chat").get("type").asText()).isEqualTo("private");
        assertThat(message.get("from").get("id").asLong()).isEqualTo(555);
        assertThat(message.get("from").get("is_bot").asBoolean()).isTrue();
        assertThat(message.get("text").asText()).isEqualTo("<b>Status</b>: running");
        assertThat(message.get("reply_markup").get("inline_keyboard").get(1).get(0).get("callback_data").asText())
                .isEqualTo("refresh");

        SentMessage sent = fake.awaitSentMessage(77, m -> m.text().contains("running"), Duration.ofSeconds(1));
        assertThat(sent.messageId()).isEqualTo(message.get("message_id").asInt());
        assertThat(sent.parseMode()).isEqualTo("HTML");
        assertThat(sent.inlineKeyboard()).containsExactly(
                List.of(InlineButton.callback("Pause", "pause:1"), new InlineButton("Docs", null, "https://example.org/docs")),
                List.of(InlineButton.callback("Refresh", "refresh")));
        assertThat(sent.button("Refresh")).hasValue(InlineButton.callback("Refresh", "refresh"));
        assertThat(fake.sentMessages(77)).containsExactly(sent);
        assertThat(fake.sentMessages(78)).isEmpty();
        assertThatThrownBy(() -> sent.inlineKeyboard().add(List.of())).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void formEncodedSendMessageWithKeyboardAsJsonText() {
        Reply reply = client.postForm("sendmessage", Map.of(
                "chat_id", "-1001234567890", "text", "héllo & bye",
                "reply_markup", "{\"inline_keyboard\":[[{\"text\":\"OK\",\"callback_data\":\"ok\"}]]}"));

        assertThat(reply.ok()).isTrue();
        assertThat(reply.result().get("chat").get("type").asText()).isEqualTo("supergroup");
        SentMessage sent = fake.sentMessages().get(0);
        assertThat(sent.chatId()).isEqualTo(-1001234567890L);
        assertThat(sent.text()).isEqualTo("héllo & bye");
        assertThat(sent.parseMode()).isNull();
        assertThat(sent.buttons()).containsExactly(InlineButton.callback("OK", "ok"));
    }

    @Test
    void awaitSentMessageFailsWithAListOfWhatWasSent() {
        client.postJson("sendMessage", "{\"chat_id\":\"1\",\"text\":\"something else\"}");

        long t0 = System.nanoTime();
        assertThatThrownBy(() -> fake.awaitSentMessage(1, m -> m.text().equals("expected"), Duration.ofMillis(150)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("chat 1")
                .hasMessageContaining("something else");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(140));
    }

    @Test
    void awaitSentMessageWakesUpWhenTheMessageArrives() throws Exception {
        CompletableFuture<SentMessage> waiting = CompletableFuture.supplyAsync(
                () -> fake.awaitSentMessage(5, m -> m.text().equals("late"), Duration.ofSeconds(5)));
        Thread.sleep(100);
        client.postJson("sendMessage", "{\"chat_id\":5,\"text\":\"late\"}");
        assertThat(waiting.get().text()).isEqualTo("late");
    }

    @Test
    void sendPhotoMultipartAsTelegramBotsSendsIt() {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 1, 2, 3, (byte) 0xff, '-', '-'};
        // TelegramBots 10.x: the file in a part named after the file, and photo=attach://<name>
        Multipart multipart = new Multipart()
                .file("chart.png", "chart.png", png)
                .text("photo", "attach://chart.png")
                .text("chat_id", "88")
                .text("caption", "Daily report ✓")
                .text("parse_mode", "HTML")
                .text("reply_markup", "{\"inline_keyboard\":[[{\"text\":\"More\",\"callback_data\":\"more\"}]]}");

        Reply reply = client.postMultipart("sendPhoto", multipart);

        assertThat(reply.ok()).as(reply.body().toString()).isTrue();
        JsonNode message = reply.result();
        assertThat(message.get("caption").asText()).isEqualTo("Daily report ✓");
        assertThat(message.get("photo")).hasSize(2);
        assertThat(message.get("photo").get(0).get("file_id").asText()).isNotEmpty();
        assertThat(message.get("photo").get(1).get("width").asInt()).isPositive();
        assertThat(message.get("from").get("is_bot").asBoolean()).isTrue();

        SentPhoto photo = fake.awaitPhoto(88, p -> true, Duration.ofSeconds(1));
        assertThat(photo.bytes()).isEqualTo(png);
        assertThat(photo.uploaded()).isTrue();
        assertThat(photo.fileName()).isEqualTo("chart.png");
        assertThat(photo.caption()).isEqualTo("Daily report ✓");
        assertThat(photo.parseMode()).isEqualTo("HTML");
        assertThat(photo.messageId()).isEqualTo(message.get("message_id").asInt());
        assertThat(photo.inlineKeyboard()).containsExactly(List.of(InlineButton.callback("More", "more")));
        assertThat(fake.photos(88)).containsExactly(photo);
    }

    @Test
    void sendPhotoWithADirectFilePartOrAUrl() {
        byte[] bytes = "not really a jpeg".getBytes(StandardCharsets.UTF_8);
        assertThat(client.postMultipart("sendPhoto", new Multipart().text("chat_id", "3").file("photo", "a.jpg", bytes)).ok())
                .isTrue();
        assertThat(client.postJson("sendPhoto", "{\"chat_id\":\"3\",\"photo\":\"https://example.org/x.png\"}").ok())
                .isTrue();

        List<SentPhoto> photos = fake.photos();
        assertThat(photos).hasSize(2);
        assertThat(photos.get(0).bytes()).isEqualTo(bytes);
        assertThat(photos.get(0).caption()).isNull();
        assertThat(photos.get(1).uploaded()).isFalse();
        assertThat(photos.get(1).fileReference()).isEqualTo("https://example.org/x.png");
        assertThat(photos.get(1).bytes()).isEmpty();

        Reply noPhoto = client.postMultipart("sendPhoto", new Multipart().text("chat_id", "3"));
        assertThat(noPhoto.status()).isEqualTo(400);
        assertThat(noPhoto.description()).contains("photo");

        Reply danglingAttach = client.postMultipart("sendPhoto",
                new Multipart().text("chat_id", "3").text("photo", "attach://missing"));
        assertThat(danglingAttach.status()).isEqualTo(400);
        assertThat(danglingAttach.description()).contains("missing");
    }

    @Test
    void answerCallbackQuery() {
        Reply sent = client.postJson("sendMessage", SEND_WITH_KEYBOARD);
        int messageId = sent.result().get("message_id").asInt();
        String queryId = fake.pushCallbackQuery(77, messageId, "pause:1");

        JsonNode update = client.postJson("getUpdates", "{}").result().get(0);
        JsonNode carried = update.get("callback_query").get("message");
        assertThat(carried.get("text").asText()).isEqualTo("<b>Status</b>: running");
        assertThat(carried.get("reply_markup").get("inline_keyboard").get(0).get(0).get("text").asText()).isEqualTo("Pause");

        Reply answer = client.postJson("answerCallbackQuery",
                "{\"callback_query_id\":\"" + queryId + "\",\"text\":\"Paused\",\"show_alert\":false,\"url\":null}");
        assertThat(answer.ok()).isTrue();
        assertThat(answer.result().asBoolean()).isTrue();

        AnsweredCallback answered = fake.awaitAnsweredCallback(queryId, Duration.ofSeconds(1));
        assertThat(answered.text()).isEqualTo("Paused");
        assertThat(answered.showAlert()).isFalse();
        assertThat(fake.answeredCallbacks()).containsExactly(answered);

        Reply again = client.postJson("answerCallbackQuery", "{\"callback_query_id\":\"" + queryId + "\"}");
        assertThat(again.status()).isEqualTo(400);
        assertThat(again.description()).contains("query ID is invalid");
        Reply missing = client.postJson("answerCallbackQuery", "{}");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.description()).contains("callback_query_id");
    }

    @Test
    void editMessageTextRecordsTheEdit() {
        int messageId = client.postJson("sendMessage", SEND_WITH_KEYBOARD).result().get("message_id").asInt();

        Reply edited = client.postJson("editMessageText", """
                {"chat_id":"77","message_id":%d,"text":"Status: paused","parse_mode":null,
                 "reply_markup":{"inline_keyboard":[[{"text":"Resume","callback_data":"resume:1"}]]}}"""
                .formatted(messageId));

        assertThat(edited.ok()).as(edited.body().toString()).isTrue();
        assertThat(edited.result().get("text").asText()).isEqualTo("Status: paused");
        assertThat(edited.result().get("edit_date").asLong()).isPositive();
        EditedMessage edit = fake.awaitEdit(77, e -> e.messageId() == messageId, Duration.ofSeconds(1));
        assertThat(edit.method()).isEqualTo("editMessageText");
        assertThat(edit.text()).isEqualTo("Status: paused");
        assertThat(edit.buttons()).containsExactly(InlineButton.callback("Resume", "resume:1"));
        assertThat(fake.sentMessages(77).get(0).text()).as("the sent record is unchanged").contains("running");

        String queryId = fake.pushCallbackQuery(77, messageId, "resume:1");
        JsonNode carried = client.postJson("getUpdates", "{}").result().get(0).get("callback_query").get("message");
        assertThat(queryId).isNotEmpty();
        assertThat(carried.get("text").asText()).as("callbacks carry the edited message").isEqualTo("Status: paused");
    }

    @Test
    void editErrorsAreLikeTheRealApi() {
        int messageId = client.postJson("sendMessage", "{\"chat_id\":\"4\",\"text\":\"same\"}").result()
                .get("message_id").asInt();

        Reply notModified = client.postJson("editMessageText",
                "{\"chat_id\":\"4\",\"message_id\":" + messageId + ",\"text\":\"same\"}");
        assertThat(notModified.status()).isEqualTo(400);
        assertThat(notModified.description()).startsWith("Bad Request: message is not modified");

        Reply notFound = client.postJson("editMessageText", "{\"chat_id\":\"4\",\"message_id\":999,\"text\":\"x\"}");
        assertThat(notFound.status()).isEqualTo(400);
        assertThat(notFound.description()).isEqualTo("Bad Request: message to edit not found");

        Reply noMessageId = client.postJson("editMessageText", "{\"chat_id\":\"4\",\"text\":\"x\"}");
        assertThat(noMessageId.status()).isEqualTo(400);
        assertThat(noMessageId.description()).contains("message_id");

        int userMessage = fake.pushMessage(4, "from the user");
        Reply foreign = client.postJson("editMessageText",
                "{\"chat_id\":\"4\",\"message_id\":" + userMessage + ",\"text\":\"x\"}");
        assertThat(foreign.status()).isEqualTo(400);
        assertThat(fake.edits()).isEmpty();
    }

    @Test
    void editMessageReplyMarkupReplacesOrRemovesTheKeyboard() {
        int messageId = client.postJson("sendMessage", SEND_WITH_KEYBOARD).result().get("message_id").asInt();

        Reply removed = client.postJson("editMessageReplyMarkup", "{\"chat_id\":\"77\",\"message_id\":" + messageId + "}");

        assertThat(removed.ok()).as(removed.body().toString()).isTrue();
        assertThat(removed.result().has("reply_markup")).isFalse();
        assertThat(removed.result().get("text").asText()).isEqualTo("<b>Status</b>: running");
        EditedMessage edit = fake.edits().get(0);
        assertThat(edit.method()).isEqualTo("editMessageReplyMarkup");
        assertThat(edit.inlineKeyboard()).isEmpty();
        assertThat(edit.text()).isEqualTo("<b>Status</b>: running");

        Reply again = client.postJson("editMessageReplyMarkup", "{\"chat_id\":\"77\",\"message_id\":" + messageId + "}");
        assertThat(again.status()).isEqualTo(400);
        assertThat(again.description()).contains("not modified");
    }

    @Test
    void concurrentSendsAreAllRecordedWithUniqueIds() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<CompletableFuture<Reply>> replies = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                int n = i;
                replies.add(CompletableFuture.supplyAsync(
                        () -> client.postJson("sendMessage", "{\"chat_id\":\"" + (n % 4 + 1) + "\",\"text\":\"m" + n + "\"}"),
                        pool));
            }
            Set<Integer> ids = new HashSet<>();
            for (CompletableFuture<Reply> reply : replies) {
                Reply r = reply.get();
                assertThat(r.ok()).isTrue();
                ids.add(r.result().get("message_id").asInt());
            }
            assertThat(ids).hasSize(40);
            assertThat(fake.sentMessages()).hasSize(40);
            assertThat(fake.sentMessages(1)).hasSize(10);
            assertThat(fake.callCount("sendMessage")).isEqualTo(40);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void resetForgetsRecordings() {
        client.postJson("sendMessage", "{\"chat_id\":\"1\",\"text\":\"a\"}");
        fake.pushMessage(1, "b");
        fake.failNext("sendMessage", 5, 1);
        fake.reset();

        assertThat(fake.sentMessages()).isEmpty();
        assertThat(fake.calls()).isEmpty();
        assertThat(fake.pendingUpdateCount()).isZero();
        assertThat(client.postJson("sendMessage", "{\"chat_id\":\"1\",\"text\":\"c\"}").ok()).isTrue();
    }
}
