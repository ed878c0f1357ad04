package dev.wasched.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wasched.Wasched;
import dev.wasched.memory.InMemoryStore;
import dev.wasched.schedule.ScheduleSpec;
import dev.wasched.schedule.Target;
import dev.wasched.schedule.Trigger;
import dev.wasched.testkit.transport.RecordingTransport;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class LifecycleTest {
    private static List<String> waschedThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith("wasched-")).toList();
    }

    @Test
    void noThreadSurvivesClose() throws Exception {
        RecordingTransport a = new RecordingTransport("a");
        RecordingTransport b = new RecordingTransport("b");
        Wasched w = Wasched.builder().store(new InMemoryStore()).transport(a).transport(b)
                .listener(e -> { }).build();
        w.start();
        w.schedules().create(ScheduleSpec.builder().account("a").to(Target.group("g")).text("x")
                .trigger(Trigger.once(Instant.now())).build());
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (a.sent().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(a.sent()).hasSize(1);
        assertThat(waschedThreads()).isNotEmpty();
        w.close();
        // Pool threads leave run() a moment after their executor reports termination.
        long end = System.nanoTime() + 5_000_000_000L;
        while (!waschedThreads().isEmpty() && System.nanoTime() < end) {
            Thread.sleep(5);
        }
        assertThat(waschedThreads()).isEmpty();
        assertThat(w.isRunning()).isFalse();
    }
}
