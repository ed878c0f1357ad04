package dev.wasched.whatsapp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** What a given-up call may still do, decided atomically between the caller and the browser thread. */
class CallGuardTest {

    @Test
    void givenUpBeforeTheSendActionTheTaskNeverActs() {
        CallGuard g = new CallGuard();
        assertThat(g.start()).isTrue();
        assertThat(g.giveUp()).isEqualTo(CallGuard.Phase.RUNNING);
        assertThat(g.beginAction()).as("called off: no click afterwards").isFalse();
        assertThat(g.phase()).isEqualTo(CallGuard.Phase.CALLED_OFF);
        CallGuard queued = new CallGuard();
        assertThat(queued.giveUp()).isEqualTo(CallGuard.Phase.QUEUED);
        assertThat(queued.start()).as("a queued task that was given up does not start").isFalse();
    }

    @Test
    void givenUpAfterTheSendActionTheOutcomeIsUnknownAndNoFurtherActionIsTaken() {
        CallGuard g = new CallGuard();
        g.start();
        assertThat(g.beginAction()).isTrue();
        assertThat(g.giveUp()).isEqualTo(CallGuard.Phase.ACTING);
        assertThat(g.nothingSentAfterAll()).as("too late to step back").isFalse();
        assertThat(g.beginAction()).as("no resend once abandoned").isFalse();
    }

    @Test
    void provenNotSentStepsBackSoThatAGiveUpIsRetryableAgain() {
        CallGuard g = new CallGuard();
        g.start();
        g.beginAction();
        assertThat(g.nothingSentAfterAll()).isTrue();
        assertThat(g.giveUp()).isEqualTo(CallGuard.Phase.RUNNING);
        g.finish();
        CallGuard done = new CallGuard();
        done.start();
        done.beginAction();
        done.finish();
        assertThat(done.phase()).isEqualTo(CallGuard.Phase.FINISHED_ACTED);
        assertThat(done.giveUp()).as("finished just before the give-up").isEqualTo(CallGuard.Phase.FINISHED_ACTED);
    }

    @Test
    void workHandedToTheCallerRunsOnItsThreadOrNotAtAllOnceItLeft() throws Exception {
        CallGuard g = new CallGuard();
        g.start();
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        AtomicReference<Boolean> result = new AtomicReference<>();
        CountDownLatch handed = new CountDownLatch(1);
        Thread browser = new Thread(() -> {
            result.set(g.onCaller(() -> ranOn.set(Thread.currentThread())));
            handed.countDown();
        });
        browser.start();
        Runnable work = g.next(TimeUnit.SECONDS.toNanos(5));
        assertThat(work).isNotNull();
        work.run();
        assertThat(handed.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(result.get()).isTrue();
        assertThat(ranOn.get()).isSameAs(Thread.currentThread());

        CallGuard left = new CallGuard();
        left.start();
        left.giveUp();
        assertThat(left.onCaller(() -> {
            throw new AssertionError("must not run");
        })).isFalse();
        Runnable late = left.next(0);
        late.run(); // a caller that picks it up after the task withdrew it runs nothing
    }
}
