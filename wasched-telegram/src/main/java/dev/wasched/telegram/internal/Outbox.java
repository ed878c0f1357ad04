package dev.wasched.telegram.internal;

import java.io.ByteArrayInputStream;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.telegram.telegrambots.meta.api.methods.AnswerCallbackQuery;
import org.telegram.telegrambots.meta.api.methods.botapimethods.BotApiMethod;
import org.telegram.telegrambots.meta.api.methods.send.SendMessage;
import org.telegram.telegrambots.meta.api.methods.send.SendPhoto;
import org.telegram.telegrambots.meta.api.methods.updatingmessages.EditMessageText;
import org.telegram.telegrambots.meta.api.objects.InputFile;
import org.telegram.telegrambots.meta.api.objects.message.Message;
import org.telegram.telegrambots.meta.api.objects.replykeyboard.InlineKeyboardMarkup;
import org.telegram.telegrambots.meta.exceptions.TelegramApiException;
import org.telegram.telegrambots.meta.exceptions.TelegramApiRequestException;
import org.telegram.telegrambots.meta.generics.TelegramClient;

/**
 * Everything the bot sends goes through here, on one sender thread, so Telegram's limits hold: at most one message
 * per {@code perChatInterval} to a chat, at most {@code globalPerSecond} requests overall, and after a 429 nothing
 * until its {@code retry_after} has passed (then the same request is tried again). Chats take turns, so a busy
 * chat does not starve the others. Callback answers skip the per-chat gap: the user's client shows a spinner until
 * the answer arrives.
 *
 * <p>Submitting never blocks (the engine's event thread submits notifications); a full queue drops the request
 * and logs it.
 */
