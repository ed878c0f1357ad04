package dev.wasched.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wasched.Wasched;
import dev.wasched.contact.ContactSpec;
import dev.wasched.delivery.Delivery;
import dev.wasched.delivery.DeliveryStatus;
import dev.wasched.event.WaschedEvent;
import dev.wasched.policy.PacingPolicy;
import dev.wasched.schedule.ScheduleSpec;
import dev.wasched.schedule.Target;
import dev.wasched.schedule.Trigger;
import dev.wasched.session.AccountState;
import dev.wasched.spi.store.DeliveryRepository;
import dev.wasched.spi.store.Lease;
import dev.wasched.spi.store.WaschedStore;
import dev.wasched.testkit.transport.MessageLog;
import dev.wasched.testkit.transport.RecordingTransport;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** A dead instance's work is taken over after its leases expire; what it was sending is never resent blindly. */
class TakeoverTest extends EngineFixture {
    @Test
    void expiredClaimsAreSentAndExpiredSendsBecomeUncertain() {
        build(b -> b.instanceId("survivor"));
        List<Delivery> claimed = fanOutAndClaim(3, false);
        Delivery sending = claimed.get(2).startSending(clock.instant());
        assertThat(store.deliveries().update(sending, store.leases().current("session:" + ACCOUNT).orElseThrow()))
                .isTrue();
        assertThat(runAfter(Duration.ofSeconds(29))).as("leases still valid").isZero();
        assertThat(runAfter(Duration.ofSeconds(1))).isEqualTo(2);
        assertThat(log.entries()).extracting(e -> e.deliveryId())
                .containsExactlyInAnyOrder(claimed.get(0).id(), claimed.get(1).id());
        Delivery uncertain = wasched.deliveries().get(sending.id());
        assertThat(uncertain.status()).isEqualTo(DeliveryStatus.UNCERTAIN);
        assertThat(uncertain.lastError()).contains("dead-instance");
        assertThat(events(WaschedEvent.DeliveryUncertain.class)).hasSize(1);
        assertThat(runAfter(Duration.ofHours(1))).as("never resent automatically").isZero();
        assertThat(wasched.deliveries().requeue(uncertain.id()).status()).isEqualTo(DeliveryStatus.PENDING);
        assertThat(wasched.runDue()).isEqualTo(1);
        assertThat(log.duplicates()).isEmpty();
    }

    private List<Delivery> fanOutAndClaim(int n, boolean startSending) {
        String tag = "batch-" + System.nanoTime();
        for (int i = 0; i < n; i++) {
            wasched.schedules().create(ScheduleSpec.builder().account(ACCOUNT).to(Target.group(tag + "-" + i))
                    .text("x").trigger(Trigger.once(clock.instant().plusSeconds(3600))).build());
        }
        // Let a throw-away engine without transports fan these out, as the dead instance did.
        try (Wasched fanner = Wasched.builder().store(store).clock(clock).instanceId("fanner").build()) {
            clock.advance(Duration.ofHours(1));
            fanner.runDue();
        }
        Instant now = clock.instant();
        // The dead instance held the account's session lease (30 s on the store's clock) when it claimed these.
        Lease dead = store.leases().acquire("session:" + ACCOUNT, "dead-instance", Duration.ofSeconds(30))
                .orElseThrow();
        List<Delivery> claimed = store.deliveries().claimDue(ACCOUNT, now, dead, n);
        if (startSending) {
            claimed = claimed.stream().map(d -> {
                Delivery s = d.startSending(now);
                store.deliveries().update(s, dead);
                return s;
            }).toList();
        }
        return claimed;
    }

    /** The dead instance had actually sent these: the chat (the shared log) has them. */
    private void sentByTheDeadInstance(List<Delivery> sending) throws Exception {
        RecordingTransport other = new RecordingTransport(ACCOUNT, log);
        other.start(new dev.wasched.spi.transport.TransportContext() {
            public String account() {
                return ACCOUNT;
            }

            public java.time.Clock clock() {
                return clock;
            }

            public void emit(dev.wasched.spi.transport.TransportEvent e) {
            }

            public dev.wasched.spi.transport.SessionStorage sessionStorage() {
                return new dev.wasched.spi.transport.SessionStorage() {
                    public java.util.Optional<byte[]> load() {
                        return java.util.Optional.empty();
                    }

                    public void save(byte[] s) {
                    }

                    public void clear() {
                    }
                };
            }
        });
        for (Delivery d : sending) {
            other.send(new dev.wasched.spi.transport.OutgoingMessage(d.id(), ACCOUNT, d.recipient(), d.content(),
                    null, false));
        }
    }

