package dev.wasched.telegram;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wasched.Wasched;
import dev.wasched.WaschedException;
import dev.wasched.telegram.internal.BotContext;
import dev.wasched.telegram.internal.BotHttp;
import dev.wasched.telegram.internal.NamedThreads;
import dev.wasched.telegram.internal.Notifier;
import dev.wasched.telegram.internal.Outbox;
import dev.wasched.telegram.internal.Redactor;
import dev.wasched.telegram.internal.UpdateHandler;
import dev.wasched.telegram.internal.UpdateReceiver;
import java.net.URI;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.telegram.telegrambots.client.okhttp.OkHttpTelegramClient;
import org.telegram.telegrambots.longpolling.TelegramBotsLongPollingApplication;
import org.telegram.telegrambots.longpolling.util.ExponentialBackOff;
import org.telegram.telegrambots.meta.TelegramUrl;
import org.telegram.telegrambots.meta.api.methods.GetMe;
import org.telegram.telegrambots.meta.api.methods.commands.SetMyCommands;
import org.telegram.telegrambots.meta.api.methods.updates.GetUpdates;
import org.telegram.telegrambots.meta.api.objects.User;
import org.telegram.telegrambots.meta.api.objects.commands.BotCommand;
import org.telegram.telegrambots.meta.exceptions.TelegramApiException;
import org.telegram.telegrambots.meta.exceptions.TelegramApiRequestException;

/**
 * Remote control and notifications for a {@link Wasched} over a Telegram bot (TelegramBots 10.x, long polling).
 *
 * <pre>{@code
 * try (TelegramController telegram = new TelegramController(wasched, TelegramControllerConfig.builder()
 *         .token(Secret.fromEnv("WASCHED_TELEGRAM_TOKEN"))
 *         .allowChat(123456789L)
 *         .build())) {
 *     telegram.start();
 *     ...
 * }
 * }</pre>
 *
 * <p>Commands: {@code /status}, {@code /schedules}, {@code /schedule} (a wizard), {@code /send}, {@code /contacts},
 * {@code /dlq}, {@code /uncertain} (requeueing an UNCERTAIN delivery asks for a confirmation), {@code /pause}, {@code /resume}, {@code /cancel}, {@code /help}. Only chats on the allow-list are
 * answered. Engine events become notifications as configured; the listener only enqueues, so Telegram never slows
 * the engine down. Outgoing requests keep Telegram's limits (per chat and overall) and wait out a 429.
 *
 * <p>The controller runs on its own threads (named {@code wasched-telegram-*}): one polls, one handles updates,
 * one sends, and the HTTP client's; {@link #close()} ends all of them. The token never appears in its logs,
 * exceptions or {@code toString}.
 */
