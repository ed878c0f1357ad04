package dev.wasched.telegram.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * The controller's own HTTP clients: one dispatcher executor and connection pool that {@link #close()} ends.
 *
 * <p>{@link #sending()} carries Bot API calls. {@link #polling()} carries {@code getUpdates}; its long poll can be
 * ended at once by {@link #abortPolls()}: the poll then answers "no updates" instead of failing, so TelegramBots'
 * poller neither logs an error nor sleeps in back-off while the controller shuts down. Both clients rethrow I/O
 * errors with the token scrubbed, so whatever TelegramBots logs about them is token-free.
 */
public final class BotHttp implements AutoCloseable {
    private static final MediaType JSON = MediaType.get("application/json");
    private static final String NO_UPDATES = "{\"ok\":true,\"result\":[]}";

    private final ExecutorService dispatcherExecutor;
    private final Dispatcher dispatcher;
    private final ConnectionPool pool;
    private final OkHttpClient sending;
    private final OkHttpClient polling;
    private final Set<Call> polls = ConcurrentHashMap.newKeySet();
    private volatile boolean aborting;

    public BotHttp(Redactor redactor, Duration pollTimeout) {
        dispatcherExecutor = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS,
                new SynchronousQueue<>(), NamedThreads.factory("http"));
        dispatcher = new Dispatcher(dispatcherExecutor);
        pool = new ConnectionPool(4, 2, TimeUnit.MINUTES);
        Interceptor scrubbing = chain -> {
            try {
                return chain.proceed(chain.request());
            } catch (IOException e) {
                throw redactor.scrub(e);
            }
        };
        sending = new OkHttpClient.Builder()
                .dispatcher(dispatcher)
                .connectionPool(pool)
                .connectTimeout(Duration.ofSeconds(20))
                .writeTimeout(Duration.ofSeconds(60))
                .readTimeout(pollTimeout.plusSeconds(15)) // a long poll is held up to pollTimeout by the server
                .addInterceptor(scrubbing)
                .build();
        polling = sending.newBuilder().addInterceptor(this::abortablePoll).build();
    }

    public OkHttpClient sending() {
        return sending;
    }

    public OkHttpClient polling() {
        return polling;
    }

    private Response abortablePoll(Interceptor.Chain chain) throws IOException {
        Request request = chain.request();
        if (aborting) {
            return noUpdates(request);
        }
        // run the request as its own call so cancelling it does not fail the outer call TelegramBots waits on
        Call call = sending.newCall(request);
        polls.add(call);
        try {
            if (aborting) {
                call.cancel();
            }
            return call.execute();
        } catch (IOException e) {
            if (aborting) {
                return noUpdates(request);
            }
            throw e;
        } finally {
            polls.remove(call);
        }
    }

    private static Response noUpdates(Request request) {
        return new Response.Builder().request(request).protocol(Protocol.HTTP_1_1).code(200).message("OK")
                .body(ResponseBody.create(NO_UPDATES, JSON)).build();
    }

    /** Ends held polls now and answers later ones with no updates. */
    public void abortPolls() {
        aborting = true;
        polls.forEach(Call::cancel);
    }

    /** Cancels what is still running and ends the client threads. */
    @Override
    public void close() {
        abortPolls();
        dispatcher.cancelAll();
        dispatcherExecutor.shutdown();
        try {
            if (!dispatcherExecutor.awaitTermination(2, TimeUnit.SECONDS)) {
                dispatcherExecutor.shutdownNow();
            }
        } catch (InterruptedException e) {
            dispatcherExecutor.shutdownNow();
            Thread.currentThread().interrupt();
        }
        pool.evictAll();
    }
}
