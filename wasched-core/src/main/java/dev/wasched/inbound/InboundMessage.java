package dev.wasched.inbound;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * A message someone sent to one of the accounts, as the engine heard it from the account's transport.
 *
 * @param id              the engine's id of the message (time-ordered, like every id it makes)
 * @param account         the account that received it
 * @param messageId       WhatsApp's id of the message (unique per account)
 * @param sender          who sent it: an E.164 number ({@code +4915112345678}) when WhatsApp told the number, else
 *                        WhatsApp's own id of the sender (a LID such as {@code 123456789012345@lid})
 * @param chat            the chat it arrived in, as WhatsApp names it ({@code 4915112345678@c.us}, {@code …@lid},
 *                        {@code …@g.us} for a group)
 * @param contactId       the contact with the sender's number, or null when there is none (or the number is unknown)
 * @param text            the text or caption; empty for media without one
 * @param mediaKind       {@code image}, {@code video}, {@code audio}, {@code document}, {@code sticker} …; null for
 *                        text
 * @param quotedMessageId the id of the message it quotes (answers), or null
 * @param sentAt          when the sender sent it (WhatsApp's timestamp, whole seconds)
 * @param receivedAt      when the engine heard of it
 * @param repliedDeliveryId the delivery it answers: the one whose message it quotes, else the newest delivery that
 *                          reached the contact from this account; null when there is none
 */
public record InboundMessage(String id, String account, String messageId, String sender, String chat,
                             String contactId, String text, String mediaKind, String quotedMessageId, Instant sentAt,
                             Instant receivedAt, String repliedDeliveryId) {
    public InboundMessage {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(chat, "chat");
        text = text == null ? "" : text;
        // Whole milliseconds, as every store keeps them.
        sentAt = Objects.requireNonNull(sentAt, "sentAt").truncatedTo(ChronoUnit.MILLIS);
        receivedAt = Objects.requireNonNull(receivedAt, "receivedAt").truncatedTo(ChronoUnit.MILLIS);
    }

    /** Whether the sender is known by phone number ({@link #sender()} is E.164). */
    public boolean senderIsNumber() {
        return sender.startsWith("+");
    }
}
