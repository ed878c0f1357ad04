package dev.wasched.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wasched.delivery.DeliveryStatus;
import dev.wasched.event.WaschedEvent;
import dev.wasched.schedule.ScheduleSpec;
import dev.wasched.schedule.Target;
import dev.wasched.schedule.Trigger;
import dev.wasched.spi.store.DispatchCycle;
import dev.wasched.spi.store.LeaseRepository;
import dev.wasched.spi.store.StoreException;
import dev.wasched.spi.store.WaschedStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The store fails while a dispatch cycle writes what became of the last sends: nothing that went out is sent again,
 * nothing claimed is left behind, and what is known is not lost.
 */
class StoreFailureTest extends EngineFixture {
    /** The builder's defaults: a 30 s lease renewed every 10 s lasts 20 s on the store's clock. */
    private static final Duration PAST_THE_LEASE = Duration.ofSeconds(25);

    private final AtomicBoolean failNextSentRecord = new AtomicBoolean();
    /** Whether the failing cycle is committed before its answer is lost (else it fails before anything is written). */
    private final AtomicBoolean commitBeforeFailing = new AtomicBoolean();
    private final AtomicBoolean leaseWritesFail = new AtomicBoolean();

    private void threeContactsAndAMessageToAll() {
        contact("Ann", "+4915112345671", "team");
        contact("Bob", "+4915112345672", "team");
        contact("Cid", "+4915112345673", "team");
        wasched.schedules().create(ScheduleSpec.builder().account(ACCOUNT).to(Target.tag("team")).text("Hi")
                .trigger(Trigger.once(clock.instant())).build());
    }

    @Test
    void outcomesTheStoreFailedToWriteAreKeptAndWrittenOnceItAnswersWithoutSendingAgain() {
        build(b -> b.store(flaky()));
        threeContactsAndAMessageToAll();

        failNextSentRecord.set(true);
        assertThatThrownBy(wasched::runDue).isInstanceOf(StoreException.class);
        assertThat(log.size()).as("the batch went out before its outcomes could be written").isEqualTo(3);
        assertThat(deliveries(DeliveryStatus.SENDING)).hasSize(3);

        wasched.runDue();
        assertThat(deliveries(DeliveryStatus.SENT)).as("kept in memory, written now").hasSize(3);
        assertThat(events(WaschedEvent.DeliverySent.class)).hasSize(3);
        assertThat(events(WaschedEvent.DeliveryUncertain.class)).isEmpty();
        runAfter(Duration.ofHours(1));
        assertThat(log.size()).isEqualTo(3);
        assertThat(log.duplicates()).isEmpty();
    }

    @Test
    void outcomesOfACycleBrokenOffWhileTheLeaseLapsedAreWrittenAfterTheLeaseIsTakenAgain() {
        build(b -> b.store(flaky()));
        threeContactsAndAMessageToAll();
        failNextSentRecord.set(true);
        assertThatThrownBy(wasched::runDue).isInstanceOf(StoreException.class);

        // The lease lapses on the store's clock, and the dispatcher runs before the heartbeat has taken it again;
        // the heartbeat then takes it again (a new epoch), and leaves this instance's own work to the dispatcher.
        clock.advance(PAST_THE_LEASE);
        leaseWritesFail.set(true);
        wasched.runDue();
        leaseWritesFail.set(false);
        runAfter(Duration.ofSeconds(10));
        runAfter(Duration.ofSeconds(10));

        assertThat(deliveries(DeliveryStatus.SENT)).as("nothing left sending").hasSize(3);
        assertThat(deliveries()).hasSize(3);
        assertThat(log.size()).isEqualTo(3);
        assertThat(log.duplicates()).isEmpty();
    }

    @Test
    void aCycleWhoseAnswerIsLostAfterItsCommitPublishesEachOutcomeOnceAndNeverSendsItsClaimsBlindly() {
        build(b -> b.store(flaky()).sendWindow(2));
        threeContactsAndAMessageToAll();

        // The first cycle claims two; the second writes both as SENT and claims the third, then its answer is lost.
        failNextSentRecord.set(true);
        commitBeforeFailing.set(true);
        assertThatThrownBy(wasched::runDue).isInstanceOf(StoreException.class);
        assertThat(log.size()).isEqualTo(2);
        assertThat(deliveries(DeliveryStatus.SENT)).hasSize(2);
        assertThat(events(WaschedEvent.DeliverySent.class)).as("not known to be written yet").isEmpty();

        wasched.runDue();
        assertThat(events(WaschedEvent.DeliverySent.class)).as("found written: published once").hasSize(2);
        assertThat(deliveries(DeliveryStatus.UNCERTAIN)).as("claimed in the lost answer: never sent blindly")
                .hasSize(1);
        runAfter(Duration.ofHours(1));
        assertThat(log.size()).isEqualTo(2);
        assertThat(log.duplicates()).isEmpty();
        assertThat(events(WaschedEvent.DeliverySent.class)).hasSize(2);
    }

    /**
     * The fixture's store, except that the next dispatch cycle writing a delivery as SENT fails as if the database
     * went (before or after its commit), and that lease renewals and takeovers fail while {@link #leaseWritesFail} is
     * set (the heartbeat has not got through).
     */
    private WaschedStore flaky() {
        LeaseRepository realLeases = store.leases();
        LeaseRepository leases = proxy(LeaseRepository.class, (m, args) -> {
            if ((m.getName().equals("renew") || m.getName().equals("acquire")) && leaseWritesFail.get()) {
                throw new StoreException("renew lease failed: connection refused", null);
            }
            return call(m, realLeases, args);
        });
        return proxy(WaschedStore.class, (m, args) -> {
            if (m.getName().equals("dispatch") && args[0] instanceof DispatchCycle c && c.outcomes().stream()
                    .anyMatch(d -> d.status() == DeliveryStatus.SENT) && failNextSentRecord.getAndSet(false)) {
                if (commitBeforeFailing.get()) {
                    call(m, store, args);
                }
                throw new StoreException("dispatch cycle failed: connection reset", null);
            }
            return m.getName().equals("leases") ? leases : call(m, store, args);
        });
    }

    private interface Handler {
        Object handle(Method m, Object[] args) throws Throwable;
    }

    private static <T> T proxy(Class<T> type, Handler handler) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[]{type},
                (self, m, args) -> handler.handle(m, args)));
    }

    private static Object call(Method m, Object target, Object[] args) throws Throwable {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