public final class TelegramController implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TelegramController.class);
    private static final List<String> UPDATE_KINDS = List.of("message", "callback_query");

    private enum State { NEW, RUNNING, CLOSED }

    private final Wasched wasched;
    private final TelegramControllerConfig config;
    private final Redactor redactor;
    private final TelegramUrl telegramUrl;
    private final String endpoint;
    private final BotHttp http;
    private final OkHttpTelegramClient client;
    private final Outbox outbox;
    private final UpdateHandler handler;
    private final UpdateReceiver receiver;
    private final Notifier notifier;
    private final ScheduledExecutorService pollExecutor;
    private TelegramBotsLongPollingApplication polling;
    private State state = State.NEW;

    public TelegramController(Wasched wasched, TelegramControllerConfig config) {
        this.wasched = Objects.requireNonNull(wasched, "wasched");
        this.config = Objects.requireNonNull(config, "config");
        String token = config.token().reveal();
        this.redactor = new Redactor(token);
        URI url = config.baseUrl();
        String scheme = url.getScheme().toLowerCase(Locale.ROOT);
        int port = url.getPort() != -1 ? url.getPort() : scheme.equals("https") ? 443 : 80;
        this.telegramUrl = new TelegramUrl(scheme, url.getHost(), port, false);
        this.endpoint = scheme + "://" + url.getHost() + ":" + port;
        this.http = new BotHttp(redactor, config.pollTimeout());
        this.client = new OkHttpTelegramClient(http.sending(), token, telegramUrl);
        this.outbox = new Outbox(client, redactor, config.perChatInterval(), config.globalMessagesPerSecond());
        ZoneId zone = config.zone() != null ? config.zone() : wasched.config().defaultZone();
        BotContext ctx = new BotContext(wasched, outbox, zone, config.clock(), config.account());
        this.handler = new UpdateHandler(ctx, config.allowedChatIds(), redactor, config.wizardExpiry(),
                config.requeueConfirmExpiry());
        this.receiver = new UpdateReceiver(handler);
        this.notifier = new Notifier(outbox, config.notifications(), zone, m -> dev.wasched.telegram.internal.Replies.forward(ctx, m));
        this.pollExecutor = Executors.newSingleThreadScheduledExecutor(NamedThreads.factory("poll"));
    }

    /**
     * Checks the token with the Bot API, starts polling for updates and registers the notification listener.
     * Calling it again does nothing.
     *
     * @throws WaschedException when the Bot API cannot be reached or rejects the token (the controller is then
     *                          closed); the message never contains the token
     * @throws IllegalStateException after {@link #close()}
     */
    public synchronized void start() {
        if (state == State.RUNNING) {
            return;
        }
        if (state == State.CLOSED) {
            throw new IllegalStateException("the Telegram controller was closed");
        }
        try {
            User me = client.execute(new GetMe());
            handler.botUsername(me.getUserName());
            outbox.start();
            polling = new TelegramBotsLongPollingApplication(ObjectMapper::new, http::polling, () -> pollExecutor,
                    ExponentialBackOff::new);
            int pollSeconds = (int) config.pollTimeout().toSeconds();
            // the application starts out running: registering deletes a webhook, then polls on pollExecutor
            polling.registerBot(config.token().reveal(), () -> telegramUrl, offset -> GetUpdates.builder()
                    .offset(offset + 1).limit(100).timeout(pollSeconds).allowedUpdates(UPDATE_KINDS).build(), receiver);
            state = State.RUNNING;
            wasched.addListener(notifier);
            outbox.call("setMyCommands", SetMyCommands.builder().commands(commands()).build());
            log.info("Telegram controller started as @{} at {}; {} allowed chat(s), notifications to {} chat(s)",
                    me.getUserName(), endpoint, config.allowedChatIds().size(), config.notifications().size());
        } catch (TelegramApiException | RuntimeException e) {
            WaschedException failure = startFailure(e);
            log.error("Telegram controller could not start: {}", failure.getMessage());
            close();
            throw failure;
        }
    }

    private WaschedException startFailure(Exception e) {
        if (e instanceof TelegramApiRequestException r && r.getErrorCode() != null
                && (r.getErrorCode() == 401 || r.getErrorCode() == 404)) {
            return new WaschedException("the Telegram Bot API at " + endpoint + " rejected the bot token (HTTP "
                    + r.getErrorCode() + "); check the token from BotFather");
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String why = redactor.scrub(String.valueOf(e.getMessage()))
                + (root == e ? "" : " (" + redactor.scrub(root.toString()) + ")");
        return new WaschedException("cannot start the Telegram controller against " + endpoint + ": " + why,
                redactor.scrub(e));
    }

    private static List<BotCommand> commands() {
        return List.of(
                command("status", "health, accounts, queue, last sends"),
                command("schedules", "list, pause, resume or delete schedules"),
                command("schedule", "create a schedule step by step"),
                command("send", "send now: /send <number|#tag> <text>"),
                command("contacts", "find contacts"),
                command("dlq", "dead letters: requeue them"),
                command("uncertain", "unknown outcomes: evidence, requeue after confirming"),
                command("pause", "pause all sending"),
                command("resume", "resume sending"),
                command("cancel", "stop the schedule wizard"),
                command("help", "what the bot can do"));
    }

    private static BotCommand command(String name, String description) {
        return BotCommand.builder().command(name).description(description).build();
    }

    public synchronized boolean isRunning() {
        return state == State.RUNNING;
    }

    /**
     * Stops polling, lets commands in progress finish, sends what is queued (all within the shutdown timeout) and
     * ends every thread the controller started. A second call does nothing.
     */
    @Override
    public synchronized void close() {
        if (state == State.CLOSED) {
            return;
        }
        boolean wasRunning = state == State.RUNNING;
        state = State.CLOSED;
        long deadline = System.nanoTime() + config.shutdownTimeout().toNanos();
        wasched.removeListener(notifier);
        stopPolling();
        if (wasRunning) {
            confirmUpdates();
        }
        receiver.shutdown(remaining(deadline, Duration.ofMillis(100)));
        outbox.close(remaining(deadline, Duration.ofMillis(100)));
        http.close();
        if (wasRunning) {
            log.info("Telegram controller stopped in {} ms", TimeUnit.NANOSECONDS.toMillis(
                    System.nanoTime() - deadline + config.shutdownTimeout().toNanos()));
        }
    }

    private void stopPolling() {
        if (polling != null) {
            try {
                polling.close(); // cancels the polling task; a poll in flight is ended just below
            } catch (Exception e) {
                log.debug("Closing TelegramBots' polling failed", redactor.scrub(e));
            }
        }
        http.abortPolls();
        pollExecutor.shutdown();
        try {
            if (!pollExecutor.awaitTermination(2, TimeUnit.SECONDS)) {
                pollExecutor.shutdownNow(); // a back-off sleep after a failed poll
                pollExecutor.awaitTermination(1, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            pollExecutor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    /**
     * TelegramBots confirms updates only with its next poll; without this, the updates of the last poll would be
     * delivered again after a restart (and a {@code /send} would run twice).
     */
    private void confirmUpdates() {
        int last = receiver.lastUpdateId();
        if (last <= 0) {
            return;
        }
        try {
            client.execute(GetUpdates.builder().offset(last + 1).limit(1).timeout(0).allowedUpdates(UPDATE_KINDS)
                    .build());
        } catch (TelegramApiException | RuntimeException e) {
            log.debug("Could not confirm Telegram updates up to {}: {}", last,
                    redactor.scrub(String.valueOf(e.getMessage())));
        }
    }

    private static Duration remaining(long deadline, Duration atLeast) {
        Duration left = Duration.ofNanos(deadline - System.nanoTime());
        return left.compareTo(atLeast) < 0 ? atLeast : left;
    }

    @Override
    public String toString() {
        return "TelegramController[" + endpoint + ", " + config.allowedChatIds().size() + " allowed chat(s), "
                + state.name().toLowerCase(Locale.ROOT) + "]";
    }
}
