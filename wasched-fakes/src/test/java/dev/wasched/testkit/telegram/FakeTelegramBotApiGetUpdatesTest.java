package dev.wasched.testkit.telegram;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wasched.testkit.telegram.BotApiClient.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FakeTelegramBotApiGetUpdatesTest {
    /** What TelegramBots' DefaultGetUpdatesGenerator sends: limit 100, timeout 50, offset last+1. */
    private static final String LONG_POLL = "{\"offset\":%d,\"limit\":100,\"timeout\":50,\"allowed_updates\":[]}";

    private FakeTelegramBotApi fake;

    @AfterEach
    void stop() {
        if (fake != null) {
            fake.close();
        }
    }

    private BotApiClient start(Duration hold) {
        fake = FakeTelegramBotApi.builder().token("1:t").getUpdatesHold(hold).start();
        return new BotApiClient(fake);
    }

    @Test
    void requestWithoutPendingUpdateIsHeldForTheHoldTime() {
        BotApiClient client = start(Duration.ofMillis(400));

        long t0 = System.nanoTime();
        Reply reply = client.postJson("getUpdates", LONG_POLL.formatted(1));
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);

        assertThat(reply.ok()).isTrue();
        assertThat(reply.result()).isEmpty();
        assertThat(elapsedMs).as("answered when the hold ends, long before any client timeout").isBetween(380L, 8000L);
    }

    @Test
    void requestTimeoutShortensTheHoldAndZeroIsAShortPoll() {
        BotApiClient client = start(Duration.ofSeconds(20));

        // Bounds far from the 20 s hold, so that a loaded machine cannot blur them.
        long t0 = System.nanoTime();
        Reply shortPoll = client.postJson("getUpdates", "{\"timeout\":0}");
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(8000);
        assertThat(shortPoll.result()).isEmpty();

        t0 = System.nanoTime();
        client.postJson("getUpdates", "{\"timeout\":1}");
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isBetween(950L, 10_000L);
    }

    @Test
    void pushedUpdateReleasesAHeldRequestPromptly() throws Exception {
        BotApiClient client = start(Duration.ofSeconds(30));
        CompletableFuture<Reply> held = client.postJsonAsync("getUpdates", LONG_POLL.formatted(0));
        fake.awaitHeldPoll(Duration.ofSeconds(5));
        Thread.sleep(100);
        assertThat(held).isNotDone();

        long t0 = System.nanoTime();
        int messageId = fake.pushMessage(77, "/status now");
        Reply reply = held.get(20, TimeUnit.SECONDS);
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);

        assertThat(elapsedMs).as("far below the 30 s hold").isLessThan(10_000);
        assertThat(reply.ok()).isTrue();
        JsonNode update = reply.result().get(0);
        assertThat(update.get("update_id").asInt()).isEqualTo(1);
        JsonNode message = update.get("message");
        assertThat(message.get("message_id").asInt()).isEqualTo(messageId);
        assertThat(message.get("text").asText()).isEqualTo("/status now");
        assertThat(message.get("chat").get("id").asLong()).isEqualTo(77);
        assertThat(message.get("chat").get("type").asText()).isEqualTo("private");
        assertThat(message.get("from").get("id").asLong()).isEqualTo(77);
        assertThat(message.get("from").get("is_bot").asBoolean()).isFalse();
        assertThat(message.get("date").asLong()).isPositive();
        JsonNode entity = message.get("entities").get(0);
        assertThat(entity.get("type").asText()).isEqualTo("bot_command");
        assertThat(entity.get("offset").asInt()).isZero();
        assertThat(entity.get("length").asInt()).isEqualTo("/status".length());
    }

    @Test
    void plainTextHasNoCommandEntityAndGroupsHaveGroupChats() {
        BotApiClient client = start(Duration.ofMillis(200));
        fake.pushMessage(-500, 12, "hello");

        JsonNode message = client.postJson("getUpdates", "{}").result().get(0).get("message");

        assertThat(message.has("entities")).isFalse();
        assertThat(message.get("chat").get("type").asText()).isEqualTo("group");
        assertThat(message.get("from").get("id").asLong()).isEqualTo(12);
    }

    @Test
    void offsetConfirmsEarlierUpdates() {
        BotApiClient client = start(Duration.ofMillis(200));
        fake.pushMessage(1, "first");
        fake.pushMessage(1, "second");
        fake.pushMessage(1, "third");

        assertThat(updateIds(client.postJson("getUpdates", "{\"offset\":0}"))).containsExactly(1, 2, 3);
        assertThat(updateIds(client.postJson("getUpdates", "{}"))).as("unconfirmed updates come again")
                .containsExactly(1, 2, 3);
        assertThat(updateIds(client.postJson("getUpdates", "{\"offset\":2,\"limit\":1}"))).containsExactly(2);
        assertThat(fake.pendingUpdateCount()).isEqualTo(2);
        assertThat(updateIds(client.postJson("getUpdates", "{\"offset\":3}"))).containsExactly(3);

        Reply drained = client.postJson("getUpdates", "{\"offset\":4}");
        assertThat(drained.result()).isEmpty();
        assertThat(fake.pendingUpdateCount()).isZero();

        fake.pushMessage(1, "fourth");
        assertThat(updateIds(client.postJson("getUpdates", "{\"offset\":4}"))).containsExactly(4);
    }

    @Test
    void negativeOffsetKeepsOnlyTheLastUpdates() {
        BotApiClient client = start(Duration.ofMillis(200));
        for (int i = 0; i < 5; i++) {
            fake.pushMessage(1, "m" + i);
        }
        assertThat(updateIds(client.postJson("getUpdates", "{\"offset\":-2}"))).containsExactly(4, 5);
        assertThat(fake.pendingUpdateCount()).isEqualTo(2);
    }

    @Test
    void callbackQueryAndRawUpdatesAreDelivered() {
        BotApiClient client = start(Duration.ofMillis(200));
        String queryId = fake.pushCallbackQuery(31, 99, "pause:7");
        int rawId = fake.pushUpdate("{\"update_id\":555,\"my_chat_member\":{\"chat\":{\"id\":31,\"type\":\"private\"}}}");

        List<JsonNode> updates = list(client.postJson("getUpdates", "{}"));

        assertThat(updates).hasSize(2);
        JsonNode query = updates.get(0).get("callback_query");
        assertThat(query.get("id").asText()).isEqualTo(queryId);
        assertThat(query.get("data").asText()).isEqualTo("pause:7");
        assertThat(query.get("from").get("id").asLong()).isEqualTo(31);
        assertThat(query.get("message").get("message_id").asInt()).isEqualTo(99);
        assertThat(query.get("message").get("date").asLong()).as("a non-zero date marks an accessible message")
                .isPositive();
        assertThat(query.get("chat_instance").asText()).isNotEmpty();
        assertThat(updates.get(1).get("update_id").asInt()).isEqualTo(rawId).isEqualTo(2);
        assertThat(updates.get(1).get("my_chat_member").get("chat").get("id").asLong()).isEqualTo(31);

        assertThatThrownBy(() -> fake.pushUpdate("[1]")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void secondPollEndsTheHeldOneWithConflict() throws Exception {
        BotApiClient client = start(Duration.ofSeconds(10));
        CompletableFuture<Reply> first = client.postJsonAsync("getUpdates", LONG_POLL.formatted(0));
        fake.awaitHeldPoll(Duration.ofSeconds(5));
        CompletableFuture<Reply> second = client.postJsonAsync("getUpdates", LONG_POLL.formatted(0));

        Reply conflict = first.get(5, TimeUnit.SECONDS);
        assertThat(conflict.status()).isEqualTo(409);
        assertThat(conflict.description()).startsWith("Conflict: terminated by other getUpdates request");

        fake.pushMessage(3, "x");
        assertThat(second.get(5, TimeUnit.SECONDS).result()).hasSize(1);
    }

    @Test
    void callTimesShowThePollingRhythm() {
        BotApiClient client = start(Duration.ofMillis(150));
        for (int i = 0; i < 3; i++) {
            client.postJson("getUpdates", LONG_POLL.formatted(1));
        }
        List<java.time.Instant> times = fake.callTimes("GETUPDATES");
        assertThat(times).hasSize(3);
        for (int i = 1; i < times.size(); i++) {
            assertThat(Duration.between(times.get(i - 1), times.get(i))).isGreaterThanOrEqualTo(Duration.ofMillis(140));
        }
    }

    @Test
    void closeReleasesAHeldRequestAndEndsItsThreads() throws Exception {
        long dispatchersBefore = countThreads("HTTP-Dispatcher");
        BotApiClient client = start(Duration.ofSeconds(30));
        int port = fake.port();
        CompletableFuture<Reply> held = client.postJsonAsync("getUpdates", LONG_POLL.formatted(0));
        fake.awaitHeldPoll(Duration.ofSeconds(5));

        long t0 = System.nanoTime();
        fake.close();
        Reply reply = held.get(20, TimeUnit.SECONDS);

        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).as("far below the 30 s hold").isLessThan(10_000);
        assertThat(reply.ok()).isTrue();
        assertThat(reply.result()).isEmpty();
        assertThat(fake.isClosed()).isTrue();
        assertThat(liveThreads(FakeTelegramBotApi.threadNamePrefix(port))).isEmpty();
        assertThat(countThreads("HTTP-Dispatcher")).as("the JDK server's dispatcher thread ended")
                .isLessThanOrEqualTo(dispatchersBefore);
        assertThatThrownBy(() -> fake.pushMessage(1, "late")).isInstanceOf(IllegalStateException.class);
        assertThat(fake.callCount("getUpdates")).as("records stay readable").isEqualTo(1);
        fake.close(); // idempotent
    }

    private static List<String> liveThreads(String prefix) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        List<String> names;
        do {
            names = Thread.getAllStackTraces().keySet().stream()
                    .filter(Thread::isAlive).map(Thread::getName).filter(n -> n.startsWith(prefix)).toList();
            if (names.isEmpty()) {
                return names;
            }
            Thread.sleep(20);
        } while (System.nanoTime() < deadline);
        return names;
    }

    private static long countThreads(String name) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().equals(name)).count();
    }

    private static List<JsonNode> list(Reply reply) {
        assertThat(reply.ok()).as(reply.body().toString()).isTrue();
        java.util.ArrayList<JsonNode> out = new java.util.ArrayList<>();
        reply.result().forEach(out::add);
        return out;
    }

    private static List<Integer> updateIds(Reply reply) {
        return list(reply).stream().map(u -> u.get("update_id").asInt()).toList();
    }
}
