package dev.wasched.telegram.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.wasched.WaschedException;
import java.time.Duration;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.telegram.telegrambots.meta.api.objects.CallbackQuery;
import org.telegram.telegrambots.meta.api.objects.Update;
import org.telegram.telegrambots.meta.api.objects.message.MaybeInaccessibleMessage;
import org.telegram.telegrambots.meta.api.objects.message.Message;

/**
 * Acts on one update at a time: drops updates from chats that are not allowed (logging the chat id, never the
 * content), routes commands, wizard answers and button presses, and turns wasched's typed errors into replies that
 * name the problem. Commands are read from the text, not from {@code Message.isCommand()}, which TelegramBots only
 * fills after {@code getEntities()} was called.
 */
public final class UpdateHandler {
    private static final Logger log = LoggerFactory.getLogger(UpdateHandler.class);
    /** Longest text looked at; Telegram's own limit is 4096, anything longer is cut before parsing. */
    private static final int MAX_TEXT = 2 * Inputs.MAX_MESSAGE;
    static final String HELP = """
            wasched remote control

            /status – health, accounts, queue, last sends
            /schedules – list schedules; pause, resume or delete them
            /schedule – create a schedule step by step
            /send <number|#tag> <text> – send now
            /contacts [name or digits] – find contacts
            /dlq – dead letters; requeue them
            /uncertain – sends with an unknown outcome; requeue after a confirmation
            /pause – pause all sending (schedules keep firing)
            /resume – resume sending
            /cancel – stop the /schedule wizard
            /help – this text""";

    private final BotContext ctx;
    private final Set<Long> allowed;
    private final Redactor redactor;
    private final ScheduleWizard wizard;
    private final ScheduleList schedules;
    private final DeadLetterList deadLetters;
    private final UncertainList uncertain;
    private final RequeueConfirmation requeueConfirmation;
    private volatile String botUsername;
    private final Cache<Long, Boolean> reportedStrangers = Caffeine.newBuilder().executor(Runnable::run)
            .expireAfterWrite(Duration.ofMinutes(10)).maximumSize(10_000).build();

    public UpdateHandler(BotContext ctx, Set<Long> allowed, Redactor redactor, Duration wizardExpiry,
                         Duration requeueConfirmExpiry) {
        this.ctx = ctx;
        this.allowed = Set.copyOf(allowed);
        this.redactor = redactor;
        PageMemory pages = new PageMemory();
        this.wizard = new ScheduleWizard(ctx, wizardExpiry, ctx.clock());
        this.schedules = new ScheduleList(ctx, pages);
        this.requeueConfirmation = new RequeueConfirmation(ctx, requeueConfirmExpiry);
        this.deadLetters = new DeadLetterList(ctx, pages, requeueConfirmation);
        this.uncertain = new UncertainList(ctx, pages, requeueConfirmation);
    }

    /** The bot's own username (from getMe), to ignore commands addressed to other bots in a group. */
    public void botUsername(String username) {
        this.botUsername = username;
    }

    public void handle(Update update) {
        try {
            if (update.hasMessage()) {
                onMessage(update.getMessage());
            } else if (update.hasCallbackQuery()) {
                onCallback(update.getCallbackQuery());
            } else {
                log.debug("Ignored update {}: not a message or a button press", update.getUpdateId());
            }
        } catch (RuntimeException e) {
            log.warn("Telegram update {} could not be handled", update.getUpdateId(), redactor.scrub(e));
        }
    }

    private boolean allowed(Long chatId, String kind) {
        if (chatId != null && allowed.contains(chatId)) {
            return true;
        }
        // never the content: a stranger's text may be anything, including personal data
        if (chatId != null && reportedStrangers.asMap().putIfAbsent(chatId, Boolean.TRUE) == null) {
            log.warn("Ignored a {} from chat {}: not an allowed chat (more from it within 10 minutes are logged at DEBUG)",
                    kind, chatId);
        } else {
            log.debug("Ignored a {} from chat {}: not an allowed chat", kind, chatId);
        }
        return false;
    }

