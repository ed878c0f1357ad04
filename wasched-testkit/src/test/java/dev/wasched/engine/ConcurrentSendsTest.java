package dev.wasched.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wasched.delivery.DeliveryStatus;
import dev.wasched.policy.PacingPolicy;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** An account whose transport takes several sends at once (an HTTP API) keeps that many in flight, within limits. */
class ConcurrentSendsTest extends EngineFixture {
    /**
     * Runs due work on another thread with sends held at the transport, waits until {@code held} sends are held, then
     * lets them go; returns how many were sent.
     */
    private int runDueWithSendsHeldUntil(int held) throws Exception {
        transport.blockSends();
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(wasched::runDue);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (transport.attempts() < held && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(transport.attempts()).as("sends started while none could finish").isEqualTo(held);
        transport.releaseSends();
        return run.get(10, TimeUnit.SECONDS);
    }

    @Test
    void upToAsManySendsAsTheTransportTakesRunAtOnce() throws Exception {
        build();
        transport.concurrentSends(4);
        campaign(10);
        assertThat(runDueWithSendsHeldUntil(4)).isEqualTo(10);
        assertThat(transport.mostSendsAtOnce()).isEqualTo(4);
        assertThat(deliveries(DeliveryStatus.SENT)).hasSize(10);
        assertThat(log.duplicates()).isEmpty();
    }

    @Test
    void theSendWindowBoundsTheSendsInFlight() throws Exception {
        build(b -> b.sendWindow(3));
        transport.concurrentSends(8);
        campaign(7);
        assertThat(runDueWithSendsHeldUntil(3)).isEqualTo(7);
        assertThat(transport.mostSendsAtOnce()).as("never more claimed into SENDING than the window").isEqualTo(3);
        assertThat(log.duplicates()).isEmpty();
    }

    @Test
    void anAccountWithAGapSendsOneAtATimeWhateverItsTransportTakes() {
        build(b -> b.pacing(PacingPolicy.unlimited().withGap(Duration.ofSeconds(5), Duration.ZERO)));
        transport.concurrentSends(4).slowSends(Duration.ofMillis(20));
        campaign(4);
        int sent = wasched.runDue();
        for (int i = 0; i < 4 && sent < 4; i++) {
            sent += runAfter(Duration.ofSeconds(5));
        }
        assertThat(sent).isEqualTo(4);
        assertThat(transport.mostSendsAtOnce()).isEqualTo(1);
    }

    @Test
    void capsHoldWithSendsInFlight() {
        build(b -> b.pacing(PacingPolicy.unlimited().withCaps(0, 5, 3)));
        transport.concurrentSends(8).slowSends(Duration.ofMillis(20));
        campaign(8);
        assertThat(wasched.runDue()).as("three new numbers a day, of the five a day").isEqualTo(3);
        assertThat(deliveries(DeliveryStatus.PENDING)).hasSize(5);
        assertThat(runAfter(Duration.ofMinutes(1))).isZero();
        assertThat(transport.attempts()).as("the two over the new-number cap never reached the transport").isEqualTo(3);
    }

    @Test
    void aSessionLostAmongSendsInFlightSendsEachMessageOnce() {
        build();
        transport.concurrentSends(4).slowSends(Duration.ofMillis(20));
        campaign(8);
        transport.loseSessionNext(1);
        wasched.runDue();
        assertThat(deliveries(DeliveryStatus.SENT).size()).as("the others that had started").isLessThan(8);
        transport.reconnect();
        for (int i = 0; i < 5 && deliveries(DeliveryStatus.SENT).size() < 8; i++) {
            runAfter(Duration.ofMinutes(1));
        }
        assertThat(deliveries(DeliveryStatus.SENT)).hasSize(8);
        assertThat(log.size()).isEqualTo(8);
        assertThat(log.duplicates()).isEmpty();
    }
}
