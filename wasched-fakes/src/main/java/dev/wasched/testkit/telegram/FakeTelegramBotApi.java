package dev.wasched.testkit.telegram;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.wasched.testkit.telegram.internal.BotApiError;
import dev.wasched.testkit.telegram.internal.BotObjects;
import dev.wasched.testkit.telegram.internal.BotObjects.Markup;
import dev.wasched.testkit.telegram.internal.FilePart;
import dev.wasched.testkit.telegram.internal.RequestParams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A real HTTP fake of the Telegram Bot API for tests, serving one bot token on
 * {@code 127.0.0.1} and an ephemeral port.
 *
 * <p>Point the bot under test at {@link #baseUrl()} (with TelegramBots 10.x: a {@code TelegramUrl}
 * with schema {@code http}, host {@link #host()} and port {@link #port()}); requests then arrive as
 * {@code POST /bot<TOKEN>/<method>} (a {@code /bot<TOKEN>/test/<method>} path, used for Telegram's
 * test environment, is accepted too). Bodies may be {@code application/json},
 * {@code application/x-www-form-urlencoded} or {@code multipart/form-data}; GET with query
 * parameters works as well. Method names are matched case-insensitively. Answers use the Bot API
 * envelope: {@code {"ok":true,"result":...}} or {@code {"ok":false,"error_code":N,"description":...}}.
 *
 * <p>Served methods: {@code getMe}, {@code deleteWebhook}, {@code getWebhookInfo},
 * {@code setMyCommands}, {@code deleteMyCommands}, {@code getUpdates}, {@code sendMessage},
 * {@code sendPhoto}, {@code answerCallbackQuery}, {@code editMessageText},
 * {@code editMessageReplyMarkup}. Anything else answers 404, a wrong token 401, a missing or
 * malformed parameter 400 with a description that names it.
 *
 * <p>{@code getUpdates} behaves like the real long poll: with no pending update the request is
 * <em>held</em> until an update is pushed or the hold time passes (the request's {@code timeout},
 * capped by {@link Builder#getUpdatesHold(Duration)}, default 1 s; a request without
 * {@code timeout} is held for the full hold time; an explicit {@code timeout=0} is a short poll and
 * answers at once, as the real API does). An {@code offset} confirms, and so forgets, every update
 * with a smaller id; a negative offset keeps only the last {@code -offset} updates. A second
 * {@code getUpdates} while one is held ends the held one with 409 Conflict, as the real API does
 * when two instances poll with one token. {@code allowed_updates} is accepted and ignored.
 *
 * <p>Tests drive it with {@link #pushMessage}, {@link #pushCallbackQuery} and {@link #pushUpdate},
 * read what the bot did with {@link #sentMessages()}, {@link #photos()},
 * {@link #answeredCallbacks()}, {@link #edits()} and the {@code await...} helpers, inspect traffic
 * with {@link #callCount}, {@link #callTimes} and {@link #calls()}, and inject rate limiting with
 * {@link #failNext}. All methods are thread-safe. {@link #close()} answers held requests, stops the
 * server and ends every thread the fake started.
 *
 * <pre>{@code
 * try (FakeTelegramBotApi telegram = FakeTelegramBotApi.builder().token("123:abc").start()) {
 *     // start the bot with base URL telegram.baseUrl() and token telegram.token()
 *     telegram.pushMessage(42, "/status");
 *     SentMessage reply = telegram.awaitSentMessage(42, m -> m.text().contains("running"), Duration.ofSeconds(5));
 * }
 * }</pre>
 */
public final class FakeTelegramBotApi implements AutoCloseable {
    /** The token used when the builder is given none. */
    public static final String DEFAULT_TOKEN = "123456789:FAKE-telegram-bot-token";
    /** The default longest hold of a {@code getUpdates} request that finds no update. */
    public static final Duration DEFAULT_GET_UPDATES_HOLD = Duration.ofSeconds(1);

    private static final Logger LOG = LoggerFactory.getLogger(FakeTelegramBotApi.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int MAX_TEXT_LENGTH = 4096;
    private static final int MAX_CAPTION_LENGTH = 1024;
    private static final int MAX_UPDATES_LIMIT = 100;
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(2);
    private static final String USER_FIRST_NAME = "Tester";

    private final String token;
    private final long botId;
    private final String botUsername;
    private final String botFirstName;
    private final Duration getUpdatesHold;
    private final BotObjects objects = new BotObjects(MAPPER);
    private final Map<String, MethodHandler> handlers = new HashMap<>();
    private final HttpServer server;
    private final ExecutorService executor;

    private final Object lock = new Object();
    // Everything below is guarded by lock.
    private final Deque<ObjectNode> pendingUpdates = new ArrayDeque<>();
    private final Map<MessageKey, StoredMessage> messages = new HashMap<>();
    private final Set<String> openCallbackQueries = new HashSet<>();
    private final List<SentMessage> sentMessages = new ArrayList<>();
    private final List<SentPhoto> photos = new ArrayList<>();
    private final List<AnsweredCallback> answeredCallbacks = new ArrayList<>();
    private final List<EditedMessage> edits = new ArrayList<>();
    private final Map<String, String> commands = new LinkedHashMap<>();
    private final List<CallEntry> calls = new ArrayList<>();
    private final Map<String, Fault> faults = new HashMap<>();
    private int nextUpdateId = 1;
    private int nextMessageId = 1;
    private long nextCallbackQueryId = 1;
    private long nextFileId = 1;
    private long pollGeneration;
    private int activeExchanges;
    private boolean closed;

    private FakeTelegramBotApi(Builder builder) {
        this.token = builder.token;
        this.botId = builder.botId != null ? builder.botId : defaultBotId(builder.token);
        this.botUsername = builder.botUsername;
        this.botFirstName = builder.botFirstName;
        this.getUpdatesHold = builder.getUpdatesHold;
        registerHandlers();
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot bind the fake Telegram Bot API on 127.0.0.1", e);
        }
        int port = server.getAddress().getPort();
        AtomicInteger threadCount = new AtomicInteger();
        executor = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 10, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, threadNamePrefix(port) + threadCount.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        LOG.debug("Fake Telegram Bot API listening on {}", baseUrl());
    }

    /** A builder; {@link Builder#start()} binds and starts the server. */
    public static Builder builder() {
        return new Builder();
    }

    /** Starts a fake for the given token with default settings. */
    public static FakeTelegramBotApi start(String token) {
        return builder().token(token).start();
    }

    /** The name prefix of the threads a fake on this port starts (for leak checks in tests). */
    public static String threadNamePrefix(int port) {
        return "fake-telegram-bot-api-" + port + "-";
    }

    // ------------------------------------------------------------------ addressing

    /** The bot token this fake accepts. */
    public String token() {
        return token;
    }

    /** The bot's user id, as returned by {@code getMe} and used as {@code from} of its messages. */
    public long botId() {
        return botId;
    }

    /** The bot's username, as returned by {@code getMe}. */
    public String botUsername() {
        return botUsername;
    }

    /** Always {@code 127.0.0.1}. */
    public String host() {
        return "127.0.0.1";
    }

    /** The ephemeral port the server listens on. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code http://127.0.0.1:<port>}; method URLs are {@code baseUrl + "/bot" + token + "/" + method}. */
    public URI baseUrl() {
        return URI.create("http://" + host() + ":" + port());
    }

    /** The URL of one method for this fake's token. */
    public URI methodUrl(String method) {
        return URI.create(baseUrl() + "/bot" + token + "/" + method);
    }

    // ------------------------------------------------------------------ pushing updates

    /**
     * Queues a text message from a user in a chat; in a private chat (positive id) the user is
     * the chat's user, otherwise user id 1000. A text starting with '/' carries a
     * {@code bot_command} entity, as the real API adds.
     *
     * @return the new message's message_id
     */
    public int pushMessage(long chatId, String text) {
        return pushMessage(chatId, chatId > 0 ? chatId : 1000L, text);
    }

    /**
     * Queues a text message from the given user in a chat.
     *
     * @return the new message's message_id
     */
    public int pushMessage(long chatId, long userId, String text) {
        Objects.requireNonNull(text, "text");
        synchronized (lock) {
            ensureOpen();
            int messageId = nextMessageId++;
            ObjectNode message = objects.message(messageId, userNode(userId), objects.chat(chatId, USER_FIRST_NAME),
                    Instant.now().getEpochSecond());
            message.put("text", text);
            objects.addCommandEntity(message, text);
            messages.put(new MessageKey(chatId, messageId), new StoredMessage(message, true, text, Markup.NONE));
            ObjectNode update = objects.object();
            update.set("message", message);
            enqueue(update);
            return messageId;
        }
    }

    /**
     * Queues a text message from the chat's user that replies to (quotes) message {@code replyToMessageId} of that
     * chat: the update carries the replied message as {@code reply_to_message}, as the real API does (the message as
     * the bot sent or last edited it, or a minimal one when the fake does not know it).
     *
     * @return the new message's message_id
     */
    public int pushReply(long chatId, int replyToMessageId, String text) {
        Objects.requireNonNull(text, "text");
        synchronized (lock) {
            ensureOpen();
            StoredMessage replied = messages.get(new MessageKey(chatId, replyToMessageId));
            ObjectNode repliedJson = replied != null ? replied.json.deepCopy()
                    : objects.message(replyToMessageId, botUserNode(), objects.chat(chatId, USER_FIRST_NAME),
                            Instant.now().getEpochSecond());
            int messageId = nextMessageId++;
            ObjectNode message = objects.message(messageId, userNode(chatId > 0 ? chatId : 1000L),
                    objects.chat(chatId, USER_FIRST_NAME), Instant.now().getEpochSecond());
            message.put("text", text);
            objects.addCommandEntity(message, text);
            message.set("reply_to_message", repliedJson);
            messages.put(new MessageKey(chatId, messageId), new StoredMessage(message, true, text, Markup.NONE));
            ObjectNode update = objects.object();
            update.set("message", message);
            enqueue(update);
            return messageId;
        }
    }

    /**
     * Queues a callback query, as if the chat's user pressed an inline button with {@code data}
     * on message {@code messageId}. The update carries that message as last sent or edited by the
     * bot (or a minimal message when the fake does not know it).
     *
     * @return the callback query id, to be answered with {@code answerCallbackQuery}
     */
    public String pushCallbackQuery(long chatId, int messageId, String data) {
        return pushCallbackQuery(chatId, chatId > 0 ? chatId : 1000L, messageId, data);
    }

    /**
     * Queues a callback query from the given user.
     *
     * @return the callback query id
     */
    public String pushCallbackQuery(long chatId, long userId, int messageId, String data) {
        Objects.requireNonNull(data, "data");
        synchronized (lock) {
            ensureOpen();
            String id = "fakecbq" + (nextCallbackQueryId++);
            StoredMessage stored = messages.get(new MessageKey(chatId, messageId));
            ObjectNode message = stored != null
                    ? stored.json.deepCopy()
                    : objects.message(messageId, botUserNode(), objects.chat(chatId, USER_FIRST_NAME),
                            Instant.now().getEpochSecond());
            ObjectNode query = objects.object();
            query.put("id", id);
            query.set("from", userNode(userId));
            query.set("message", message);
            query.put("chat_instance", "fake-" + chatId);
            query.put("data", data);
            ObjectNode update = objects.object();
            update.set("callback_query", query);
            openCallbackQueries.add(id);
            enqueue(update);
            return id;
        }
    }

    /**
     * Queues any update given as raw JSON (an Update object). The fake assigns {@code update_id},
     * replacing one given; a {@code callback_query.id} in it may then be answered.
     *
     * @return the assigned update_id
     * @throws IllegalArgumentException when the text is not a JSON object
     */
    public int pushUpdate(String rawUpdateJson) {
        JsonNode node;
        try {
            node = MAPPER.readTree(rawUpdateJson);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("An update must be a JSON object: " + rawUpdateJson);
        }
        ObjectNode update = ((ObjectNode) node).deepCopy();
        update.remove("update_id");
        synchronized (lock) {
            ensureOpen();
            JsonNode callbackId = update.path("callback_query").path("id");
            if (callbackId.isValueNode()) {
                openCallbackQueries.add(callbackId.asText());
            }
            return enqueue(update);
        }
    }

    /** Updates pushed but not yet confirmed by a {@code getUpdates} offset. */
    public int pendingUpdateCount() {
        synchronized (lock) {
            return pendingUpdates.size();
        }
    }

    private int enqueue(ObjectNode updateWithoutId) {
        int updateId = nextUpdateId++;
        ObjectNode update = objects.object();
        update.put("update_id", updateId);
        update.setAll(updateWithoutId);
        pendingUpdates.addLast(update);
        lock.notifyAll();
        return updateId;
    }

    // ------------------------------------------------------------------ reading what the bot did

    /** All messages sent with {@code sendMessage}, in order. */
    public List<SentMessage> sentMessages() {
        synchronized (lock) {
            return List.copyOf(sentMessages);
        }
    }

    /** Messages sent with {@code sendMessage} to one chat, in order. */
    public List<SentMessage> sentMessages(long chatId) {
        synchronized (lock) {
            return sentMessages.stream().filter(m -> m.chatId() == chatId).toList();
        }
    }

    /** All photos sent with {@code sendPhoto}, in order. */
    public List<SentPhoto> photos() {
        synchronized (lock) {
            return List.copyOf(photos);
        }
    }

    /** Photos sent to one chat, in order. */
    public List<SentPhoto> photos(long chatId) {
        synchronized (lock) {
            return photos.stream().filter(p -> p.chatId() == chatId).toList();
        }
    }

    /** All successful {@code answerCallbackQuery} calls, in order. */
    public List<AnsweredCallback> answeredCallbacks() {
        synchronized (lock) {
            return List.copyOf(answeredCallbacks);
        }
    }

    /** All successful edits ({@code editMessageText}, {@code editMessageReplyMarkup}), in order. */
    public List<EditedMessage> edits() {
        synchronized (lock) {
            return List.copyOf(edits);
        }
    }

    /** The command list last set with {@code setMyCommands} (command to description), in order. */
    public Map<String, String> commands() {
        synchronized (lock) {
            return Collections.unmodifiableMap(new LinkedHashMap<>(commands));
        }
    }

    /**
     * Waits until a message matching {@code condition} has been sent to {@code chatId} (messages
     * sent before the call count too).
     *
     * @throws AssertionError after {@code timeout}, listing what was sent
     */
    public SentMessage awaitSentMessage(long chatId, Predicate<SentMessage> condition, Duration timeout) {
        return await(() -> sentMessages.stream().filter(m -> m.chatId() == chatId && condition.test(m)).findFirst(),
                timeout, () -> "No message matching the condition was sent to chat " + chatId + " within " + timeout
                        + ". Sent messages: " + describe(sentMessages));
    }

    /** Waits for any message to {@code chatId}; see {@link #awaitSentMessage(long, Predicate, Duration)}. */
    public SentMessage awaitSentMessage(long chatId, Duration timeout) {
        return awaitSentMessage(chatId, m -> true, timeout);
    }

    /**
     * Waits until a photo matching {@code condition} has been sent to {@code chatId}.
     *
     * @throws AssertionError after {@code timeout}, listing what was sent
     */
    public SentPhoto awaitPhoto(long chatId, Predicate<SentPhoto> condition, Duration timeout) {
        return await(() -> photos.stream().filter(p -> p.chatId() == chatId && condition.test(p)).findFirst(),
                timeout, () -> "No photo matching the condition was sent to chat " + chatId + " within " + timeout
                        + ". Sent photos: " + describe(photos) + ". Sent messages: " + describe(sentMessages));
    }

    /**
     * Waits until the callback query {@code callbackQueryId} has been answered.
     *
     * @throws AssertionError after {@code timeout}, listing the answers received
     */
    public AnsweredCallback awaitAnsweredCallback(String callbackQueryId, Duration timeout) {
        return await(() -> answeredCallbacks.stream().filter(a -> a.callbackQueryId().equals(callbackQueryId)).findFirst(),
                timeout, () -> "Callback query " + callbackQueryId + " was not answered within " + timeout
                        + ". Answered: " + describe(answeredCallbacks));
    }

    /**
     * Waits until an edit matching {@code condition} has been made in {@code chatId}.
     *
     * @throws AssertionError after {@code timeout}, listing the edits made
     */
    public EditedMessage awaitEdit(long chatId, Predicate<EditedMessage> condition, Duration timeout) {
        return await(() -> edits.stream().filter(e -> e.chatId() == chatId && condition.test(e)).findFirst(),
                timeout, () -> "No edit matching the condition was made in chat " + chatId + " within " + timeout
                        + ". Edits: " + describe(edits));
    }

    /**
     * Waits until {@code method} has been called at least {@code atLeast} times (e.g. to know the
     * bot is polling before pushing updates).
     *
     * @throws AssertionError after {@code timeout}, with the counts per method
     */
    public void awaitCallCount(String method, int atLeast, Duration timeout) {
        await(() -> countCalls(method) >= atLeast ? Optional.of(Boolean.TRUE) : Optional.empty(), timeout,
                () -> method + " was called " + countCalls(method) + " times, expected at least " + atLeast
                        + " within " + timeout + ". Calls per method: " + callCountsLocked());
    }

    private <T> T await(Supplier<Optional<T>> probe, Duration timeout, Supplier<String> failure) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (true) {
                Optional<T> found = probe.get();
                if (found.isPresent()) {
                    return found.get();
                }
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    throw new AssertionError(failure.get());
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(lock, remaining);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("Interrupted while waiting: " + failure.get(), e);
                }
            }
        }
    }

    private static String describe(List<?> items) {
        if (items.isEmpty()) {
            return "(none)";
        }
        StringBuilder sb = new StringBuilder();
        for (Object item : items) {
            sb.append(System.lineSeparator()).append("  - ").append(item);
        }
        return sb.toString();
    }

    // ------------------------------------------------------------------ statistics and faults

    /** How often {@code method} was requested (any outcome; name matched case-insensitively). */
    public int callCount(String method) {
        synchronized (lock) {
            return countCalls(method);
        }
    }

    /** When each request for {@code method} arrived, in order (e.g. to prove a bot does not busy-loop). */
    public List<Instant> callTimes(String method) {
        synchronized (lock) {
            return calls.stream().filter(c -> c.method.equalsIgnoreCase(method)).map(c -> c.receivedAt).toList();
        }
    }

    /** Every request that reached the fake, in order of arrival. */
    public List<RecordedCall> calls() {
        synchronized (lock) {
            return calls.stream().map(c -> new RecordedCall(c.method, c.receivedAt, c.status)).toList();
        }
    }

    /** Request counts per method. */
    public Map<String, Integer> callCounts() {
        synchronized (lock) {
            return callCountsLocked();
        }
    }

    private int countCalls(String method) {
        int n = 0;
        for (CallEntry c : calls) {
            if (c.method.equalsIgnoreCase(method)) {
                n++;
            }
        }
        return n;
    }

    private Map<String, Integer> callCountsLocked() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (CallEntry c : calls) {
            counts.merge(c.method, 1, Integer::sum);
        }
        return Collections.unmodifiableMap(counts);
    }

    /**
     * Makes the next {@code times} requests for {@code method} fail with HTTP 429
     * {@code {"ok":false,"error_code":429,"description":"Too Many Requests: retry after N","parameters":{"retry_after":N}}}.
     * Replaces an earlier setting for the method; {@code times == 0} clears it. The failed requests
     * are recorded in {@link #callTimes} like any other, so a test can check the bot waited.
     */
    public void failNext(String method, int times, int retryAfterSeconds) {
        Objects.requireNonNull(method, "method");
        if (times < 0 || retryAfterSeconds < 0) {
            throw new IllegalArgumentException("times and retryAfterSeconds must not be negative");
        }
        synchronized (lock) {
            String key = method.toLowerCase(Locale.ROOT);
            if (times == 0) {
                faults.remove(key);
            } else {
                faults.put(key, new Fault(times, retryAfterSeconds));
            }
        }
    }

    /**
     * Forgets everything recorded (sent messages, photos, answers, edits, commands, calls), pending
     * updates and injected faults. Ids keep increasing.
     */
    public void reset() {
        synchronized (lock) {
            pendingUpdates.clear();
            messages.clear();
            openCallbackQueries.clear();
            sentMessages.clear();
            photos.clear();
            answeredCallbacks.clear();
            edits.clear();
            commands.clear();
            calls.clear();
            faults.clear();
            lock.notifyAll();
        }
    }

    // ------------------------------------------------------------------ lifecycle

    /**
     * Answers held {@code getUpdates} requests (with an empty result), stops the server and ends
     * its threads. Idempotent. Recorded data stays readable.
     */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            lock.notifyAll();
            long deadline = System.nanoTime() + CLOSE_GRACE.toNanos();
            while (activeExchanges > 0) {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    LOG.warn("Closing the fake Telegram Bot API with {} requests still in progress", activeExchanges);
                    break;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(lock, remaining);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        server.stop(0);
        executor.shutdown();
        try {
            if (!executor.awaitTermination(CLOSE_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                executor.shutdownNow();
                executor.awaitTermination(CLOSE_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        synchronized (lock) {
            return closed;
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("The fake Telegram Bot API is closed");
        }
    }

    // ------------------------------------------------------------------ HTTP

    private void handle(HttpExchange exchange) {
        synchronized (lock) {
            activeExchanges++;
        }
        CallEntry call = null;
        int status = 500;
        try {
            Instant receivedAt = Instant.now();
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            ObjectNode response;
            try {
                String[] route = route(exchange.getRequestURI().getRawPath());
                if (route == null) {
                    throw BotApiError.notFound();
                }
                MethodHandler handler = handlers.get(route[1].toLowerCase(Locale.ROOT));
                String method = handler != null ? handler.canonicalName : route[1];
                call = recordCall(method, receivedAt);
                if (!token.equals(route[0])) {
                    throw BotApiError.unauthorized();
                }
                if (handler == null) {
                    throw BotApiError.notFound();
                }
                checkFault(method);
                RequestParams params = RequestParams.parse(exchange.getRequestURI().getRawQuery(),
                        exchange.getRequestHeaders().getFirst("Content-Type"), body, MAPPER);
                JsonNode result = handler.body.apply(new Request(params, receivedAt));
                response = objects.object();
                response.put("ok", true);
                response.set("result", result);
                status = 200;
            } catch (BotApiError e) {
                response = errorEnvelope(e);
                status = e.errorCode();
            } catch (RuntimeException e) {
                LOG.warn("Fake Telegram Bot API failed on {}", exchange.getRequestURI().getPath(), e);
                BotApiError error = BotApiError.internal(String.valueOf(e));
                response = errorEnvelope(error);
                status = error.errorCode();
            }
            if (call != null) {
                synchronized (lock) {
                    call.status = status;
                }
            }
            byte[] bytes = MAPPER.writeValueAsBytes(response);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        } catch (IOException e) {
            LOG.debug("Fake Telegram Bot API could not answer {}: {}", exchange.getRequestURI().getPath(), e.toString());
        } finally {
            exchange.close();
            synchronized (lock) {
                activeExchanges--;
                lock.notifyAll();
            }
        }
    }

    /** {@code [token, method]} from {@code /bot<token>/<method>} or {@code /bot<token>/test/<method>}, else null. */
    private static String[] route(String rawPath) {
        if (rawPath == null) {
            return null;
        }
        String[] segments = rawPath.split("/");
        // leading "" from the initial '/'
        List<String> parts = new ArrayList<>();
        for (String s : segments) {
            if (!s.isEmpty()) {
                parts.add(URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8));
            }
        }
        if (parts.size() == 3 && parts.get(1).equals("test")) {
            parts.remove(1);
        }
        if (parts.size() != 2 || !parts.get(0).startsWith("bot") || parts.get(1).isEmpty()) {
            return null;
        }
        return new String[] {parts.get(0).substring(3), parts.get(1)};
    }

    private ObjectNode errorEnvelope(BotApiError error) {
        ObjectNode envelope = objects.object();
        envelope.put("ok", false);
        envelope.put("error_code", error.errorCode());
        envelope.put("description", error.description());
        if (error.retryAfterSeconds() != null) {
            envelope.putObject("parameters").put("retry_after", error.retryAfterSeconds());
        }
        return envelope;
    }

    private CallEntry recordCall(String method, Instant receivedAt) {
        synchronized (lock) {
            CallEntry entry = new CallEntry(method, receivedAt);
            calls.add(entry);
            lock.notifyAll();
            return entry;
        }
    }

    private void checkFault(String method) {
        synchronized (lock) {
            String key = method.toLowerCase(Locale.ROOT);
            Fault fault = faults.get(key);
            if (fault == null) {
                return;
            }
            if (--fault.remaining <= 0) {
                faults.remove(key);
            }
            throw BotApiError.tooManyRequests(fault.retryAfterSeconds);
        }
    }

    // ------------------------------------------------------------------ methods

    private void registerHandlers() {
        register("getMe", r -> getMe());
        register("deleteWebhook", this::deleteWebhook);
        register("getWebhookInfo", r -> getWebhookInfo());
        register("setMyCommands", this::setMyCommands);
        register("deleteMyCommands", this::deleteMyCommands);
        register("getUpdates", this::getUpdates);
        register("sendMessage", this::sendMessage);
        register("sendPhoto", this::sendPhoto);
        register("answerCallbackQuery", this::answerCallbackQuery);
        register("editMessageText", this::editMessageText);
        register("editMessageReplyMarkup", this::editMessageReplyMarkup);
    }

    private void register(String name, Function<Request, JsonNode> body) {
        handlers.put(name.toLowerCase(Locale.ROOT), new MethodHandler(name, body));
    }

    private JsonNode getMe() {
        ObjectNode me = botUserNode();
        me.put("can_join_groups", true);
        me.put("can_read_all_group_messages", false);
        me.put("supports_inline_queries", false);
        return me;
    }

    private JsonNode deleteWebhook(Request r) {
        if (r.params.bool("drop_pending_updates")) {
            synchronized (lock) {
                pendingUpdates.clear();
            }
        }
        return BooleanNode.TRUE;
    }

    private JsonNode getWebhookInfo() {
        ObjectNode info = objects.object();
        info.put("url", "");
        info.put("has_custom_certificate", false);
        info.put("pending_update_count", pendingUpdateCount());
        return info;
    }

    private JsonNode setMyCommands(Request r) {
        JsonNode list = r.params.json("commands");
        if (list == null) {
            throw BotApiError.missing("commands");
        }
        if (!list.isArray()) {
            throw BotApiError.badRequest("can't parse commands JSON object: an Array expected");
        }
        Map<String, String> parsed = new LinkedHashMap<>();
        for (JsonNode command : list) {
            String name = command.path("command").asText("");
            if (name.isEmpty()) {
                throw BotApiError.badRequest("command must be non-empty");
            }
            parsed.put(name, command.path("description").asText(""));
        }
        synchronized (lock) {
            commands.clear();
            commands.putAll(parsed);
        }
        return BooleanNode.TRUE;
    }

    private JsonNode deleteMyCommands(Request r) {
        synchronized (lock) {
            commands.clear();
        }
        return BooleanNode.TRUE;
    }

    /** getUpdates requests waiting right now; guarded by the lock. */
    private int heldPolls;

    private JsonNode getUpdates(Request r) {
        Long offset = r.params.optionalLong("offset");
        Integer limitParam = r.params.optionalInt("limit");
        int limit = limitParam == null || limitParam <= 0 ? MAX_UPDATES_LIMIT : Math.min(limitParam, MAX_UPDATES_LIMIT);
        Integer timeoutSeconds = r.params.optionalInt("timeout");
        Duration hold = timeoutSeconds == null ? getUpdatesHold
                : minimum(Duration.ofSeconds(Math.max(0, timeoutSeconds)), getUpdatesHold);
        long deadline = System.nanoTime() + hold.toNanos();
        synchronized (lock) {
            long generation = ++pollGeneration;
            lock.notifyAll(); // ends an earlier held request with 409
            confirm(offset);
            while (true) {
                if (closed) {
                    return objects.array();
                }
                if (generation != pollGeneration) {
                    throw BotApiError.conflict("terminated by other getUpdates request; "
                            + "make sure that only one bot instance is running");
                }
                if (!pendingUpdates.isEmpty()) {
                    ArrayNode result = objects.array();
                    Iterator<ObjectNode> it = pendingUpdates.iterator();
                    while (it.hasNext() && result.size() < limit) {
                        result.add(it.next().deepCopy());
                    }
                    return result;
                }
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    return objects.array();
                }
                heldPolls++;
                lock.notifyAll(); // wakes awaitHeldPoll
                try {
                    TimeUnit.NANOSECONDS.timedWait(lock, remaining);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return objects.array();
                } finally {
                    heldPolls--;
                }
            }
        }
    }

    /**
     * Waits until a {@code getUpdates} request is being held. A recorded call is not enough for tests that race two
     * polls: the first may not have reached its wait yet.
     */
    public void awaitHeldPoll(Duration timeout) {
        await(() -> heldPolls > 0 ? Optional.of(Boolean.TRUE) : Optional.empty(), timeout,
                () -> "no getUpdates request was held within " + timeout);
    }

    /** Forgets confirmed updates; caller holds the lock. */
    private void confirm(Long offset) {
        if (offset == null || offset == 0) {
            return;
        }
        if (offset > 0) {
            while (!pendingUpdates.isEmpty() && pendingUpdates.peekFirst().get("update_id").asLong() < offset) {
                pendingUpdates.removeFirst();
            }
        } else {
            long keep = -offset;
            while (pendingUpdates.size() > keep) {
                pendingUpdates.removeFirst();
            }
        }
    }

    private JsonNode sendMessage(Request r) {
        long chatId = r.params.requiredChatId();
        String text = r.params.string("text");
        if (text == null || text.isEmpty()) {
            throw BotApiError.badRequest("message text is empty (parameter text is required)");
        }
        if (text.length() > MAX_TEXT_LENGTH) {
            throw BotApiError.badRequest("message is too long");
        }
        String parseMode = r.params.string("parse_mode");
        Markup markup = objects.markup(r.params.json("reply_markup"));
        synchronized (lock) {
            int messageId = nextMessageId++;
            ObjectNode message = botMessage(chatId, messageId, r.receivedAt);
            message.put("text", text);
            if (markup.inlineMarkupJson() != null) {
                message.set("reply_markup", markup.inlineMarkupJson());
            }
            messages.put(new MessageKey(chatId, messageId), new StoredMessage(message, true, text, markup));
            sentMessages.add(new SentMessage(chatId, messageId, text, parseMode, markup.keyboard(), r.receivedAt));
            lock.notifyAll();
            return message.deepCopy();
        }
    }

    private JsonNode sendPhoto(Request r) {
        long chatId = r.params.requiredChatId();
        Optional<FilePart> upload = r.params.upload("photo");
        String reference = upload.isPresent() ? null : r.params.string("photo");
        if (upload.isEmpty() && (reference == null || reference.isBlank())) {
            throw BotApiError.badRequest("there is no photo in the request (parameter photo is required)");
        }
        String caption = r.params.string("caption");
        if (caption != null && caption.length() > MAX_CAPTION_LENGTH) {
            throw BotApiError.badRequest("message caption is too long");
        }
        String parseMode = r.params.string("parse_mode");
        Markup markup = objects.markup(r.params.json("reply_markup"));
        byte[] bytes = upload.map(FilePart::bytes).orElse(new byte[0]);
        synchronized (lock) {
            int messageId = nextMessageId++;
            ObjectNode message = botMessage(chatId, messageId, r.receivedAt);
            message.set("photo", objects.photoSizes("AgACfake-" + (nextFileId++), Math.max(bytes.length, 1)));
            if (caption != null) {
                message.put("caption", caption);
            }
            if (markup.inlineMarkupJson() != null) {
                message.set("reply_markup", markup.inlineMarkupJson());
            }
            messages.put(new MessageKey(chatId, messageId), new StoredMessage(message, false, caption, markup));
            photos.add(new SentPhoto(chatId, messageId, bytes, upload.map(FilePart::fileName).orElse(null), reference,
                    caption, parseMode, markup.keyboard(), r.receivedAt));
            lock.notifyAll();
            return message.deepCopy();
        }
    }

    private JsonNode answerCallbackQuery(Request r) {
        String id = r.params.requiredString("callback_query_id");
        String text = r.params.string("text");
        boolean showAlert = r.params.bool("show_alert");
        String url = r.params.string("url");
        synchronized (lock) {
            if (!openCallbackQueries.remove(id)) {
                throw BotApiError.badRequest("query is too old and response timeout expired or query ID is invalid");
            }
            answeredCallbacks.add(new AnsweredCallback(id, text, showAlert, url, r.receivedAt));
            lock.notifyAll();
        }
        return BooleanNode.TRUE;
    }

    private JsonNode editMessageText(Request r) {
        MessageKey key = editTarget(r);
        String text = r.params.string("text");
        if (text == null || text.isEmpty()) {
            throw BotApiError.badRequest("message text is empty (parameter text is required)");
        }
        if (text.length() > MAX_TEXT_LENGTH) {
            throw BotApiError.badRequest("MESSAGE_TOO_LONG");
        }
        String parseMode = r.params.string("parse_mode");
        Markup markup = objects.markup(r.params.json("reply_markup"));
        synchronized (lock) {
            StoredMessage stored = storedForEdit(key);
            if (!stored.hasText) {
                throw BotApiError.badRequest("there is no text in the message to edit");
            }
            if (text.equals(stored.text) && markup.sameAs(stored.markup)) {
                throw notModified();
            }
            return applyEdit("editMessageText", key, stored, text, parseMode, markup, r.receivedAt);
        }
    }

    private JsonNode editMessageReplyMarkup(Request r) {
        MessageKey key = editTarget(r);
        Markup markup = objects.markup(r.params.json("reply_markup"));
        synchronized (lock) {
            StoredMessage stored = storedForEdit(key);
            if (markup.sameAs(stored.markup)) {
                throw notModified();
            }
            return applyEdit("editMessageReplyMarkup", key, stored, stored.text, null, markup, r.receivedAt);
        }
    }

    private MessageKey editTarget(Request r) {
        if (r.params.has("inline_message_id") && !r.params.has("chat_id")) {
            throw BotApiError.badRequest("inline_message_id is not supported by the fake; use chat_id and message_id");
        }
        long chatId = r.params.requiredChatId();
        int messageId = r.params.requiredInt("message_id");
        return new MessageKey(chatId, messageId);
    }

    private StoredMessage storedForEdit(MessageKey key) {
        StoredMessage stored = messages.get(key);
        if (stored == null) {
            throw BotApiError.badRequest("message to edit not found");
        }
        if (stored.json.path("from").path("id").asLong() != botId) {
            throw BotApiError.badRequest("message can't be edited");
        }
        return stored;
    }

    private static BotApiError notModified() {
        return BotApiError.badRequest("message is not modified: specified new message content and reply markup "
                + "are exactly the same as a current content and reply markup of the message");
    }

    /** Caller holds the lock. */
    private JsonNode applyEdit(String method, MessageKey key, StoredMessage stored, String text, String parseMode,
                               Markup markup, Instant at) {
        ObjectNode json = stored.json.deepCopy();
        if (stored.hasText) {
            json.put("text", text);
        }
        if (markup.inlineMarkupJson() != null) {
            json.set("reply_markup", markup.inlineMarkupJson());
        } else {
            json.remove("reply_markup");
        }
        json.put("edit_date", at.getEpochSecond());
        messages.put(key, new StoredMessage(json, stored.hasText, text, markup));
        edits.add(new EditedMessage(method, key.chatId, key.messageId, text, parseMode, markup.keyboard(), at));
        lock.notifyAll();
        return json.deepCopy();
    }

    private ObjectNode botMessage(long chatId, int messageId, Instant at) {
        return objects.message(messageId, botUserNode(), objects.chat(chatId, USER_FIRST_NAME), at.getEpochSecond());
    }

    private ObjectNode botUserNode() {
        return objects.user(botId, true, botFirstName, botUsername);
    }

    private ObjectNode userNode(long userId) {
        return objects.user(userId, false, USER_FIRST_NAME, "tester" + Math.abs(userId));
    }

    private static Duration minimum(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static long defaultBotId(String token) {
        int colon = token.indexOf(':');
        if (colon > 0) {
            try {
                return Long.parseLong(token.substring(0, colon));
            } catch (NumberFormatException ignored) {
                // fall through
            }
        }
        return 123456789L;
    }

    // ------------------------------------------------------------------ internal types

    private record Request(RequestParams params, Instant receivedAt) {
    }

    private record MethodHandler(String canonicalName, Function<Request, JsonNode> body) {
    }

    private record MessageKey(long chatId, int messageId) {
    }

    /** The current state of a message known to the fake (JSON as last returned). */
    private record StoredMessage(ObjectNode json, boolean hasText, String text, Markup markup) {
    }

    private static final class CallEntry {
        final String method;
        final Instant receivedAt;
        int status; // guarded by lock

        CallEntry(String method, Instant receivedAt) {
            this.method = method;
            this.receivedAt = receivedAt;
        }
    }

    private static final class Fault {
        int remaining;
        final int retryAfterSeconds;

        Fault(int remaining, int retryAfterSeconds) {
            this.remaining = remaining;
            this.retryAfterSeconds = retryAfterSeconds;
        }
    }

    /** Settings of a {@link FakeTelegramBotApi}. */
    public static final class Builder {
        private String token = DEFAULT_TOKEN;
        private Long botId;
        private String botUsername = "wasched_test_bot";
        private String botFirstName = "Wasched Test Bot";
        private Duration getUpdatesHold = DEFAULT_GET_UPDATES_HOLD;

        private Builder() {
        }

        /** The only token accepted (default {@link #DEFAULT_TOKEN}); other tokens get 401. */
        public Builder token(String token) {
            Objects.requireNonNull(token, "token");
            if (token.isBlank() || token.contains("/") || token.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("A bot token must be non-blank, without '/' or spaces: '" + token + "'");
            }
            this.token = token;
            return this;
        }

        /** The bot's user id for {@code getMe} (default: the number before ':' in the token, else 123456789). */
        public Builder botId(long botId) {
            this.botId = botId;
            return this;
        }

        /** The bot's username for {@code getMe} (default {@code wasched_test_bot}). */
        public Builder botUsername(String botUsername) {
            this.botUsername = Objects.requireNonNull(botUsername, "botUsername");
            return this;
        }

        /** The bot's first name for {@code getMe} (default {@code Wasched Test Bot}). */
        public Builder botFirstName(String botFirstName) {
            this.botFirstName = Objects.requireNonNull(botFirstName, "botFirstName");
            return this;
        }

        /**
         * The longest time a {@code getUpdates} request that finds no update is held (default 1 s).
         * A request's own {@code timeout} shortens it; a request without {@code timeout} is held this long.
         */
        public Builder getUpdatesHold(Duration hold) {
            Objects.requireNonNull(hold, "hold");
            if (hold.isNegative()) {
                throw new IllegalArgumentException("hold must not be negative: " + hold);
            }
            this.getUpdatesHold = hold;
            return this;
        }

        /** Binds 127.0.0.1 on an ephemeral port and starts serving. */
        public FakeTelegramBotApi start() {
            return new FakeTelegramBotApi(this);
        }
    }
}
