package dev.wasched.telegram.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.wasched.PageRequest;
import dev.wasched.WaschedException;
import dev.wasched.contact.Contact;
import dev.wasched.contact.ContactSpec;
import dev.wasched.contact.PhoneNumber;
import dev.wasched.message.Template;
import dev.wasched.schedule.Schedule;
import dev.wasched.schedule.ScheduleSpec;
import dev.wasched.schedule.ScheduledMessage;
import dev.wasched.schedule.Target;
import dev.wasched.schedule.Trigger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code /schedule}: a step-by-step wizard, one per chat: recipient (number, contact name or #tag) → message (text
 * or template) → when (now, a time, an interval or cron) → confirm. State lives in a Caffeine cache that forgets a
 * wizard left alone for the expiry; an answer that arrives later is told so. Callback data: {@code w:c:<contactId>},
 * {@code w:t:<template>}, {@code w:now}, {@code w:ok}, {@code w:x} (cancel).
 */
final class ScheduleWizard {
    static final String PREFIX = "w:";
    private static final int CONTACT_CHOICES = 6;
    private static final int TEMPLATE_CHOICES = 8;

    enum Step { RECIPIENT, MESSAGE, WHEN, CONFIRM }

    /** Who the schedule goes to; a new number becomes a contact only when the schedule is created. */
    sealed interface Who {
        String label();
    }

    record TagWho(String tag) implements Who {
        public String label() {
            return "everyone tagged #" + tag;
        }
    }

    record ContactWho(String contactId, String label) implements Who {
    }

    record NumberWho(String e164) implements Who {
        public String label() {
            return e164 + " (new contact)";
        }
    }

    record State(Step step, String account, Who who, ScheduledMessage message, Inputs.When when) {
        State with(Step next) {
            return new State(next, account, who, message, when);
        }
    }

    private final BotContext ctx;
    private final Duration expiry;
    private final Cache<Long, State> wizards;
    /** Chats whose wizard expired, so their next answer gets "expired" rather than "unknown". */
    private final Cache<Long, Boolean> expired;

    ScheduleWizard(BotContext ctx, Duration expiry, Clock clock) {
        this.ctx = ctx;
        this.expiry = expiry;
        Ticker ticker = () -> {
            Instant now = clock.instant();
            return now.getEpochSecond() * 1_000_000_000L + now.getNano();
        };
        this.expired = Caffeine.newBuilder().ticker(ticker).executor(Runnable::run)
                .expireAfterWrite(Duration.ofDays(1)).maximumSize(10_000).build();
        this.wizards = Caffeine.newBuilder().ticker(ticker).executor(Runnable::run)
                .expireAfterAccess(expiry).maximumSize(10_000)
                .<Long, State>removalListener((chat, state, cause) -> {
                    if (cause == RemovalCause.EXPIRED && chat != null) {
                        expired.put(chat, Boolean.TRUE);
                    }
                })
                .build();
    }

    private State current(long chatId) {
        wizards.cleanUp(); // runs expiry now (and the listener, on this thread)
        return wizards.getIfPresent(chatId);
    }

    void start(long chatId) {
        String account = ctx.account(null);
        expired.invalidate(chatId);
        wizards.put(chatId, new State(Step.RECIPIENT, account, null, null, null));
        ctx.outbox().sendText(chatId, "🗓 New schedule (via " + account + "). /cancel stops.\n\n"
                + "Step 1/4: who should receive it?\nSend a phone number (+4915112345678), part of a contact's name, "
                + "or #tag for everyone with that tag.", cancelOnly());
    }

    void cancel(long chatId) {
        if (current(chatId) == null) {
            ctx.outbox().sendText(chatId, "Nothing to cancel.");
            return;
        }
        wizards.invalidate(chatId);
        ctx.outbox().sendText(chatId, "Cancelled; nothing was created.");
    }

