package dev.wasched.spi.transport;

import java.time.Instant;
import java.util.Objects;

/** WhatsApp accepted the message: its id there (for acks and lookups) and when. */
public record SendReceipt(String messageId, Instant sentAt) {
    public SendReceipt {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(sentAt, "sentAt");
    }
}
