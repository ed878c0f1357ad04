package dev.wasched.telegram.internal;

import dev.wasched.delivery.Delivery;

/**
 * What is known about an UNCERTAIN delivery, as a person needs it to decide whether to send it again: recipient,
 * account, since when, why, whether WhatsApp's id for the message was seen, attempts. Never the message text, and
 * never the WhatsApp id itself (WhatsApp Web ids contain the chat's phone number); the reason is the delivery's
 * {@code lastError}, which the core has already cleaned of URLs and queries.
 */
final class Evidence {
    static final int MAX_REASON = 200;

    private Evidence() {
    }

    /** Whether the transport saw WhatsApp's id for the message before the outcome was lost. */
    static boolean idSeen(Delivery d) {
        return d.transportMessageId() != null && !d.transportMessageId().isBlank();
    }

    static String reason(Delivery d) {
        return d.lastError() == null ? "unknown" : Texts.line(d.lastError(), MAX_REASON);
    }

    /** Two indented lines for a list item. */
    static String shortLines(BotContext ctx, Delivery d) {
        return "\n   uncertain since " + ctx.time(d.updatedAt()) + " · " + d.attempts() + " attempt(s) · WhatsApp id "
                + (idSeen(d) ? "seen" : "not seen")
                + "\n   why: " + reason(d);
    }

    /** The evidence block of a confirmation question. */
    static String full(BotContext ctx, Delivery d) {
        return "To: " + Recipients.describe(d.recipient()) + " via " + d.account()
                + "\nUncertain since: " + ctx.time(d.updatedAt())
                + "\nWhy: " + reason(d)
                + "\nWhatsApp message id seen: " + (idSeen(d)
                        ? "yes (the transport saw the message's id, so it has probably gone out)"
                        : "no (it may or may not have gone out)")
                + "\nAttempts: " + d.attempts();
    }
}
