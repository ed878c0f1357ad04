package dev.wasched.telegram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wasched.telegram.internal.NamedThreads;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

@Isolated // counts the controller threads of the whole JVM
class LifecycleTest extends TelegramFixture {
    private static List<String> controllerThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith(NamedThreads.PREFIX)).toList();
    }

    @Test
    void closeEndsAHeldLongPollAtOnceAndNoThreadSurvives() {
        // the server holds a poll up to 30 s and the bot asks for 50 s: close must not wait for it
        fake(b -> b.getUpdatesHold(Duration.ofSeconds(30)));
        startAll(c -> c.pollTimeout(Duration.ofSeconds(50)));
        assertThat(ask(ME, "/help").text()).contains("/status");
        assertThat(controllerThreads()).isNotEmpty();

        long t0 = System.nanoTime();
        controller.close();
        Duration took = Duration.ofNanos(System.nanoTime() - t0);

        assertThat(took).isLessThan(Duration.ofSeconds(2));
        assertThat(controllerThreads()).isEmpty();
        assertThat(controller.isRunning()).isFalse();
        controller.close(); // a second close does nothing
        assertThatThrownBy(controller::start).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void updatesHandledBeforeCloseAreNotHandledAgainAfterARestart() {
        startAll();
        ask(ME, "/send +4915112345678 once only");
        awaitTrue("sent", () -> log.size() == 1);
        controller.close();
        assertThat(telegram.pendingUpdateCount()).isZero(); // confirmed on close

        startController(c -> { });
        assertThat(ask(ME, "/help").text()).contains("/status");
        assertThat(telegram.sentMessages(ME)).filteredOn(m -> m.text().startsWith("📤")).hasSize(1);
        assertThat(wasched.schedules().list(dev.wasched.PageRequest.first(10)).items()).hasSize(1);
        assertThat(log.size()).isEqualTo(1);
    }

    @Test
    void startIsIdempotentAndAFailedStartLeavesNoThreads() {
        startAll();
        controller.start();
        assertThat(telegram.callCount("getMe")).isEqualTo(1);

        controller.close();
        TelegramController rejected = new TelegramController(wasched,
                config().token(dev.wasched.Secret.of("1:definitely-not-the-token")).build());
        assertThatThrownBy(rejected::start).hasMessageContaining("rejected the bot token");
        assertThat(controllerThreads()).isEmpty();
    }

    @Test
    void repliesQueuedAtCloseAreStillSent() {
        startAll(c -> c.perChatInterval(Duration.ofMillis(300)));
        for (int i = 0; i < 3; i++) {
            telegram.pushMessage(ME, "/help");
        }
        awaitTrue("all three polled", () -> telegram.pendingUpdateCount() == 0);
        controller.close(); // the other two wait for the per-chat gap, well within the shutdown timeout
        assertThat(telegram.sentMessages(ME)).hasSize(3);
    }
}