public final class Outbox implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Outbox.class);
    /** Telegram's limits on a message text and a photo caption. */
    public static final int MAX_TEXT = 4096;
    public static final int MAX_CAPTION = 1024;
    private static final int MAX_QUEUED = 2000;
    private static final int MAX_QUEUED_PER_CHAT = 300;
    private static final int MAX_RATE_LIMITED = 5;
    private static final int MAX_FAILURES = 3;
    private static final Pattern RETRY_AFTER = Pattern.compile("retry after (\\d+)");

    /** One Bot API request; built anew on every attempt (an uploaded stream can be read only once). */
    @FunctionalInterface
    public interface ApiCall<T> {
        T execute(TelegramClient client) throws TelegramApiException;
    }

    private final TelegramClient client;
    private final Redactor redactor;
    private final long perChatNanos;
    private final long globalGapNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    // guarded by lock; insertion order is the round-robin order
    private final Map<Long, ChatQueue> chats = new LinkedHashMap<>();
    // nanoTime values; they start "already passed" (never Long.MIN_VALUE: nanoTime arithmetic would overflow)
    private long globalNext = System.nanoTime();
    private long blockedUntil = globalNext;
    private int queued;
    private boolean closing;
    private long drainDeadline;
    private long dropped;
    private final Thread sender;

    public Outbox(TelegramClient client, Redactor redactor, Duration perChatInterval, int globalPerSecond) {
        this.client = client;
        this.redactor = redactor;
        this.perChatNanos = perChatInterval.toNanos();
        this.globalGapNanos = TimeUnit.SECONDS.toNanos(1) / globalPerSecond;
        this.sender = NamedThreads.factory("outbox").newThread(this::run);
    }

    public void start() {
        sender.start();
    }

    // ------------------------------------------------------------------ convenience requests

    public CompletableFuture<Message> sendText(long chatId, String text, InlineKeyboardMarkup keyboard) {
        String capped = Texts.cap(text, MAX_TEXT);
        return submit(chatId, true, "sendMessage", null, c -> c.execute(SendMessage.builder().chatId(chatId)
                .text(capped).replyMarkup(keyboard).build()));
    }

    public CompletableFuture<Message> sendText(long chatId, String text) {
        return sendText(chatId, text, null);
    }

    /**
     * Sends a PNG rendered on the sender thread (so the caller only enqueues). A photo with the same
     * {@code coalesceKey} still waiting for this chat is replaced: only the newest login QR code matters.
     */
    public CompletableFuture<Message> sendPhoto(long chatId, Supplier<byte[]> png, String fileName, String caption,
                                                String coalesceKey) {
        String capped = Texts.cap(caption, MAX_CAPTION);
        byte[][] rendered = new byte[1][];
        return submit(chatId, true, "sendPhoto", coalesceKey, c -> {
            if (rendered[0] == null) {
                rendered[0] = png.get();
            }
            return c.execute(SendPhoto.builder().chatId(chatId)
                    .photo(new InputFile(new ByteArrayInputStream(rendered[0]), fileName)).caption(capped).build());
        });
    }

    public CompletableFuture<Serializable> editText(long chatId, int messageId, String text,
                                                    InlineKeyboardMarkup keyboard) {
        String capped = Texts.cap(text, MAX_TEXT);
        return submit(chatId, true, "editMessageText", null, c -> c.execute(EditMessageText.builder().chatId(chatId)
                .messageId(messageId).text(capped).replyMarkup(keyboard).build()));
    }

    public CompletableFuture<Boolean> answerCallback(long chatId, String callbackQueryId, String text) {
        String capped = text == null ? null : Texts.cap(text, 200);
        return submit(chatId, false, "answerCallbackQuery", null, c -> c.execute(AnswerCallbackQuery.builder()
                .callbackQueryId(callbackQueryId).text(capped).build()));
    }

    /** A request not addressed to a chat (such as setMyCommands): no per-chat gap. */
    public <T extends Serializable> CompletableFuture<T> call(String method, BotApiMethod<T> request) {
        return submit(0L, false, method, null, c -> c.execute(request));
    }

    // ------------------------------------------------------------------ queue

    /**
     * Queues a request for {@code chatId}; {@code paced} requests keep the per-chat gap. Never blocks.
     */
    public <T> CompletableFuture<T> submit(long chatId, boolean paced, String method, String coalesceKey,
                                           ApiCall<T> call) {
        Item<T> item = new Item<>(chatId, paced, method, coalesceKey, call);
        lock.lock();
        try {
            if (closing) {
                item.result.completeExceptionally(new RejectedExecutionException("the Telegram controller is closed"));
                return item.result;
            }
            ChatQueue q = chats.computeIfAbsent(chatId, k -> new ChatQueue());
            if (coalesceKey != null && replaceQueued(q.normal, item)) {
                changed.signalAll();
                return item.result;
            }
            if (queued >= MAX_QUEUED || q.size() >= MAX_QUEUED_PER_CHAT) {
                dropped++;
                if (dropped == 1 || dropped % 100 == 0) {
                    log.warn("Telegram outbox full: dropped {} to chat {} ({} dropped so far)", method, chatId, dropped);
                }
                item.result.completeExceptionally(new RejectedExecutionException("Telegram outbox is full"));
                return item.result;
            }
            (paced ? q.normal : q.urgent).addLast(item);
            queued++;
            changed.signalAll();
            return item.result;
        } finally {
            lock.unlock();
        }
    }

    private static boolean replaceQueued(Deque<Item<?>> deque, Item<?> replacement) {
        List<Item<?>> items = List.copyOf(deque);
        for (int i = 0; i < items.size(); i++) {
            Item<?> old = items.get(i);
            if (replacement.coalesceKey.equals(old.coalesceKey) && old.attempts == 0) {
                deque.clear();
                for (int j = 0; j < items.size(); j++) {
                    deque.addLast(j == i ? replacement : items.get(j));
                }
                old.result.cancel(false);
                return true;
            }
        }
        return false;
    }

    /** Requests waiting to be sent. */
    public int queued() {
        lock.lock();
        try {
            return queued;
        } finally {
            lock.unlock();
        }
    }

    private void run() {
        try {
            while (true) {
                Item<?> item = next();
                if (item == null) {
                    return;
                }
                execute(item);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            failRemaining();
        }
    }

    /** The next request whose time has come, waiting as needed; null when closing is done. */
    private Item<?> next() throws InterruptedException {
        lock.lock();
        try {
            while (true) {
                long now = System.nanoTime();
                if (closing && (queued == 0 || now - drainDeadline >= 0)) {
                    return null;
                }
                Long bestChat = null;
                long bestAt = 0;
                for (Map.Entry<Long, ChatQueue> e : chats.entrySet()) {
                    ChatQueue q = e.getValue();
                    Item<?> head = q.head();
                    if (head == null) {
                        continue;
                    }
                    long at = later(later(globalNext, blockedUntil), head.notBefore);
                    if (head.paced) {
                        at = later(at, q.nextPaced);
                    }
                    if (bestChat == null || at - bestAt < 0) {
                        bestChat = e.getKey();
                        bestAt = at;
                    }
                }
                if (bestChat != null && bestAt - now <= 0) {
                    ChatQueue q = chats.remove(bestChat);
                    chats.put(bestChat, q); // to the end: chats take turns
                    queued--;
                    return q.poll();
                }
                long wait = bestChat == null ? TimeUnit.SECONDS.toNanos(1) : bestAt - now;
                if (closing) {
                    wait = Math.min(wait, drainDeadline - now);
                }
                changed.awaitNanos(Math.max(wait, 1));
            }
        } finally {
            lock.unlock();
        }
    }

    private static long later(long a, long b) {
        return a - b >= 0 ? a : b;
    }

    private <T> void execute(Item<T> item) {
        item.attempts++;
        try {
            T result = item.call.execute(client);
            sent(item);
            item.result.complete(result);
        } catch (TelegramApiRequestException e) {
            sent(item);
            Integer code = e.getErrorCode();
            if (code != null && code == 429) {
                rateLimited(item, e);
            } else {
                refused(item, e);
            }
        } catch (TelegramApiException e) {
            failed(item, e);
        } catch (RuntimeException e) {
            log.warn("Telegram {} to chat {} failed", item.method, item.chatId, redactor.scrub(e));
            item.result.completeExceptionally(redactor.scrub(e));
        }
    }

    private void sent(Item<?> item) {
        long now = System.nanoTime();
        lock.lock();
        try {
            globalNext = now + globalGapNanos;
            if (item.paced) {
                chats.computeIfAbsent(item.chatId, k -> new ChatQueue()).nextPaced = now + perChatNanos;
            }
        } finally {
            lock.unlock();
        }
    }

    private void rateLimited(Item<?> item, TelegramApiRequestException e) {
        int seconds = retryAfter(e);
        item.rateLimited++;
        if (item.rateLimited > MAX_RATE_LIMITED) {
            log.warn("Telegram kept answering 429 to {} for chat {}; dropped after {} tries", item.method,
                    item.chatId, item.rateLimited);
            item.result.completeExceptionally(redactor.scrub(e));
            return;
        }
        log.info("Telegram rate limit (429) on {}: waiting {} s before sending again", item.method, seconds);
        lock.lock();
        try {
            blockedUntil = later(blockedUntil, System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds));
            requeueFirst(item);
        } finally {
            lock.unlock();
        }
    }

    static int retryAfter(TelegramApiRequestException e) {
        if (e.getParameters() != null && e.getParameters().getRetryAfter() != null) {
            return Math.max(1, Math.min(3600, e.getParameters().getRetryAfter()));
        }
        Matcher m = RETRY_AFTER.matcher(String.valueOf(e.getApiResponse()));
        return m.find() ? Math.max(1, Math.min(3600, Integer.parseInt(m.group(1)))) : 1;
    }

    private void refused(Item<?> item, TelegramApiRequestException e) {
        String description = redactor.scrub(String.valueOf(e.getApiResponse()));
        if (description.contains("message is not modified")) {
            log.debug("Telegram {} in chat {} changed nothing", item.method, item.chatId);
        } else {
            log.warn("Telegram refused {} to chat {}: {} {}", item.method, item.chatId, e.getErrorCode(), description);
        }
        item.result.completeExceptionally(redactor.scrub(e));
    }

    private void failed(Item<?> item, TelegramApiException e) {
        item.failures++;
        boolean closingNow;
        lock.lock();
        try {
            closingNow = closing;
            if (!closingNow && item.failures < MAX_FAILURES) {
                item.notBefore = System.nanoTime() + TimeUnit.SECONDS.toNanos(1L << (item.failures - 1));
                requeueFirst(item);
                log.debug("Telegram {} to chat {} failed ({}), trying again", item.method, item.chatId,
                        redactor.scrub(String.valueOf(e.getMessage())));
                return;
            }
        } finally {
            lock.unlock();
        }
        log.warn("Telegram {} to chat {} failed after {} attempts", item.method, item.chatId, item.attempts,
                redactor.scrub(e));
        item.result.completeExceptionally(redactor.scrub(e));
    }

    /** Caller holds the lock. */
    private void requeueFirst(Item<?> item) {
        ChatQueue q = chats.computeIfAbsent(item.chatId, k -> new ChatQueue());
        (item.paced ? q.normal : q.urgent).addFirst(item);
        queued++;
        changed.signalAll();
    }

    private void failRemaining() {
        int left = 0;
        lock.lock();
        try {
            closing = true;
            for (ChatQueue q : chats.values()) {
                for (Iterator<Item<?>> it = q.all(); it.hasNext(); ) {
                    it.next().result.completeExceptionally(new RejectedExecutionException("the Telegram controller closed"));
                    left++;
                }
                q.urgent.clear();
                q.normal.clear();
            }
            queued = 0;
        } finally {
            lock.unlock();
        }
        if (left > 0) {
            log.info("Telegram controller closed with {} unsent requests", left);
        }
    }

    /** Stops taking requests, sends what is queued for up to {@code grace}, then ends the sender thread. */
    @Override
    public void close() {
        close(Duration.ofSeconds(2));
    }

    public void close(Duration grace) {
        lock.lock();
        try {
            if (!closing) {
                closing = true;
                drainDeadline = System.nanoTime() + grace.toNanos();
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (!sender.isAlive()) {
            failRemaining();
            return;
        }
        try {
            sender.join(grace.toMillis() + 500);
            if (sender.isAlive()) {
                sender.interrupt(); // a request stuck in flight
                sender.join(2000);
            }
        } catch (InterruptedException e) {
            sender.interrupt();
            Thread.currentThread().interrupt();
        }
    }

    private static final class Item<T> {
        final long chatId;
        final boolean paced;
        final String method;
        final String coalesceKey;
        final ApiCall<T> call;
        final CompletableFuture<T> result = new CompletableFuture<>();
        long notBefore = System.nanoTime();
        int attempts;
        int failures;
        int rateLimited;

        Item(long chatId, boolean paced, String method, String coalesceKey, ApiCall<T> call) {
            this.chatId = chatId;
            this.paced = paced;
            this.method = method;
            this.coalesceKey = coalesceKey;
            this.call = call;
        }
    }

    private static final class ChatQueue {
        final Deque<Item<?>> urgent = new ArrayDeque<>();
        final Deque<Item<?>> normal = new ArrayDeque<>();
        long nextPaced = System.nanoTime();

        Item<?> head() {
            return urgent.isEmpty() ? normal.peekFirst() : urgent.peekFirst();
        }

        Item<?> poll() {
            return urgent.isEmpty() ? normal.pollFirst() : urgent.pollFirst();
        }

        int size() {
            return urgent.size() + normal.size();
        }

        Iterator<Item<?>> all() {
            return java.util.stream.Stream.concat(urgent.stream(), normal.stream()).toList().iterator();
        }
    }
}