    @Test
    void anUncertainDeliveryFoundInTheChatIsSettledAsSent() throws Exception {
        build(b -> b.instanceId("survivor"));
        List<Delivery> sending = fanOutAndClaim(1, true);
        sentByTheDeadInstance(sending);
        runAfter(Duration.ofSeconds(31)); // the lease expires: UNCERTAIN
        runAfter(Duration.ofSeconds(10)); // next maintenance: looked up and found
        Delivery settled = wasched.deliveries().get(sending.get(0).id());
        assertThat(settled.status()).isEqualTo(DeliveryStatus.SENT);
        assertThat(log.size()).as("not sent again").isEqualTo(1);
    }

    @Test
    void aLookupThatCannotTellIsAskedAgainAfterAPause() throws Exception {
        build(b -> b.instanceId("survivor"));
        transport.answerLookupsUnknown(1);
        List<Delivery> sending = fanOutAndClaim(1, true);
        sentByTheDeadInstance(sending);
        runAfter(Duration.ofSeconds(31)); // the lease expires: UNCERTAIN, asked at once, no answer
        assertThat(transport.lookups()).isEqualTo(1);
        assertThat(wasched.deliveries().get(sending.get(0).id()).status()).isEqualTo(DeliveryStatus.UNCERTAIN);
        runAfter(Duration.ofSeconds(10));
        assertThat(transport.lookups()).as("not asked on every pass").isEqualTo(1);
        runAfter(Duration.ofMinutes(1));
        assertThat(transport.lookups()).isEqualTo(2);
        assertThat(wasched.deliveries().get(sending.get(0).id()).status()).isEqualTo(DeliveryStatus.SENT);
        assertThat(log.size()).as("not sent again").isEqualTo(1);
    }

    @Test
    void uncertainDeliveriesBeyondTheFirstPageAreLookedUpAndEachAnswerIsAskedForOnce() throws Exception {
        build(b -> b.instanceId("survivor"));
        List<Delivery> inTheChat = fanOutAndClaim(5, true);
        sentByTheDeadInstance(inTheChat);
        List<Delivery> notInTheChat = fanOutAndClaim(100, true); // newer ids: listed first
        runAfter(Duration.ofSeconds(31)); // every lease has expired: all UNCERTAIN
        assertThat(deliveries(DeliveryStatus.UNCERTAIN)).hasSize(105);
        assertThat(transport.lookups()).as("bounded work per pass").isEqualTo(20);
        for (int pass = 0; pass < 10; pass++) {
            runAfter(Duration.ofSeconds(10));
        }
        assertThat(inTheChat).allSatisfy(d ->
                assertThat(wasched.deliveries().get(d.id()).status()).isEqualTo(DeliveryStatus.SENT));
        assertThat(notInTheChat).allSatisfy(d ->
                assertThat(wasched.deliveries().get(d.id()).status()).isEqualTo(DeliveryStatus.UNCERTAIN));
        assertThat(transport.lookups()).as("each asked once").isEqualTo(105);
        assertThat(log.size()).as("nothing sent again").isEqualTo(5);
    }

    @Test
    void sessionLeaseMovesToAnotherInstanceOnlyAfterExpiry() {
        build(b -> b.instanceId("first"));
        wasched.runDue();
        assertThat(wasched.sessions().status(ACCOUNT).owner()).isEqualTo("first");
        RecordingTransport second = new RecordingTransport(ACCOUNT, log);
        Wasched other = Wasched.builder().store(store).clock(clock).instanceId("second").transport(second)
                .pacing(PacingPolicy.unlimited()).defaultZone(ZoneId.of("UTC")).build();
        try {
            other.runDue();
            assertThat(other.sessions().status(ACCOUNT).state()).isEqualTo(AccountState.STOPPED);
            assertThat(other.sessions().status(ACCOUNT).owner()).isEqualTo("first");
            assertThat(second.starts()).isZero();
            clock.advance(Duration.ofSeconds(31)); // "first" stopped renewing
            other.runDue();
            assertThat(other.sessions().status(ACCOUNT).owner()).isEqualTo("second");
            assertThat(second.starts()).isEqualTo(1);
        } finally {
            other.close();
        }
    }

