package dev.wasched.spi.store;

import dev.wasched.Page;
import dev.wasched.PageRequest;
import dev.wasched.inbound.InboundMessage;
import java.util.Optional;

/** Messages the accounts received, one per account and WhatsApp message id. */
public interface InboundRepository {
    /**
     * Stores a received message.
     *
     * @return false, changing nothing, when the account already has a message with this {@code messageId} (another
     *     instance, or an earlier start, heard it first)
     */
    boolean insert(InboundMessage message);

    Optional<InboundMessage> find(String account, String messageId);

    /** Newest first (by id); {@code account} and {@code contactId} narrow it when not null. */
    Page<InboundMessage> list(String account, String contactId, PageRequest page);
}
