package dev.wasched.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wasched.contact.Contact;
import dev.wasched.delivery.Delivery;
import dev.wasched.delivery.DeliveryStatus;
import dev.wasched.event.WaschedEvent;
import dev.wasched.schedule.ScheduleSpec;
import dev.wasched.schedule.Target;
import dev.wasched.schedule.Trigger;
import dev.wasched.session.AccountState;
import dev.wasched.spi.store.DeliveryRepository;
import dev.wasched.spi.store.WaschedStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DeliveryOutcomeTest extends EngineFixture {
    private Delivery sendOneToAnn() {
        Contact ann = contact("Ann", "+4915112345678");
        wasched.schedules().create(ScheduleSpec.builder().account(ACCOUNT).to(Target.contacts(ann.id()))
                .text("Hi").trigger(Trigger.once(clock.instant())).build());
        wasched.runDue();
        return deliveries().get(0);
    }

    @Test
    void retryableFailuresBackOffThenDeadLetterThenRequeue() {
        build();
        transport.failNext(3);
        Delivery d = sendOneToAnn();
        assertThat(d.status()).isEqualTo(DeliveryStatus.PENDING);
        assertThat(d.attempts()).isEqualTo(1);
        assertThat(d.dueAt()).isEqualTo(clock.instant().plusSeconds(10));
        assertThat(runAfter(Duration.ofSeconds(9))).as("backoff not over").isZero();
        assertThat(runAfter(Duration.ofSeconds(1))).isZero();
        Delivery second = wasched.deliveries().get(d.id());
        assertThat(second.attempts()).isEqualTo(2);
        assertThat(second.dueAt()).as("doubled").isEqualTo(clock.instant().plusSeconds(20));
        runAfter(Duration.ofSeconds(20));
        Delivery dead = wasched.deliveries().get(d.id());
        assertThat(dead.status()).isEqualTo(DeliveryStatus.DEAD);
        assertThat(dead.attempts()).as("never more than the policy allows").isEqualTo(3);
        assertThat(dead.lastError()).contains("gave up after 3 attempt(s)").contains("injected failure");
        assertThat(transport.attempts()).isEqualTo(3);
        assertThat(wasched.deliveries().deadLetters(dev.wasched.PageRequest.first(10)).items()).extracting(Delivery::id)
                .containsExactly(d.id());
        assertThat(events(WaschedEvent.DeliveryRetryScheduled.class)).hasSize(2);
        assertThat(events(WaschedEvent.DeliveryDead.class)).hasSize(1);

        Delivery requeued = wasched.deliveries().requeue(d.id());
        assertThat(requeued.status()).isEqualTo(DeliveryStatus.PENDING);
        assertThat(requeued.attempts()).isZero();
        assertThat(wasched.runDue()).isEqualTo(1);
        assertThat(wasched.deliveries().get(d.id()).status()).isEqualTo(DeliveryStatus.SENT);
        assertThat(log.size()).isEqualTo(1);
    }

    @Test
    void permanentFailureIsDeadAtOnce() {
        build();
        transport.failPermanentlyFor("+4915112345678");
        Delivery d = sendOneToAnn();
        assertThat(d.status()).isEqualTo(DeliveryStatus.DEAD);
        assertThat(d.attempts()).isEqualTo(1);
        assertThat(d.lastError()).contains("invalid");
    }

    @Test
    void lostSessionDoesNotUseAnAttemptAndSendsAfterReconnect() {
        build();
        transport.loseSessionNext(1);
        Delivery d = sendOneToAnn();
        assertThat(d.status()).isEqualTo(DeliveryStatus.PENDING);
        assertThat(d.attempts()).isZero();
        assertThat(wasched.sessions().status(ACCOUNT).state()).isEqualTo(AccountState.DISCONNECTED);
        assertThat(runAfter(Duration.ofMinutes(1))).as("still disconnected").isZero();
        transport.reconnect();
        assertThat(runAfter(Duration.ofSeconds(1))).isEqualTo(1);
        assertThat(wasched.deliveries().get(d.id()).attempts()).isEqualTo(1);
    }

    @Test
    void acksMoveDeliveriesToDeliveredAndRead() {
        build();
        Delivery d = sendOneToAnn();
        transport.ack(d.transportMessageId(), DeliveryStatus.DELIVERED);
        wasched.runDue();
        assertThat(wasched.deliveries().get(d.id()).status()).isEqualTo(DeliveryStatus.DELIVERED);
        transport.ack(d.transportMessageId(), DeliveryStatus.READ);
        transport.ack(d.transportMessageId(), DeliveryStatus.DELIVERED);
        wasched.runDue();
        Delivery read = wasched.deliveries().get(d.id());
        assertThat(read.status()).isEqualTo(DeliveryStatus.READ);
        assertThat(read.readAt()).isNotNull();
        assertThat(events(WaschedEvent.DeliveryAcknowledged.class)).hasSize(2);
    }

    @Test
    void aMessageTheNetworkGivesUpOnAfterAcceptingItIsDeadAndCanBeRequeued() {
        build();
        Delivery d = sendOneToAnn();
        transport.undelivered(d.transportMessageId(), "WhatsApp error 131026: Message undeliverable");
        wasched.runDue();
        Delivery dead = wasched.deliveries().get(d.id());
        assertThat(dead.status()).isEqualTo(DeliveryStatus.DEAD);
        assertThat(dead.lastError()).contains("131026");
        assertThat(events(WaschedEvent.DeliveryDead.class)).singleElement()
                .satisfies(e -> assertThat(e.reason()).contains("131026"));
        assertThat(wasched.deliveries().deadLetters(dev.wasched.PageRequest.first(10)).items()).extracting(Delivery::id)
                .containsExactly(d.id());

        Delivery again = wasched.deliveries().requeue(d.id());
        assertThat(again.status()).isEqualTo(DeliveryStatus.PENDING);
        assertThat(wasched.runDue()).isEqualTo(1);
        Delivery resent = wasched.deliveries().get(d.id());
        assertThat(resent.status()).isEqualTo(DeliveryStatus.SENT);
        assertThat(resent.transportMessageId()).isNotEqualTo(d.transportMessageId());
        transport.undelivered(d.transportMessageId(), "late news about the first message");
        transport.ack(resent.transportMessageId(), DeliveryStatus.READ);
        transport.undelivered(resent.transportMessageId(), "after it was read");
        wasched.runDue();
        assertThat(wasched.deliveries().get(d.id()).status()).as("a read message stays read")
                .isEqualTo(DeliveryStatus.READ);
    }

    @Test
    void messagesStillAwaitingAcksAreHandedToTheTransportWhenTheAccountIsReadyAgain() {
        build();
        Delivery d = sendOneToAnn();
        Contact bob = contact("Bob", "+4915187654321");
        wasched.schedules().create(ScheduleSpec.builder().account(ACCOUNT).to(Target.contacts(bob.id()))
                .text("Hi").trigger(Trigger.once(clock.instant())).build());
        wasched.runDue();
        Delivery other = deliveries().stream().filter(x -> !x.id().equals(d.id())).findFirst().orElseThrow();
        transport.ack(other.transportMessageId(), DeliveryStatus.READ); // nothing more to wait for
        wasched.runDue();
        wasched.close();

        clock.advance(Duration.ofHours(1));
        build();
        wasched.runDue();
        assertThat(transport.followed()).singleElement().satisfies(m -> {
            assertThat(m.messageId()).isEqualTo(d.transportMessageId());
            assertThat(m.status()).isEqualTo(DeliveryStatus.SENT);
            assertThat(m.recipient()).isEqualTo(d.recipient());
        });
        transport.ack(d.transportMessageId(), DeliveryStatus.READ); // as the transport learns it
        wasched.runDue();
        assertThat(wasched.deliveries().get(d.id()).status()).isEqualTo(DeliveryStatus.READ);
    }

    @Test
    void anAckReportedBeforeTheSendIsStoredIsHeldAndApplied() {
        // The engine looks the ack up (and finds nothing) before it stores SENT with the message id.
        CountDownLatch ackLookedUp = new CountDownLatch(1);
        DeliveryRepository deliveries = callingAfter(DeliveryRepository.class, store.deliveries(),
                "findByTransportMessageId", ackLookedUp::countDown);
        WaschedStore watched = withDeliveries(store, deliveries);
        build(b -> b.store(watched));
        transport.onSent(sent -> {
            transport.ack(sent.messageId(), DeliveryStatus.READ);
            awaitQuietly(ackLookedUp);
        });
        Delivery d = sendOneToAnn();
        assertThat(ackLookedUp.getCount()).isZero();
        Delivery read = wasched.deliveries().get(d.id());
        assertThat(read.status()).isEqualTo(DeliveryStatus.READ);
        assertThat(read.readAt()).isNotNull();
        assertThat(events(WaschedEvent.DeliveryAcknowledged.class)).hasSize(1);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@code target} behind a proxy that runs {@code after} each time a call of {@code method} has returned. */
    private static <T> T callingAfter(Class<T> type, T target, String method, Runnable after) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, m, args) -> {
            Object result = invoke(target, m, args);
            if (m.getName().equals(method)) {
                after.run();
            }
            return result;
        }));
    }

    private static WaschedStore withDeliveries(WaschedStore store, DeliveryRepository deliveries) {
        return (WaschedStore) Proxy.newProxyInstance(WaschedStore.class.getClassLoader(),
                new Class<?>[] {WaschedStore.class},
                (proxy, m, args) -> m.getName().equals("deliveries") ? deliveries : invoke(store, m, args));
    }

    private static Object invoke(Object target, Method m, Object[] args) throws Throwable {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @Test
    void circuitOpensAfterRepeatedFailuresAndPausesTheAccount() {
        build(b -> b.circuitBreaker(2, Duration.ofMinutes(10)));
        transport.failNext(100);
        for (int i = 0; i < 5; i++) {
            wasched.schedules().create(ScheduleSpec.builder().account(ACCOUNT).to(Target.group("g" + i))
                    .text("x").trigger(Trigger.once(clock.instant())).build());
        }
        wasched.runDue();
        assertThat(transport.attempts()).as("two failures open the circuit").isEqualTo(2);
        assertThat(deliveries(DeliveryStatus.PENDING)).hasSize(5);
    }
}