    private void onMessage(Message m) {
        long chatId = m.getChatId();
        if (!allowed(chatId, "message")) {
            return;
        }
        String text = m.getText();
        if (text == null || text.isBlank()) {
            ctx.outbox().sendText(chatId, "I read text only: /help lists the commands.");
            return;
        }
        String input = text.length() > MAX_TEXT ? text.substring(0, MAX_TEXT) : text;
        Message repliedTo = m.getReplyToMessage();
        java.util.Optional<String[]> ref = repliedTo == null ? java.util.Optional.empty()
                : Replies.reference(repliedTo.getText());
        if (ref.isPresent() && Inputs.command(input.strip()) == null) {
            replying(chatId, () -> ctx.outbox().sendText(chatId,
                    Replies.answer(ctx, ref.get()[0], ref.get()[1], input.strip())));
            return;
        }
        replying(chatId, () -> onText(chatId, input.strip()));
    }

    private void onText(long chatId, String text) {
        Inputs.Command c = Inputs.command(text);
        if (c == null) {
            wizard.onText(chatId, text);
            return;
        }
        String me = botUsername;
        if (c.addressedTo() != null && me != null && !c.addressedTo().equalsIgnoreCase(me)) {
            return; // "/status@otherbot" in a group
        }
        switch (c.name()) {
            case "start", "help" -> ctx.outbox().sendText(chatId, HELP);
            case "status" -> ctx.outbox().sendText(chatId, StatusView.render(ctx));
            case "schedules" -> schedules.show(chatId);
            case "schedule" -> wizard.start(chatId);
            case "cancel" -> wizard.cancel(chatId);
            case "send" -> ctx.outbox().sendText(chatId, SendCommand.run(ctx, c.args()));
            case "contacts" -> ctx.outbox().sendText(chatId, Contacts.search(ctx, c.args()));
            case "dlq" -> deadLetters.show(chatId);
            case "uncertain" -> uncertain.show(chatId);
            case "pause" -> {
                boolean was = ctx.wasched().isSendingPaused();
                ctx.wasched().pauseSending();
                ctx.outbox().sendText(chatId, was ? "Sending was paused already. /resume sends again."
                        : "⏸ Sending paused on every instance. Schedules keep firing and their messages wait; "
                        + "/resume sends again.");
            }
            case "resume" -> {
                boolean was = ctx.wasched().isSendingPaused();
                ctx.wasched().resumeSending();
                ctx.outbox().sendText(chatId, was ? "▶ Sending resumed." : "Sending was not paused.");
            }
            default -> ctx.outbox().sendText(chatId, "Unknown command /" + Texts.cap(c.name(), 40)
                    + ". /help lists the commands.");
        }
    }

    private void onCallback(CallbackQuery q) {
        MaybeInaccessibleMessage m = q.getMessage();
        if (m == null) {
            log.debug("Ignored a button press without a message (inline mode)");
            return;
        }
        long chatId = m.getChatId();
        if (!allowed(chatId, "button press")) {
            return; // not even answered: a stranger learns nothing
        }
        int messageId = m.getMessageId();
        String data = q.getData() == null ? "" : q.getData();
        String answer;
        try {
            answer = route(chatId, messageId, data);
        } catch (WaschedException e) {
            answer = "❌ " + e.getMessage();
        } catch (RuntimeException e) {
            log.warn("Telegram button press in chat {} failed", chatId, redactor.scrub(e));
            answer = "❌ Something went wrong; the application log has the details.";
        }
        ctx.outbox().answerCallback(chatId, q.getId(), answer);
    }

    private String route(long chatId, int messageId, String data) {
        if (data.length() > Keyboard.MAX_CALLBACK_DATA) {
            return "Unknown button";
        }
        if (data.startsWith(ScheduleList.PREFIX)) {
            return schedules.onCallback(chatId, messageId, data);
        }
        if (data.startsWith(DeadLetterList.PREFIX)) {
            return deadLetters.onCallback(chatId, messageId, data);
        }
        if (data.startsWith(UncertainList.PREFIX)) {
            return uncertain.onCallback(chatId, messageId, data);
        }
        if (data.startsWith(RequeueConfirmation.PREFIX)) {
            return requeueConfirmation.onCallback(chatId, messageId, data);
        }
        if (data.startsWith(ScheduleWizard.PREFIX)) {
            return wizard.onCallback(chatId, data);
        }
        return "Unknown button";
    }

    /** Runs a command; a typed wasched error becomes a reply naming the problem. */
    private void replying(long chatId, Runnable command) {
        try {
            command.run();
        } catch (WaschedException e) {
            ctx.outbox().sendText(chatId, "❌ " + e.getMessage());
        } catch (RuntimeException e) {
            log.warn("Telegram command in chat {} failed", chatId, redactor.scrub(e));
            ctx.outbox().sendText(chatId, "❌ Something went wrong; the application log has the details.");
        }
    }
}
