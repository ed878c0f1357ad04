package dev.wasched.internal.engine;

import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * What a reply keyword does to its contact: opt out (with the reason recorded on every cancelled delivery) or back
 * in. The contact service does it; it is built after the engine, so it is handed over once wired.
 */
public final class ReplyActions {
    private volatile BiConsumer<String, String> optOut = (id, reason) -> { };
    private volatile Consumer<String> optIn = id -> { };

    /** Called once by the builder. */
    public void use(BiConsumer<String, String> optOut, Consumer<String> optIn) {
        this.optOut = optOut;
        this.optIn = optIn;
    }

    void optOut(String contactId, String reason) {
        optOut.accept(contactId, reason);
    }

    void optIn(String contactId) {
        optIn.accept(contactId);
    }
}
