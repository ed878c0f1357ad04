package dev.wasched.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wasched.PageRequest;
import dev.wasched.Wasched;
import dev.wasched.contact.ContactSpec;
import dev.wasched.contact.PhoneNumber;
import dev.wasched.delivery.Delivery;
import dev.wasched.delivery.DeliveryQuery;
import dev.wasched.delivery.DeliveryStatus;
import dev.wasched.memory.InMemoryStore;
import dev.wasched.policy.PacingPolicy;
import dev.wasched.schedule.ScheduleSpec;
import dev.wasched.schedule.Target;
import dev.wasched.schedule.Trigger;
import dev.wasched.session.AccountState;
import dev.wasched.spi.store.DeliveryRepository;
import dev.wasched.spi.store.LeaseRepository;
import dev.wasched.spi.store.StoreException;
import dev.wasched.spi.store.WaschedStore;
import dev.wasched.spi.transport.MessageTransport;
import dev.wasched.spi.transport.OutgoingMessage;
import dev.wasched.spi.transport.SendReceipt;
import dev.wasched.spi.transport.TransportContext;
import dev.wasched.spi.transport.TransportEvent;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A batch broken off by a store failure is taken back by its dispatcher. When the session lease lapses before that
 * happens (the store was down through a renewal) and the dispatcher comes first, its lease-fenced writes fail; the
 * heartbeat that then takes the lease again leaves this instance's own work to the dispatcher. The claims must still
 * go back to the queue and be sent once, and the send whose outcome was lost must become UNCERTAIN.
 */
class LapsedLeaseBrokenBatchTest {
    private static final String ACCOUNT = "shop";
    /** The builder's defaults: a 30 s lease renewed every 10 s lasts 20 s on the store's clock. */
    private static final Duration PAST_THE_LEASE = Duration.ofSeconds(25);

    private final MovableClock clock = new MovableClock(Instant.parse("2026-06-01T08:00:00Z"));
    private final InMemoryStore store = new InMemoryStore(clock);
    private final AtomicBoolean failNextSentRecord = new AtomicBoolean();
    private final AtomicBoolean leaseWritesFail = new AtomicBoolean();
    private final FakeTransport transport = new FakeTransport();
    private Wasched wasched;

    @AfterEach
    void close() {
        if (wasched != null) {
            wasched.close();
        }
    }

    @Test
    void claimsOfABatchBrokenOffWhileTheLeaseLapsedAreSentOnceAfterTheLeaseIsTakenAgain() {
        wasched = Wasched.builder().store(flakyStore()).clock(clock).instanceId("test-1").transport(transport)
                .pacing(PacingPolicy.unlimited()).defaultZone(ZoneId.of("UTC")).build();
        for (String phone : List.of("+4915112345671", "+4915112345672", "+4915112345673")) {
            wasched.contacts().create(ContactSpec.builder().name("C" + phone.substring(12)).phone(phone).tag("team")
                    .build());
        }
        wasched.schedules().create(ScheduleSpec.builder().account(ACCOUNT).to(Target.tag("team")).text("Hi")
                .trigger(Trigger.once(clock.instant())).build());

        // The first message goes out, then the store fails recording it: the batch breaks off.
        failNextSentRecord.set(true);
        assertThatThrownBy(wasched::runDue).isInstanceOf(StoreException.class);
        assertThat(transport.sent).hasSize(1);
        String first = transport.sent.get(0);
        assertThat(counts()).containsEntry(DeliveryStatus.SENDING, 1L).containsEntry(DeliveryStatus.CLAIMED, 2L);

        // The lease lapses on the store's clock, and the dispatcher runs before the heartbeat has taken it again.
        clock.advance(PAST_THE_LEASE);
        leaseWritesFail.set(true);
        wasched.runDue();
        leaseWritesFail.set(false);

        // The heartbeat takes the lease again (a new epoch); the dispatcher goes on under it.
        clock.advance(Duration.ofSeconds(10));
        wasched.runDue();
        clock.advance(Duration.ofSeconds(10));
        wasched.runDue();

        assertThat(counts()).as("nothing left claimed or sending")
                .containsOnly(Map.entry(DeliveryStatus.SENT, 2L), Map.entry(DeliveryStatus.UNCERTAIN, 1L));
        assertThat(wasched.deliveries().get(first).status()).as("its outcome was never recorded")
                .isEqualTo(DeliveryStatus.UNCERTAIN);
        assertThat(transport.sent).as("every delivery sent once").hasSize(3).doesNotHaveDuplicates();
    }

    private Map<DeliveryStatus, Long> counts() {
        java.util.EnumMap<DeliveryStatus, Long> counts = new java.util.EnumMap<>(DeliveryStatus.class);
        for (Delivery d : wasched.deliveries().history(DeliveryQuery.all(), PageRequest.first(100)).items()) {
            counts.merge(d.status(), 1L, Long::sum);
        }
        return counts;
    }

    /**
     * The in-memory store, except that the next write recording a delivery as SENT fails as if the database went, and
     * that lease renewals and takeovers fail while {@link #leaseWritesFail} is set (the heartbeat has not got through).
     */
    private WaschedStore flakyStore() {
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

    /** Ready at once; records which deliveries it sent. */
    private final class FakeTransport implements MessageTransport {
        final List<String> sent = new CopyOnWriteArrayList<>();
        private volatile AccountState state = AccountState.STOPPED;

        @Override
        public String account() {
            return ACCOUNT;
        }

        @Override
        public void start(TransportContext context) {
            state = AccountState.READY;
            context.emit(new TransportEvent.StateChanged(AccountState.READY, null));
        }

        @Override
        public AccountState state() {
            return state;
        }

        @Override
        public SendReceipt send(OutgoingMessage message) {
            sent.add(message.deliveryId());
            return new SendReceipt("msg-" + sent.size(), clock.instant());
        }

        @Override
        public boolean isRegistered(PhoneNumber number) {
            return true;
        }

        @Override
        public void logout() {
        }

        @Override
        public void close() {
            state = AccountState.STOPPED;
        }
    }

    private static final class MovableClock extends Clock {
        private volatile Instant now;

        MovableClock(Instant start) {
            this.now = start;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