    @Test
    void aSessionLeaseTakenForTheFirstTimeLooksForNothingInFlightAndATakingAfterAnotherOwnerDoes() {
        AtomicInteger lookups = new AtomicInteger();
        WaschedStore counting = countingInFlightLookups(store, lookups);
        build(b -> b.store(counting).instanceId("first"));
        wasched.runDue();
        assertThat(store.leases().current("session:" + ACCOUNT).orElseThrow().epoch()).isEqualTo(1);
        assertThat(lookups).as("no earlier owner: nothing can be in flight").hasValue(0);
        clock.advance(Duration.ofSeconds(31)); // "first" stopped renewing
        RecordingTransport second = new RecordingTransport(ACCOUNT, log);
        try (Wasched other = Wasched.builder().store(counting).clock(clock).instanceId("second").transport(second)
                .pacing(PacingPolicy.unlimited()).defaultZone(ZoneId.of("UTC")).build()) {
            other.runDue();
            assertThat(other.sessions().status(ACCOUNT).owner()).isEqualTo("second");
            assertThat(lookups).as("what \"first\" left in flight is looked for").hasValue(1);
        }
    }

    /** The store, counting the calls of {@code findInFlight}. */
    private static WaschedStore countingInFlightLookups(WaschedStore store, AtomicInteger lookups) {
        DeliveryRepository deliveries = forwarding(DeliveryRepository.class, store.deliveries(), m -> {
            if (m.getName().equals("findInFlight")) {
                lookups.incrementAndGet();
            }
        }, Map.of());
        return forwarding(WaschedStore.class, store, m -> { }, Map.of("deliveries", deliveries));
    }

