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
    @Test
    void aSendWhoseRecordFailsIsNotRetriedAndTheRestOfTheBatchIsNotStranded() {
        AtomicBoolean failNextSentRecord = new AtomicBoolean(true);
        build(b -> b.store(failingFirstSentRecord(failNextSentRecord)));
        contact("Ann", "+4915112345671", "team");
        contact("Bob", "+4915112345672", "team");
        contact("Cid", "+4915112345673", "team");
        wasched.schedules().create(ScheduleSpec.builder().account(ACCOUNT).to(Target.tag("team")).text("Hi")
                .trigger(Trigger.once(clock.instant())).build());

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

    /** The fixture's store, except that the next update recording a delivery as SENT fails as if the database went. */
    private WaschedStore failingFirstSentRecord(AtomicBoolean armed) {
        DeliveryRepository real = store.deliveries();
        DeliveryRepository deliveries = proxy(DeliveryRepository.class, (m, args) -> {
            if (m.getName().equals("update") && args[0] instanceof Delivery d && d.status() == DeliveryStatus.SENT
                    && armed.getAndSet(false)) {
                throw new StoreException("update delivery failed: connection reset", null);
            }
            return call(m, real, args);
        });
        return proxy(WaschedStore.class,
                (m, args) -> m.getName().equals("deliveries") ? deliveries : call(m, store, args));
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
