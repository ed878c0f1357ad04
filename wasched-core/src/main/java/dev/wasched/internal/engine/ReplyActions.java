package dev.wasched.internal.engine;

import dev.wasched.schedule.ScheduleSpec;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * What a reply keyword does to its contact: opt out (with the reason recorded on every cancelled delivery) or back
 * in, and the confirmation sent back, as a schedule. The contact and schedule services do it; they are built after the
 * engine, so they are handed over once wired.
 */
public final class ReplyActions {
    private volatile BiConsumer<String, String> optOut = (id, reason) -> { };
    private volatile Consumer<String> optIn = id -> { };
    private volatile Consumer<ScheduleSpec> schedule = spec -> { };

    /** Called once by the builder. */
    public void use(BiConsumer<String, String> optOut, Consumer<String> optIn, Consumer<ScheduleSpec> schedule) {
        this.optOut = optOut;
        this.optIn = optIn;
        this.schedule = schedule;
    }

    void optOut(String contactId, String reason) {
        optOut.accept(contactId, reason);
    }

    void optIn(String contactId) {
        optIn.accept(contactId);
    }

    void schedule(ScheduleSpec spec) {
        schedule.accept(spec);
    }
}
