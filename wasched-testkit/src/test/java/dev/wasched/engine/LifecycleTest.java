package dev.wasched.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wasched.Wasched;
import dev.wasched.memory.InMemoryStore;
import dev.wasched.schedule.ScheduleSpec;
import dev.wasched.schedule.Target;
import dev.wasched.schedule.Trigger;
import dev.wasched.testkit.transport.RecordingTransport;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LifecycleTest {
    private static java.util.Set<Thread> waschedThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                .filter(t -> t.getName().startsWith("wasched-")).collect(java.util.stream.Collectors.toSet());
    }

    private static java.util.Set<Thread> mine(java.util.Set<Thread> before) {
        java.util.Set<Thread> now = waschedThreads();
        now.removeAll(before);
        return now;
    }

    @Test
    void noThreadSurvivesClose() throws Exception {
        // Only threads this test's instance started count; other tests in this JVM are not our business here.
        java.util.Set<Thread> before = waschedThreads();
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
        assertThat(mine(before)).isNotEmpty();
        w.close();
        // Pool threads leave run() a moment after their executor reports termination.
        long end = System.nanoTime() + 5_000_000_000L;
        while (!mine(before).isEmpty() && System.nanoTime() < end) {
            Thread.sleep(5);
        }
        assertThat(mine(before)).extracting(Thread::getName).isEmpty();
        assertThat(w.isRunning()).isFalse();
    }
}
