package dev.wasched.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wasched.Wasched;
import dev.wasched.contact.ContactSpec;
import dev.wasched.memory.InMemoryStore;
import dev.wasched.policy.PacingPolicy;
import dev.wasched.schedule.ScheduleSpec;
import dev.wasched.schedule.Target;
import dev.wasched.schedule.Trigger;
import dev.wasched.testkit.transport.MessageLog;
import dev.wasched.testkit.transport.RecordingTransport;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A running engine claims a moment before a delivery is due, or before pacing allows the next send, and sends at that
 * moment: never before it. On the real clock, so only lower bounds are asserted.
 */
class OnTimeTest {
    private static void awaitSent(MessageLog log, int n) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (log.size() < n && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(log.size()).as("messages sent").isEqualTo(n);
    }

    private static Wasched started(RecordingTransport t, PacingPolicy pacing) {
        Wasched w = Wasched.builder().store(new InMemoryStore()).transport(t).pacing(pacing).listener(e -> { })
                .build();
        w.start();
        return w;
    }

    @Test
    void aMessageGoesOutAtItsDueTimeNotBefore() throws Exception {
        RecordingTransport t = new RecordingTransport("shop");
        try (Wasched w = started(t, PacingPolicy.unlimited())) {
            String id = w.contacts().create(ContactSpec.builder().name("Ann").phone("+4915112345671").build()).id();
            Instant due = Instant.now().plusMillis(400).truncatedTo(ChronoUnit.MILLIS);
            w.schedules().create(ScheduleSpec.builder().account("shop").to(Target.contacts(id)).text("at nine")
                    .trigger(Trigger.once(due)).build());
            awaitSent(t.log(), 1);
            assertThat(t.log().entries().get(0).at()).isAfterOrEqualTo(due);
        }
    }

    @Test
    void pacedSendsKeepTheirGap() throws Exception {
        RecordingTransport t = new RecordingTransport("shop");
        Duration gap = Duration.ofMillis(300);
        try (Wasched w = started(t, PacingPolicy.unlimited().withGap(gap, Duration.ZERO))) {
            List<String> ids = List.of(
                    w.contacts().create(ContactSpec.builder().name("Ann").phone("+4915112345671").build()).id(),
                    w.contacts().create(ContactSpec.builder().name("Bob").phone("+4915112345672").build()).id(),
                    w.contacts().create(ContactSpec.builder().name("Cid").phone("+4915112345673").build()).id());
            w.schedules().create(ScheduleSpec.builder().account("shop").to(Target.contacts(ids)).text("hi")
                    .trigger(Trigger.once(Instant.now())).build());
            awaitSent(t.log(), 3);
            List<MessageLog.Entry> sent = t.log().entries();
            for (int i = 1; i < sent.size(); i++) {
                assertThat(Duration.between(sent.get(i - 1).at(), sent.get(i).at())).isGreaterThanOrEqualTo(gap);
            }
        }
    }
}
