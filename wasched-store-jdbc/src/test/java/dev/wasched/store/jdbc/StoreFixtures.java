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
        return Schedule.builder().id(id).name("s").account("acc").target(Target.group("Team"))
                .message(ScheduledMessage.text("Stand-up")).trigger(Trigger.once(next)).misfire(MisfirePolicy.DEFAULT)
                .nextFireAt(next).createdAt(T0).updatedAt(T0).version(1).build();
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
