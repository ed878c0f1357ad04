package dev.wasched.telegram.internal;

import dev.wasched.NotFoundException;
import dev.wasched.ValidationException;
import dev.wasched.contact.Contact;
import dev.wasched.delivery.Delivery;
import dev.wasched.inbound.InboundMessage;
import dev.wasched.schedule.Schedule;
import dev.wasched.schedule.ScheduleSpec;
import dev.wasched.schedule.ScheduledMessage;
import dev.wasched.schedule.Target;
import dev.wasched.schedule.Trigger;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Two-way WhatsApp in Telegram: a message a contact sent is forwarded with who sent it and what it answers, ending
 * in a reference line ({@code ref ACCOUNT/MESSAGE-ID}); a Telegram reply to that forward is sent to the contact as a
 * one-time message due at once, so it is paced, retried and tracked like every other.
 */
public final class Replies {
    private static final Pattern REF = Pattern.compile("(?m)^ref ([A-Za-z0-9_.-]{1,100})/([A-Za-z0-9_.@-]{1,128})$");

    private Replies() {
    }

    /** The forward of {@code m}, looked up in the library for the contact's name and the answered message. */
    public static String forward(BotContext ctx, InboundMessage m) {
        String who = Optional.ofNullable(m.contactId()).flatMap(id -> found(() -> ctx.wasched().contacts().get(id)))
                .map(Contacts::label).orElse(m.sender());
        StringBuilder b = new StringBuilder("💬 ").append(who).append(" via ").append(m.account()).append(":\n")
                .append(m.mediaKind() == null ? "" : "[" + m.mediaKind() + "] ").append(Texts.cap(m.text(), 3000));
        if (m.repliedDeliveryId() != null) {
            Optional<Delivery> answered = found(() -> ctx.wasched().deliveries().get(m.repliedDeliveryId()));
            answered.ifPresent(d -> b.append("\n↪ answers: ").append(Texts.line(d.content().text(), 120)));
        }
        if (m.contactId() != null) {
            b.append("\nReply to this message to answer on WhatsApp.");
        }
        return b.append("\nref ").append(m.account()).append('/').append(m.messageId()).toString();
    }

    private static <T> Optional<T> found(java.util.function.Supplier<T> lookup) {
        try {
            return Optional.of(lookup.get());
        } catch (NotFoundException e) {
            return Optional.empty(); // deleted since
        }
    }

    /** The forwarded message that {@code repliedTo} (the text of the Telegram message answered) names, if any. */
    static Optional<String[]> reference(String repliedTo) {
        if (repliedTo == null) {
            return Optional.empty();
        }
        Matcher m = REF.matcher(repliedTo);
        return m.find() ? Optional.of(new String[] {m.group(1), m.group(2)}) : Optional.empty();
    }

    /** Sends {@code text} to the sender of the forwarded message; the answer to show in Telegram. */
    static String answer(BotContext ctx, String account, String messageId, String text) {
        InboundMessage m = ctx.wasched().inbound().find(account, messageId)
                .orElseThrow(() -> new NotFoundException("received message", messageId));
        if (m.contactId() == null) {
            throw new ValidationException("recipient", "WhatsApp did not tell the sender's number ("
                    + Texts.line(m.sender(), 60) + "), so nothing was sent");
        }
        Contact c = ctx.wasched().contacts().get(m.contactId());
        if (c.optedOut()) {
            throw new ValidationException("recipient", Contacts.label(c) + " has opted out; nothing was sent");
        }
        String body = Inputs.bounded("message", text, Inputs.MAX_MESSAGE);
        ScheduledMessage.text(body);
        Schedule s = ctx.wasched().schedules().create(ScheduleSpec.builder().name("Telegram reply").account(account)
                .to(Target.contacts(c.id())).text(body).trigger(Trigger.once(ctx.now())).build());
        return "📤 Answering " + Contacts.label(c) + " via " + account + " now (schedule " + Ids.shortId(s.id()) + ").";
    }
}
