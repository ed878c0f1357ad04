package dev.wasched.store.jdbc;

import dev.wasched.delivery.Delivery;
import dev.wasched.delivery.Recipient;
import dev.wasched.message.MessageContent;
import dev.wasched.schedule.MisfirePolicy;
import dev.wasched.schedule.Schedule;
import dev.wasched.schedule.ScheduledMessage;
import dev.wasched.schedule.Target;
import dev.wasched.schedule.Trigger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.UUID;

/** Records for the module's own tests. */
final class StoreFixtures {
    static final Instant T0 = Instant.parse("2026-05-04T10:15:30.123Z");

    private StoreFixtures() {
    }

    static String id() {
        return UUID.randomUUID().toString();
    }

    static Schedule schedule(String id, Instant next) {
        return new Schedule(id, "s", "acc", Target.group("Team"), ScheduledMessage.text("Stand-up"),
                Trigger.once(next), MisfirePolicy.DEFAULT, null, 0, false, next, 0, 0, null, null, T0, T0, 1);
    }

    static Delivery delivery(String scheduleId, String group, Instant fireAt) {
        return Delivery.pending(id(), scheduleId, fireAt, Recipient.group(group, null), "acc",
                MessageContent.text("hello " + group), T0);
    }

    static Path tempFile(String prefix) {
        try {
            return Files.createTempDirectory("wasched-" + prefix).resolve("db");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