    /** {@code target} behind a proxy that tells {@code seen} of every call and answers {@code replaced} getters itself. */
    private static <T> T forwarding(Class<T> type, T target, Consumer<Method> seen, Map<String, Object> replaced) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[]{type}, (proxy, m, args) -> {
            seen.accept(m);
            if (replaced.containsKey(m.getName()) && (args == null || args.length == 0)) {
                return replaced.get(m.getName());
            }
            try {
                return m.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }));
    }

    @Test
    void gracefulCloseHandsWorkToAnotherEngineAtOnce() throws Exception {
        // Real threads: the first engine waits out a long pacing gap holding claims, then is closed.
        PacingPolicy slow = PacingPolicy.unlimited().withGap(Duration.ofSeconds(10), Duration.ZERO);
        dev.wasched.memory.InMemoryStore shared = store;
        RecordingTransport t1 = new RecordingTransport(ACCOUNT, log);
        Wasched first = Wasched.builder().store(shared).instanceId("first").transport(t1).pacing(slow)
                .heartbeatInterval(Duration.ofMillis(200)).fallbackPoll(Duration.ofMillis(200)).build();
        for (int i = 0; i < 3; i++) {
            first.schedules().create(ScheduleSpec.builder().account(ACCOUNT).to(Target.group("g" + i)).text("x")
                    .trigger(Trigger.once(Instant.now())).build());
        }
        first.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (log.size() < 1 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(log.size()).isEqualTo(1);
        first.close();
        assertThat(store.deliveries().countByStatus(ACCOUNT)).doesNotContainKey(DeliveryStatus.CLAIMED);
        assertThat(store.leases().owner("session:" + ACCOUNT)).as("released, not left to expire").isEmpty();
        assertThat(t1.closes()).isEqualTo(1);
        RecordingTransport t2 = new RecordingTransport(ACCOUNT, log);
        // Pacing state is shared: the second engine runs past the first one's 10 s gap.
        java.time.Clock later = java.time.Clock.offset(java.time.Clock.systemUTC(), Duration.ofSeconds(11));
        try (Wasched second = Wasched.builder().store(shared).clock(later).instanceId("second").transport(t2)
                .pacing(PacingPolicy.unlimited()).build()) {
            assertThat(second.runDue()).as("no wait for lease expiry").isEqualTo(2);
        }
        assertThat(log.duplicates()).isEmpty();
        first.close(); // a second close is a no-op
    }

    @Test
    void closeWaitsForASendInFlightAndRecordsIt() throws Exception {
        RecordingTransport t1 = new RecordingTransport(ACCOUNT, log).blockSends();
        Wasched first = startedWithOneMessageDue(t1, Duration.ofMinutes(1));
        awaitCondition(() -> t1.attempts() == 1, "the send to start");
        Thread closing = new Thread(first::close, "closing-first");
        closing.start();
        awaitCondition(() -> !first.isRunning(), "close to begin");
        t1.releaseSends(); // the send finishes well within the shutdown timeout
        closing.join(TimeUnit.MINUTES.toMillis(2));
        assertThat(closing.isAlive()).as("close returned").isFalse();
        assertThat(log.size()).isEqualTo(1);
        assertThat(store.deliveries().countByStatus(ACCOUNT)).containsOnlyKeys(DeliveryStatus.SENT);
    }

    @Test
    void aSendStillRunningAfterTheShutdownTimeoutIsLeftUncertainAndNotSentAgain() throws Exception {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        RecordingTransport t1 = new RecordingTransport(ACCOUNT, log).blockSends().cutOffSendsOnClose();
        Wasched first = startedWithOneMessageDue(t1, Duration.ofMillis(100));
        awaitCondition(() -> t1.attempts() == 1, "the send to start");
        first.close(); // the send is still blocked when the timeout ends; closing the transport cuts it off
        awaitCondition(() -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> !before.contains(t) && t.getName().startsWith("wasched-dispatch-")),
                "the cut-off send to end");
        assertThat(log.size()).as("the message went out").isEqualTo(1);
        String id = log.entries().get(0).deliveryId();
        assertThat(store.deliveries().findById(id).orElseThrow().status()).isEqualTo(DeliveryStatus.UNCERTAIN);
        RecordingTransport t2 = new RecordingTransport(ACCOUNT, log);
        try (Wasched second = Wasched.builder().store(store).instanceId("second").transport(t2)
                .pacing(PacingPolicy.unlimited()).build()) {
            second.runDue();
        }
        assertThat(t2.attempts()).as("not sent again").isZero();
        assertThat(store.deliveries().findById(id).orElseThrow().status()).as("found in the chat")
                .isEqualTo(DeliveryStatus.SENT);
        assertThat(log.duplicates()).isEmpty();
    }

    @Test
    void claimsOfTheBatchNeverHandedToAHungSendGoBackToTheQueueAtShutdown() throws Exception {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        RecordingTransport t1 = new RecordingTransport(ACCOUNT, log).blockSends().cutOffSendsOnClose();
        Wasched first = Wasched.builder().store(store).instanceId("first").transport(t1)
                .pacing(PacingPolicy.unlimited()).heartbeatInterval(Duration.ofMillis(200))
                .fallbackPoll(Duration.ofMillis(200)).shutdownTimeout(Duration.ofMillis(100)).build();
        for (int i = 1; i <= 3; i++) {
            first.contacts().create(ContactSpec.builder().name("C" + i).phone("+4915112345" + (670 + i)).tag("batch").build());
        }
        first.schedules().create(ScheduleSpec.builder().account(ACCOUNT).to(Target.tag("batch")).text("x")
                .trigger(Trigger.once(Instant.now())).build());
        first.start();
        awaitCondition(() -> t1.attempts() == 1, "the first send to start");
        assertThat(store.deliveries().countByStatus(ACCOUNT)).as("one batch of three, the first one hanging")
                .isEqualTo(Map.of(DeliveryStatus.SENDING, 3L));
        first.close(); // the hung send outlives the shutdown timeout; the other two never reached the transport
        awaitCondition(() -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> !before.contains(t) && t.getName().startsWith("wasched-dispatch-")),
                "the cut-off send to end");
        String hung = log.entries().get(0).deliveryId();
        assertThat(t1.attempts()).as("nothing more went to the transport after the stop").isEqualTo(1);
        assertThat(store.deliveries().findById(hung).orElseThrow().status()).isEqualTo(DeliveryStatus.UNCERTAIN);
        assertThat(store.deliveries().countByStatus(ACCOUNT))
                .isEqualTo(Map.of(DeliveryStatus.UNCERTAIN, 1L, DeliveryStatus.PENDING, 2L));

        RecordingTransport t2 = new RecordingTransport(ACCOUNT, log);
        try (Wasched second = Wasched.builder().store(store).instanceId("second").transport(t2)
                .pacing(PacingPolicy.unlimited()).build()) {
            second.runDue();
        }
        assertThat(t2.attempts()).as("the two unsent ones, and only they").isEqualTo(2);
        assertThat(log.entries()).extracting(MessageLog.Entry::deliveryId).doesNotHaveDuplicates();
    }

    /** An engine on real threads and the system clock, started with one message due now. */
    private Wasched startedWithOneMessageDue(RecordingTransport transport, Duration shutdownTimeout) {
        Wasched w = Wasched.builder().store(store).instanceId("first").transport(transport)
                .pacing(PacingPolicy.unlimited()).heartbeatInterval(Duration.ofMillis(200))
                .fallbackPoll(Duration.ofMillis(200)).shutdownTimeout(shutdownTimeout).build();
        w.schedules().create(ScheduleSpec.builder().account(ACCOUNT).to(Target.group("g")).text("x")
                .trigger(Trigger.once(Instant.now())).build());
        w.start();
        return w;
    }

    private static void awaitCondition(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
            Thread.sleep(10);
        }
    }
}
