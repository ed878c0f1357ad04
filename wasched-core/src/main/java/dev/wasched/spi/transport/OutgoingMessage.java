package dev.wasched.spi.transport;

import dev.wasched.delivery.Recipient;
import dev.wasched.message.MessageContent;
import java.util.Objects;

/**
 * One message to send, or (for {@link MessageTransport#lookup}) one earlier attempt to look for.
 *
 * @param deliveryId       the delivery it belongs to (useful for logs and for {@code lookup})
 * @param media            the media bytes when {@code content.media()} is set, else null
 * @param simulateTyping   whether the pacing policy asks for "typing…" before sending
 * @param knownMessageId   the id the transport reported for this attempt through
 *                         {@link TransportContext#messageIdSeen}, else null
 * @param sendMarker       the marker the transport recorded for this attempt through
 *                         {@link TransportContext#sendMarker}, else null
 */
public record OutgoingMessage(String deliveryId, String account, Recipient recipient, MessageContent content,
                              byte[] media, boolean simulateTyping, String knownMessageId,
                              String sendMarker) {
    public OutgoingMessage {
        Objects.requireNonNull(deliveryId, "deliveryId");
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(content, "content");
        if (content.hasMedia() && media == null) {
            throw new IllegalArgumentException("content has media but no bytes were given");
        }
    }

    /** A message with no earlier attempt to refer to. */
    public OutgoingMessage(String deliveryId, String account, Recipient recipient, MessageContent content,
                           byte[] media, boolean simulateTyping) {
        this(deliveryId, account, recipient, content, media, simulateTyping, null, null);
    }

    @Override
    public String toString() {
        // Never the text: message bodies stay out of logs.
        return "OutgoingMessage[delivery=" + deliveryId + ", account=" + account + ", to=" + recipient.kind()
                + ", chars=" + content.text().length() + ", media=" + (media == null ? 0 : media.length) + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OutgoingMessage m && deliveryId.equals(m.deliveryId);
    }

    @Override
    public int hashCode() {
        return deliveryId.hashCode();
    }
}
