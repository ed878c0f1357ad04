package dev.wasched.spi.transport;

import java.util.Optional;

/** What a transport found when asked whether an earlier message went out. */
public sealed interface LookupResult {
    /** The message is in the chat. */
    record Found(SendReceipt receipt) implements LookupResult {
    }

    /** The chat was read and the message is not there. */
    record NotFound() implements LookupResult {
    }

    /** The transport cannot tell (no lookup support, or the chat could not be read). */
    record Unknown(String reason) implements LookupResult {
    }

    static LookupResult unsupported() {
        return new Unknown("lookup not supported");
    }

    default Optional<SendReceipt> foundReceipt() {
        return this instanceof Found f ? Optional.of(f.receipt()) : Optional.empty();
    }
}
