package dev.wasched.telegram.internal;

import dev.wasched.PageRequest;
import dev.wasched.ValidationException;
import dev.wasched.contact.Contact;
import dev.wasched.contact.ContactSpec;
import dev.wasched.contact.DuplicateContactException;
import dev.wasched.schedule.Schedule;
import dev.wasched.schedule.ScheduleSpec;
import dev.wasched.schedule.ScheduledMessage;
import dev.wasched.schedule.Target;
import dev.wasched.schedule.Trigger;
import java.util.regex.Pattern;

/**
 * {@code /send [@account] <+number|#tag> <text>}: sends now, as a one-time schedule due at once (so it is paced,
 * retried and tracked like everything else). A number that is no contact yet becomes one (no name, no tags).
 */
final class SendCommand {
    static final String USAGE = "Usage: /send <number|#tag> <text>, for example /send +4915112345678 Hello\n"
            + "(with several WhatsApp accounts: /send @account +4915112345678 Hello)";
    private static final Pattern ACCOUNT = Pattern.compile("@[A-Za-z0-9_.-]{1,64}");

    private SendCommand() {
    }

    static String run(BotContext ctx, String args) {
        String rest = args.strip();
        String account = null;
        String[] first = rest.split("\\s+", 2);
        if (first[0].startsWith("@")) {
            if (!ACCOUNT.matcher(first[0]).matches()) {
                throw new ValidationException("account", "'" + Texts.cap(first[0], 70) + "' is not an account name");
            }
            account = first[0].substring(1);
            rest = first.length > 1 ? first[1] : "";
        }
        String[] parts = rest.split("\\s+", 2);
        if (parts[0].isEmpty() || parts.length < 2 || parts[1].isBlank()) {
            return USAGE;
        }
        String recipient = Texts.cap(parts[0], Inputs.MAX_QUERY);
        String text = Inputs.bounded("message", parts[1], Inputs.MAX_MESSAGE);
        String acc = ctx.account(account);
        ScheduledMessage.text(text); // validate before a contact is created for a new number
        Target target;
        String who;
        if (recipient.startsWith("#")) {
            String tag = ContactSpec.normalizeTag(recipient.substring(1));
            if (ctx.wasched().contacts().withTag(tag, PageRequest.first(1)).items().isEmpty()) {
                throw new ValidationException("tag", "no contact has the tag #" + tag + "; nothing was sent");
            }
            target = Target.tag(tag);
            who = "everyone tagged #" + tag;
        } else {
            Contact c = findOrCreate(ctx, recipient);
            if (c.optedOut()) {
                throw new ValidationException("recipient", Contacts.label(c) + " has opted out; nothing was sent");
            }
            target = Target.contacts(c.id());
            who = Contacts.label(c);
        }
        Schedule s = ctx.wasched().schedules().create(ScheduleSpec.builder()
                .name("Telegram /send")
                .account(acc)
                .to(target)
                .text(text)
                .trigger(Trigger.once(ctx.now()))
                .build());
        return "📤 Sending to " + who + " via " + acc + " now (schedule " + Ids.shortId(s.id()) + ").";
    }

    /** The contact with this number, created when there is none; InvalidPhoneNumberException names bad input. */
    static Contact findOrCreate(BotContext ctx, String phone) {
        return ctx.wasched().contacts().findByPhone(phone).orElseGet(() -> {
            try {
                return ctx.wasched().contacts().create(ContactSpec.builder().phone(phone).build());
            } catch (DuplicateContactException e) {
                return ctx.wasched().contacts().findByPhone(phone).orElseThrow(() -> e);
            }
        });
    }
}
