package dev.wasched.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wasched.delivery.Delivery;
import dev.wasched.delivery.DeliveryStatus;
import dev.wasched.event.WaschedEvent;
import dev.wasched.schedule.ScheduleSpec;
import dev.wasched.schedule.Target;
import dev.wasched.schedule.Trigger;
import dev.wasched.spi.store.DeliveryRepository;
import dev.wasched.spi.store.LeaseRepository;
import dev.wasched.spi.store.StoreException;
import dev.wasched.spi.store.WaschedStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The store fails in the middle of a batch: nothing that went out is sent again, nothing claimed is left behind. */
class StoreFailureTest extends EngineFixture {
    /** The builder's defaults: a 30 s lease renewed every 10 s lasts 20 s on the store's clock. */
    private static final Duration PAST_THE_LEASE = Duration.ofSeconds(25);

    private final AtomicBoolean failNextSentRecord = new AtomicBoolean(true);
    private final AtomicBoolean leaseWritesFail = new AtomicBoolean();

    private void threeContactsAndAMessageToAll() {
        build(b -> b.store(flaky()));
        contact("Ann", "+4915112345671", "team");
        contact("Bob", "+4915112345672", "team");
        contact("Cid", "+4915112345673", "team");
        wasched.schedules().create(ScheduleSpec.builder().account(ACCOUNT).to(Target.tag("team")).text("Hi")
                .trigger(Trigger.once(clock.instant())).build());
    }

    @Test
    void aSendWhoseRecordFailsIsNotRetriedAndTheRestOfTheBatchIsNotStranded() {
        threeContactsAndAMessageToAll();

        assertThatThrownBy(wasched::runDue).isInstanceOf(StoreException.class);
        assertThat(log.size()).as("the first message went out before its record failed").isEqualTo(1);
        String first = log.entries().get(0).deliveryId();

        wasched.runDue();
        assertThat(wasched.deliveries().get(first).status()).as("outcome not recorded")
                .isEqualTo(DeliveryStatus.UNCERTAIN);
        assertThat(deliveries(DeliveryStatus.SENT)).as("the rest of the batch").hasSize(2);
        assertThat(events(WaschedEvent.DeliveryUncertain.class)).hasSize(1);

        runAfter(Duration.ofSeconds(10)); // the next heartbeat looks the uncertain one up in the chat
        assertThat(deliveries(DeliveryStatus.SENT)).extracting(Delivery::id).hasSize(3).contains(first);
        runAfter(Duration.ofHours(1));
        assertThat(log.size()).isEqualTo(3);
        assertThat(log.duplicates()).isEmpty();
    }

    /**
     * A batch broken off by a store failure is taken back by its dispatcher. When the session lease lapses before that
     * happens (the store was down through a renewal) and the dispatcher comes first, its lease-fenced writes fail; the
     * heartbeat that then takes the lease again leaves this instance's own work to the dispatcher. The claims must
     * still go back to the queue and be sent once, and the send whose outcome was lost must become UNCERTAIN.
     */
    @Test
    void claimsOfABatchBrokenOffWhileTheLeaseLapsedAreSentOnceAfterTheLeaseIsTakenAgain() {
        threeContactsAndAMessageToAll();

        // The first message goes out, then the store fails recording it: the batch breaks off.
        assertThatThrownBy(wasched::runDue).isInstanceOf(StoreException.class);
        assertThat(log.size()).isEqualTo(1);
        String first = log.entries().get(0).deliveryId();
        assertThat(deliveries(DeliveryStatus.SENDING)).hasSize(1);
        assertThat(deliveries(DeliveryStatus.CLAIMED)).hasSize(2);

        // The lease lapses on the store's clock, and the dispatcher runs before the heartbeat has taken it again.
        clock.advance(PAST_THE_LEASE);
        leaseWritesFail.set(true);
        wasched.runDue();
        leaseWritesFail.set(false);

        // The heartbeat takes the lease again (a new epoch); the dispatcher goes on under it.
        runAfter(Duration.ofSeconds(10));
        runAfter(Duration.ofSeconds(10));

        assertThat(events(WaschedEvent.DeliveryUncertain.class)).extracting(e -> e.delivery().id())
                .as("its outcome was never recorded").containsExactly(first);
        // This transport can look a message up: the lookup settles the UNCERTAIN one as SENT, by proof.
        assertThat(deliveries(DeliveryStatus.SENT)).as("nothing left claimed or sending").hasSize(3);
        assertThat(log.size()).as("every delivery sent once").isEqualTo(3);
        assertThat(log.duplicates()).isEmpty();
    }

    /**
     * The fixture's store, except that the next update recording a delivery as SENT fails as if the database went,
     * and that lease renewals and takeovers fail while {@link #leaseWritesFail} is set (the heartbeat has not got
     * through).
     */
    private WaschedStore flaky() {
        DeliveryRepository realDeliveries = store.deliveries();
        DeliveryRepository deliveries = proxy(DeliveryRepository.class, (m, args) -> {
            if (m.getName().equals("update") && args[0] instanceof Delivery d && d.status() == DeliveryStatus.SENT
                    && failNextSentRecord.getAndSet(false)) {
                throw new StoreException("update delivery failed: connection reset", null);
            }
            return call(m, realDeliveries, args);
        });
        LeaseRepository realLeases = store.leases();
        LeaseRepository leases = proxy(LeaseRepository.class, (m, args) -> {
            if ((m.getName().equals("renew") || m.getName().equals("acquire")) && leaseWritesFail.get()) {
                throw new StoreException("renew lease failed: connection refused", null);
            }
            return call(m, realLeases, args);
        });
        return proxy(WaschedStore.class, (m, args) -> switch (m.getName()) {
            case "deliveries" -> deliveries;
            case "leases" -> leases;
            default -> call(m, store, args);
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
