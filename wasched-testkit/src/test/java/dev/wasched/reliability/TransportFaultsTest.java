package dev.wasched.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wasched.PageRequest;
import dev.wasched.Wasched;
import dev.wasched.delivery.Delivery;
import dev.wasched.delivery.DeliveryQuery;
import dev.wasched.delivery.DeliveryStatus;
import dev.wasched.memory.InMemoryStore;
import dev.wasched.policy.PacingPolicy;
import dev.wasched.policy.RetryPolicy;
import dev.wasched.schedule.ScheduleSpec;
import dev.wasched.schedule.Target;
import dev.wasched.schedule.Trigger;
import dev.wasched.testkit.SettableClock;
import dev.wasched.testkit.transport.MessageLog;
import dev.wasched.testkit.transport.RecordingTransport;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * 20% random retryable failures plus disconnects: every delivery ends SENT or DEAD with a reason, attempts never
 * exceed the retry policy, nothing is sent twice.
 */
class TransportFaultsTest {
    @Test
    void randomFailuresAndDisconnectsEndInSentOrDeadWithinTheRetryBudget() {
        SettableClock clock = SettableClock.at("2026-06-01T08:00:00Z");
        InMemoryStore store = new InMemoryStore();
        MessageLog log = new MessageLog();
        RecordingTransport transport = new RecordingTransport("shop", log).failRandomly(0.2, 7);
        RetryPolicy retry = new RetryPolicy(4, Duration.ofSeconds(5), Duration.ofMinutes(1), 2.0, 0.2);
        try (Wasched wasched = Wasched.builder().store(store).clock(clock).transport(transport).retry(retry)
                .pacing(PacingPolicy.unlimited()).random(new SplittableRandom(3))
                // High enough that random failures do not open the circuit here; the circuit has its own test.
                .circuitBreaker(1000, Duration.ofSeconds(1)).build()) {
            int n = 500;
            for (int i = 0; i < n; i++) {
                wasched.schedules().create(ScheduleSpec.builder().account("shop").to(Target.group("g" + i)).text("m" + i)
                        .trigger(Trigger.once(clock.instant().plusSeconds(i % 60))).build());
            }
            for (int step = 0; step < 600; step++) {
                if (step % 50 == 10) {
                    transport.disconnect();
                } else if (step % 50 == 15) {
                    transport.reconnect();
                }
                if (step % 97 == 3) {
                    transport.loseSessionNext(1);
                }
                clock.advance(Duration.ofSeconds(1));
                wasched.runDue();
                if (step % 50 == 10) {
                    transport.reconnect();
                }
            }
            List<Delivery> all = wasched.deliveries().history(DeliveryQuery.all(), PageRequest.first(1000)).items();
            assertThat(all).hasSize(n);
            assertThat(all).allSatisfy(d -> {
                assertThat(d.status()).isIn(DeliveryStatus.SENT, DeliveryStatus.DEAD);
                assertThat(d.attempts()).isBetween(1, retry.maxAttempts());
                if (d.status() == DeliveryStatus.DEAD) {
                    assertThat(d.lastError()).contains("gave up after 4 attempt(s)");
                }
            });
            long sent = all.stream().filter(d -> d.status() == DeliveryStatus.SENT).count();
            long dead = n - sent;
            // With p = 0.2 and 4 attempts, about 0.2^4 = 0.16% die: a handful at most.
            assertThat(dead).isLessThan(10);
            assertThat(log.size()).isEqualTo((int) sent);
            assertThat(log.duplicates()).isEmpty();
            assertThat(transport.attempts()).isGreaterThan(n);
        }
    }

    @Test
    void circuitOpensUnderFailuresAndClosesAfterItsDelay() throws Exception {
        SettableClock clock = SettableClock.at("2026-06-01T08:00:00Z");
        RecordingTransport transport = new RecordingTransport("shop").failNext(3);
        try (Wasched wasched = Wasched.builder().store(new InMemoryStore()).clock(clock).transport(transport)
                .retry(RetryPolicy.of(10, Duration.ofSeconds(1))).pacing(PacingPolicy.unlimited())
                .circuitBreaker(3, Duration.ofSeconds(2)).build()) {
            for (int i = 0; i < 5; i++) {
                wasched.schedules().create(ScheduleSpec.builder().account("shop").to(Target.group("g" + i)).text("x")
                        .trigger(Trigger.once(clock.instant())).build());
            }
            wasched.runDue();
            assertThat(transport.attempts()).isEqualTo(3);
            assertThat(wasched.health().accounts().get(0).circuit()).isEqualTo("OPEN");
            clock.advance(Duration.ofMinutes(5)); // every retry is due; the open circuit still holds them
            assertThat(wasched.runDue()).isZero();
            // The circuit's delay is measured in real time (Failsafe): long enough that a busy machine cannot outlast
            // it between the two runs above, and waited out here, bounded.
            long deadline = System.nanoTime() + 10_000_000_000L;
            int sent = 0;
            while (sent < 5 && System.nanoTime() < deadline) {
                Thread.sleep(50);
                sent += wasched.runDue();
            }
            assertThat(sent).isEqualTo(5);
            assertThat(wasched.health().accounts().get(0).circuit()).isEqualTo("CLOSED");
        }
    }
}
