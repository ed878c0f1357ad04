package dev.wasched.spi.transport;

import java.util.Optional;

/** What a transport found when asked whether an earlier message went out. */
public sealed interface LookupResult {
    /** The message of this attempt is in the chat, proven by its id or by its place after the attempt's marker. */
    record Found(SendReceipt receipt) implements LookupResult {
    }

    /** The chat was read as far back as the attempt's start, and the message is not there. */
    record NotFound() implements LookupResult {
    }

    /** The transport cannot tell (no lookup support, the chat could not be read, or nothing found is proof). */
    record Unknown(String reason) implements LookupResult {
    }

    static LookupResult unsupported() {
        return new Unknown("lookup not supported");
    }

    default Optional<SendReceipt> foundReceipt() {
        return this instanceof Found f ? Optional.of(f.receipt()) : Optional.empty();
    }
}