    /** Text that is not a command: the answer to the wizard's current step. */
    void onText(long chatId, String text) {
        State s = current(chatId);
        if (s == null) {
            ctx.outbox().sendText(chatId, wasExpired(chatId) ? expiredText()
                    : "I understand commands only: /help lists them.");
            return;
        }
        switch (s.step()) {
            case RECIPIENT -> recipient(chatId, s, text);
            case MESSAGE -> message(chatId, s, text);
            case WHEN -> when(chatId, s, Inputs.when(text, ctx.zone(), ctx.now()));
            case CONFIRM -> {
                String answer = text.strip().toLowerCase(Locale.ROOT);
                if (answer.equals("yes") || answer.equals("create")) {
                    create(chatId, s);
                } else if (answer.equals("no") || answer.equals("cancel")) {
                    cancel(chatId);
                } else {
                    ctx.outbox().sendText(chatId, "Press Create or Cancel (or send yes or no).");
                }
            }
        }
    }

    String onCallback(long chatId, String data) {
        State s = current(chatId);
        if (s == null) {
            if (wasExpired(chatId)) {
                ctx.outbox().sendText(chatId, expiredText());
                return "This wizard expired";
            }
            return "This wizard is over; /schedule starts a new one";
        }
        String[] parts = data.split(":", 3);
        String op = parts.length > 1 ? parts[1] : "";
        String arg = parts.length > 2 ? parts[2] : null;
        switch (op) {
            case "x" -> {
                cancel(chatId);
                return "Cancelled";
            }
            case "c" -> {
                if (s.step() != Step.RECIPIENT) {
                    return "That step is done already";
                }
                Contact c = ctx.wasched().contacts().get(Ids.require(arg));
                toMessage(chatId, s, new ContactWho(c.id(), Contacts.label(c)));
                return Contacts.label(c);
            }
            case "t" -> {
                if (s.step() != Step.MESSAGE) {
                    return "That step is done already";
                }
                Template t = ctx.wasched().templates().get(Template.validateName(arg));
                toWhen(chatId, s, ScheduledMessage.template(t.name(), Map.of()));
                return "Template " + t.name();
            }
            case "now" -> {
                if (s.step() != Step.WHEN) {
                    return "That step is done already";
                }
                when(chatId, s, Inputs.when("now", ctx.zone(), ctx.now()));
                return "Now";
            }
            case "ok" -> {
                if (s.step() != Step.CONFIRM) {
                    return "Not ready to create yet";
                }
                create(chatId, s);
                return "Creating";
            }
            default -> {
                return "Unknown button";
            }
        }
    }

    private boolean wasExpired(long chatId) {
        if (expired.getIfPresent(chatId) == null) {
            return false;
        }
        expired.invalidate(chatId);
        return true;
    }

    private String expiredText() {
        return "⌛ Your /schedule wizard expired: no answer for " + Texts.duration(expiry)
                + ". Nothing was created. Send /schedule to start again.";
    }

    private void recipient(long chatId, State s, String input) {
        String text = Inputs.bounded("recipient", input, Inputs.MAX_QUERY);
        if (text.startsWith("#")) {
            toMessage(chatId, s, new TagWho(ContactSpec.normalizeTag(text.substring(1))));
            return;
        }
        if (Inputs.looksLikePhone(text)) {
            PhoneNumber phone = PhoneNumber.parse(text, ctx.wasched().config().defaultRegion());
            Who who = ctx.wasched().contacts().findByPhone(phone.e164())
                    .<Who>map(c -> new ContactWho(c.id(), Contacts.label(c)))
                    .orElse(new NumberWho(phone.e164()));
            toMessage(chatId, s, who);
            return;
        }
        List<Contact> found = ctx.wasched().contacts().search(text, PageRequest.first(CONTACT_CHOICES)).items();
        if (found.isEmpty()) {
            ctx.outbox().sendText(chatId, "No contact matches '" + text + "'. Send a phone number, part of a name, "
                    + "or #tag.", cancelOnly());
        } else if (found.size() == 1) {
            toMessage(chatId, s, new ContactWho(found.get(0).id(), Contacts.label(found.get(0))));
        } else {
            Keyboard k = new Keyboard();
            found.forEach(c -> k.row().button(Contacts.label(c), PREFIX + "c:" + c.id()));
            k.row().button("✖ Cancel", PREFIX + "x");
            ctx.outbox().sendText(chatId, "Several contacts match '" + text + "'. Which one?", k.build());
        }
    }

