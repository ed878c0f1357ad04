package dev.wasched.spi.transport;

import dev.wasched.delivery.DeliveryStatus;
import dev.wasched.session.AccountState;

/** What a transport reports to the engine through {@link TransportContext#emit(TransportEvent)}. */
public sealed interface TransportEvent {
    record StateChanged(AccountState state, String detail) implements TransportEvent {
    }

    /** A new QR payload to scan (re-emitted on every rotation). */
    record QrCode(String payload) implements TransportEvent {
    }

    record PairingCode(String code) implements TransportEvent {
    }

    /**
     * A message the network had accepted will not be delivered (the Cloud API's {@code failed} status, with its
     * error): the delivery goes from SENT to DEAD, from where it may be requeued. Ignored once delivered or read.
     */
    record Undelivered(String messageId, String error) implements TransportEvent {
    }

    /** A sent message was delivered ({@link DeliveryStatus#DELIVERED}) or read ({@link DeliveryStatus#READ}). */
    record Ack(String messageId, DeliveryStatus level) implements TransportEvent {
        public Ack {
            if (level != DeliveryStatus.DELIVERED && level != DeliveryStatus.READ) {
                throw new IllegalArgumentException("an ack is DELIVERED or READ, not " + level);
            }
        }
    }

    /**
     * Someone sent the account a message. A transport may report one message more than once (after a reload, or
     * when catching up): the engine knows it by {@code messageId}.
     *
     * @param messageId       WhatsApp's id of the message, in the form the transport reports its own messages' ids
     * @param sender          E.164 ({@code +4915112345678}) when the number is known, else WhatsApp's id of the
     *                        sender (such as {@code 123456789012345@lid})
     * @param chat            the chat's id as WhatsApp names it
     * @param text            text or caption, empty when there is none
     * @param mediaKind       null for a text; else the kind of media ({@code image}, {@code audio}, …)
     * @param quotedMessageId the id of the message it quotes, or null
     * @param sentAt          WhatsApp's timestamp of the message
     */
    record MessageReceived(String messageId, String sender, String chat, String text, String mediaKind,
                           String quotedMessageId, java.time.Instant sentAt) implements TransportEvent {
        public MessageReceived {
            if (messageId == null || messageId.isBlank()) {
                throw new IllegalArgumentException("a received message needs its id");
            }
            if (sender == null || sender.isBlank() || chat == null || chat.isBlank()) {
                throw new IllegalArgumentException("a received message needs its sender and chat");
            }
            java.util.Objects.requireNonNull(sentAt, "sentAt");
            text = text == null ? "" : text;
        }
    }
}
