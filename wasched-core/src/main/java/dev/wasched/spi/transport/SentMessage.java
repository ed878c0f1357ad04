package dev.wasched.spi.transport;

import dev.wasched.delivery.DeliveryStatus;
import dev.wasched.delivery.Recipient;
import java.time.Instant;
import java.util.Objects;

/**
 * A message sent earlier (by this start of the transport or an earlier one) whose acks are still awaited: handed to
 * {@link MessageTransport#followAcks} so acks that arrived while nobody listened are reported all the same.
 *
 * @param messageId the id WhatsApp gave the message
 * @param recipient whom it was sent to, for a transport that reads acks from the chat
 * @param status    the ack level known so far: SENT or DELIVERED
 * @param sentAt    when it was sent
 */
public record SentMessage(String messageId, Recipient recipient, DeliveryStatus status, Instant sentAt) {
    public SentMessage {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(sentAt, "sentAt");
        if (status != DeliveryStatus.SENT && status != DeliveryStatus.DELIVERED) {
            throw new IllegalArgumentException("a message awaiting acks is SENT or DELIVERED, not " + status);
        }
    }
}
