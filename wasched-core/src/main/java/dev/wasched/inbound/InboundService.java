package dev.wasched.inbound;

import dev.wasched.Page;
import dev.wasched.PageRequest;
import java.util.Optional;

/** The messages the accounts received (replies and anything else people wrote), as the engine stored them. */
public interface InboundService {
    /** Newest first; {@code account} and {@code contactId} narrow the list when not null. */
    Page<InboundMessage> list(String account, String contactId, PageRequest page);

    /** One account's message by WhatsApp's id. */
    Optional<InboundMessage> find(String account, String messageId);
}
