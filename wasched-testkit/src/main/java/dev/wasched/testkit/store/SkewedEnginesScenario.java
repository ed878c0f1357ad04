package dev.wasched.testkit.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wasched.Wasched;
import dev.wasched.delivery.Delivery;
import dev.wasched.delivery.DeliveryQuery;
import dev.wasched.delivery.DeliveryStatus;
import dev.wasched.PageRequest;
import dev.wasched.policy.PacingPolicy;
import dev.wasched.policy.RetryPolicy;
import dev.wasched.schedule.ScheduleSpec;
import dev.wasched.schedule.Target;
import dev.wasched.schedule.Trigger;
import dev.wasched.spi.store.DeliveryRepository;
import dev.wasched.spi.store.DispatchCycle;
import dev.wasched.spi.store.Lease;
import dev.wasched.spi.store.LeaseRenewal;
import dev.wasched.spi.store.LeaseRepository;
import dev.wasched.spi.store.SessionSnapshot;
import dev.wasched.spi.store.WaschedStore;
import dev.wasched.spi.transport.MessageTransport;
import dev.wasched.spi.transport.TransportContext;
import dev.wasched.testkit.transport.ForwardingTransport;
import dev.wasched.testkit.transport.MessageLog;
import dev.wasched.testkit.transport.RecordingTransport;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * Two engines on one database whose clocks are 5 s apart. The first owns the account and sends; then its heartbeat
 * stalls past the lease (as in a long GC pause or a hung connection), the second takes the account over, and the
 * first wakes up. Proves, on the store under test: nothing is sent twice; the former owner claims nothing once the new
 * owner has started; its late session save does not overwrite the new owner's; the lease lapses on the store's clock
 * (whatever the instances' clocks say), so the second takes the account over; every message ends SENT, having been
 * sent once, or UNCERTAIN.
 *
 * <p>Only outcomes and the order of events are judged, never how long something took: a loaded machine may stall
 * any thread for seconds.
 */
final class SkewedEnginesScenario {
    static final String ACCOUNT = "acc";
    static final Duration LEASE = Duration.ofSeconds(3);
    static final Duration HEARTBEAT = Duration.ofMillis(500);
    /** A bound for the waits on the engines, not a claim about speed: only a stuck engine or store reaches it. */
    static final Duration PATIENCE = Duration.ofSeconds(60);
    static final int MESSAGES = 120;

    private final WaschedStore first;
    private final WaschedStore second;
    private final MessageLog log = new MessageLog();
    private final AtomicBoolean stallRenewals = new AtomicBoolean();
    /**
     * Successful claims of the first engine, by when their call began: a claim's statement runs after that, so a
     * call begun before the second's first claim returned cannot be blamed on a slow return.
     */
    private final List<Long> firstClaimsAt = new CopyOnWriteArrayList<>();
    private final AtomicLong secondFirstClaimAt = new AtomicLong(Long.MAX_VALUE);
    private final AtomicReference<TransportContext> firstContext = new AtomicReference<>();

    SkewedEnginesScenario(WaschedStore first, WaschedStore second) {
        this.first = first;
        this.second = second;
    }

    void run() throws Exception {
        WaschedStore stalling = observed(first, true);
        WaschedStore watched = observed(second, false);
        try (Wasched a = engine(stalling, "first", Clock.systemUTC(), true);
             Wasched b = engine(watched, "second", Clock.offset(Clock.systemUTC(), Duration.ofSeconds(5)), false)) {
            for (int i = 0; i < MESSAGES; i++) {
                a.schedules().create(ScheduleSpec.builder().account(ACCOUNT).to(Target.group("g-" + i)).text("m" + i)
                        .trigger(Trigger.once(Instant.now())).build());
            }
            a.start();
            waitUntil("the first engine sends", PATIENCE, () -> log.size() >= MESSAGES / 4);
            b.start();
            assertThat(second.leases().owner("session:" + ACCOUNT)).as("still the first's").contains("first");

            stallRenewals.set(true);
            try {
                stalledPhase();
            } finally {
                // A failed check must not leave a renewal stalled: it holds the engine's account, and closing the
                // engine would wait for it for ever instead of reporting the failure.
                stallRenewals.set(false);
            }
            waitUntil("every message final", PATIENCE.multipliedBy(2), () -> finished(second) == MESSAGES);
            assertThat(log.duplicates()).as("nothing sent twice").isEmpty();
            assertThat(firstClaimsAt).as("the former owner claims nothing once the new owner has claimed")
                    .allSatisfy(t -> assertThat(t).isLessThan(secondFirstClaimAt.get()));
            // A send cut off by the takeover is UNCERTAIN whether or not it went out; a SENT one went out once.
            Map<String, DeliveryStatus> statuses = statuses(second);
            assertThat(statuses).hasSize(MESSAGES);
            assertThat(log.byDeliveryId().keySet()).as("sends of these deliveries only")
                    .isSubsetOf(statuses.keySet());
            assertThat(log.byDeliveryId().keySet()).as("every SENT delivery was sent")
                    .containsAll(withStatus(statuses, DeliveryStatus.SENT));
            assertThat(withStatus(statuses, DeliveryStatus.SENT).size()
                    + withStatus(statuses, DeliveryStatus.UNCERTAIN).size()).as("SENT or UNCERTAIN").isEqualTo(MESSAGES);
        }
    }

    /** With the first engine's renewals stalled: the second takes over and the former owner cannot write. */
    private void stalledPhase() throws Exception {
        // The store judges the lease on its own clock: once the renewals stop it lapses, whatever the engines' clocks say.
        waitUntil("the second engine takes the account", PATIENCE,
                () -> second.leases().owner("session:" + ACCOUNT).filter("second"::equals).isPresent());

        Lease current = second.leases().current("session:" + ACCOUNT).orElseThrow();
        long version = second.sessions().load(ACCOUNT).map(SessionSnapshot::version).orElse(0L);
        // A true checksum: the second engine may read the snapshot as its transport starts, and would quarantine one
        // that fails it.
        byte[] secondsSession = {2};
        String secondsSha = sha256(secondsSession);
        assertThat(second.sessions().replace(new SessionSnapshot(ACCOUNT, secondsSession, secondsSha, false,
                Instant.now(), version + 1), current)).isTrue();
        firstContext.get().sessionStorage().save(new byte[]{1}); // the former owner's late save
        assertThat(second.sessions().load(ACCOUNT).orElseThrow().sha256()).isEqualTo(secondsSha);
    }

    private static String sha256(byte[] data) throws java.security.NoSuchAlgorithmException {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(data));
    }

    private static void waitUntil(String what, Duration max, java.util.function.BooleanSupplier done)
            throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(20);
        }
    }

    private Wasched engine(WaschedStore store, String id, Clock clock, boolean captureContext) {
        return Wasched.builder().store(store).instanceId(id).clock(clock).leaseDuration(LEASE)
                .heartbeatInterval(HEARTBEAT).fallbackPoll(Duration.ofMillis(200)).pacing(PacingPolicy.unlimited())
                // A send refused at the takeover (its lease ended first) is retried: soon, not after the default 30 s.
                .retry(RetryPolicy.of(5, Duration.ofMillis(200)))
                .transport(ACCOUNT, () -> {
                    RecordingTransport t = new RecordingTransport(ACCOUNT, log).slowSends(Duration.ofMillis(20));
                    return captureContext ? capturing(t) : t;
                }).build();
    }

    /** The transport as the engine sees it, keeping the context it is started with. */
    private MessageTransport capturing(MessageTransport t) {
        return new ForwardingTransport(t) {
            @Override
            public void start(TransportContext context) {
                firstContext.set(context);
                super.start(context);
            }
        };
    }

    /** The store with its lease renewals (first engine: stallable) and claims observed. */
    private WaschedStore observed(WaschedStore store, boolean isFirst) {
        // Renewals come through the repository or, in one call with the instance's row, the store's heartbeat.
        Before stall = (m, args) -> {
            if (isFirst && (m.getName().startsWith("renew") || m.getName().equals("heartbeat"))) {
                while (stallRenewals.get()) {
                    Thread.sleep(20);
                }
            }
        };
        LeaseRepository leases = proxy(LeaseRepository.class, store.leases(), stall, (m, started, result) -> { });
        After claims = (m, started, result) -> {
            boolean claimed = m.getName().equals("claimDue") && result instanceof List<?> l && !l.isEmpty()
                    || m.getName().equals("dispatch") && result instanceof DispatchCycle.Result r
                    && !r.sending().isEmpty();
            if (claimed && isFirst) {
                firstClaimsAt.add(started);
            } else if (claimed) {
                secondFirstClaimAt.accumulateAndGet(System.nanoTime(), Math::min);
            }
        };
        DeliveryRepository deliveries = proxy(DeliveryRepository.class, store.deliveries(), (m, args) -> { }, claims);
        return proxy(WaschedStore.class, store, stall, claims, leases, deliveries);
    }

    interface Before {
        void call(java.lang.reflect.Method m, Object[] args) throws Exception;
    }

    interface After {
        /** {@code started}: {@link System#nanoTime()} when the call began (after {@link Before}). */
        void call(java.lang.reflect.Method m, long started, Object result);
    }

    private static <T> T proxy(Class<T> type, T target, Before before, After after, Object... replacements) {
        return type.cast(Proxy.newProxyInstance(SkewedEnginesScenario.class.getClassLoader(), new Class<?>[]{type},
                (p, m, args) -> {
                    for (Object r : replacements) {
                        if (m.getParameterCount() == 0 && m.getReturnType().isInstance(r)) {
                            return r;
                        }
                    }
                    before.call(m, args);
                    long started = System.nanoTime();
                    Object result = invoke(target, m, args);
                    after.call(m, started, result);
                    return result;
                }));
    }

    private static Object invoke(Object target, java.lang.reflect.Method m, Object[] args) throws Throwable {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static long finished(WaschedStore store) {
        return store.deliveries().countByStatus(ACCOUNT).entrySet().stream()
                .filter(e -> e.getKey() == DeliveryStatus.SENT || e.getKey() == DeliveryStatus.UNCERTAIN)
                .mapToLong(Map.Entry::getValue).sum();
    }

    private static Map<String, DeliveryStatus> statuses(WaschedStore store) {
        List<Delivery> all = store.deliveries().history(DeliveryQuery.all().forAccount(ACCOUNT),
                PageRequest.first(MESSAGES + 1)).items();
        return all.stream().collect(Collectors.toMap(Delivery::id, Delivery::status));
    }

    private static Set<String> withStatus(Map<String, DeliveryStatus> statuses, DeliveryStatus status) {
        return statuses.entrySet().stream().filter(e -> e.getValue() == status).map(Map.Entry::getKey)
                .collect(Collectors.toSet());
    }
}