    private void toMessage(long chatId, State s, Who who) {
        wizards.put(chatId, new State(Step.MESSAGE, s.account(), who, null, null));
        Keyboard k = new Keyboard();
        List<Template> templates = ctx.wasched().templates().list();
        templates.stream().filter(t -> Keyboard.fits(PREFIX + "t:" + t.name())).limit(TEMPLATE_CHOICES)
                .forEach(t -> k.row().button("📄 " + t.name(), PREFIX + "t:" + t.name()));
        k.row().button("✖ Cancel", PREFIX + "x");
        ctx.outbox().sendText(chatId, "To: " + who.label() + "\n\nStep 2/4: what should it say?\nSend the text "
                + "({{name}} and other placeholders work)" + (templates.isEmpty() ? "." : ", pick a template, or send "
                + "template <name>."), k.build());
    }

    private void message(long chatId, State s, String input) {
        String text = Inputs.bounded("message", input, Inputs.MAX_MESSAGE);
        if (text.toLowerCase(Locale.ROOT).startsWith("template ")) {
            Template t = ctx.wasched().templates().get(Template.validateName(text.substring(9).strip()));
            toWhen(chatId, s, ScheduledMessage.template(t.name(), Map.of()));
        } else {
            toWhen(chatId, s, ScheduledMessage.text(text));
        }
    }

    private void toWhen(long chatId, State s, ScheduledMessage message) {
        wizards.put(chatId, new State(Step.WHEN, s.account(), s.who(), message, null));
        Keyboard k = new Keyboard().button("▶ Now", PREFIX + "now").button("✖ Cancel", PREFIX + "x");
        ctx.outbox().sendText(chatId, "Message: " + ScheduleList.message(message) + "\n\nStep 3/4: when?\n"
                + "Send now, in 30m, 2026-06-01 08:00, 08:00, every 2h, or a cron expression such as "
                + "0 8 * * MON-FRI or @daily (quartz … or spring … for those; times in " + ctx.zone() + ").",
                k.build());
    }

    private void when(long chatId, State s, Inputs.When when) {
        State next = new State(Step.CONFIRM, s.account(), s.who(), s.message(), when);
        wizards.put(chatId, next);
        Instant now = ctx.now();
        String first = when.now() ? "now" : when.trigger().first(now).map(ctx::time).orElse("never");
        Keyboard k = new Keyboard().button("✅ Create", PREFIX + "ok").button("✖ Cancel", PREFIX + "x");
        ctx.outbox().sendText(chatId, "Step 4/4: create this schedule?\n\nTo: " + s.who().label()
                + "\nMessage: " + ScheduleList.message(s.message())
                + "\nWhen: " + when.label() + (when.trigger() instanceof Trigger.Once || when.now() ? "" : ", first " + first)
                + "\nAccount: " + s.account(), k.build());
    }

    private void create(long chatId, State s) {
        wizards.invalidate(chatId);
        try {
            Target target;
            if (s.who() instanceof TagWho tag) {
                target = Target.tag(tag.tag());
            } else if (s.who() instanceof ContactWho c) {
                target = Target.contacts(c.contactId());
            } else {
                target = Target.contacts(SendCommand.findOrCreate(ctx, ((NumberWho) s.who()).e164()).id());
            }
            ScheduleSpec.Builder b = ScheduleSpec.builder().name("Telegram /schedule").account(s.account()).to(target)
                    .trigger(s.when().trigger(ctx.now()));
            if (s.message().templateName() != null) {
                b.template(s.message().templateName(), s.message().variables());
            } else {
                b.text(s.message().text());
            }
            Schedule created = ctx.wasched().schedules().create(b.build());
            ctx.outbox().sendText(chatId, "✅ Schedule created (" + Ids.shortId(created.id()) + "): next "
                    + ctx.time(created.nextFireAt()) + ". /schedules lists it.");
        } catch (WaschedException e) {
            ctx.outbox().sendText(chatId, "❌ Could not create the schedule: " + e.getMessage()
                    + "\nNothing was created; /schedule starts again.");
        }
    }

    private static org.telegram.telegrambots.meta.api.objects.replykeyboard.InlineKeyboardMarkup cancelOnly() {
        return new Keyboard().button("✖ Cancel", PREFIX + "x").build();
    }
}
