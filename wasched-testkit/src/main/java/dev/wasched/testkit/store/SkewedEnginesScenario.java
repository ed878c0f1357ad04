package dev.wasched.testkit.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wasched.Wasched;
import dev.wasched.delivery.Delivery;
import dev.wasched.delivery.DeliveryQuery;
import dev.wasched.delivery.DeliveryStatus;
import dev.wasched.PageRequest;
import dev.wasched.policy.PacingPolicy;
import dev.wasched.schedule.ScheduleSpec;
import dev.wasched.schedule.Target;
import dev.wasched.schedule.Trigger;
import dev.wasched.spi.store.DeliveryRepository;
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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Two engines on one database whose clocks are 5 s apart. The first owns the account and sends; then its heartbeat
 * stalls past the lease (as in a long GC pause or a hung connection), the second takes the account over, and the
 * first wakes up. Proves, on the store under test: nothing is sent twice; the former owner claims nothing once the new
 * owner has started; its late session save does not overwrite the new owner's; the takeover happens within the lease
 * duration of the last renewal, whatever the instances' clocks say.
 */
final class SkewedEnginesScenario {
    static final String ACCOUNT = "acc";
    static final Duration LEASE = Duration.ofSeconds(3);
    static final Duration HEARTBEAT = Duration.ofMillis(500);
    /** Scheduling slack of a loaded two-core machine on top of the lease duration. */
    static final Duration SLACK = Duration.ofSeconds(3);
    static final int MESSAGES = 120;

    private final WaschedStore first;
    private final WaschedStore second;
    private final MessageLog log = new MessageLog();
    private final AtomicBoolean stallRenewals = new AtomicBoolean();
    private final AtomicLong lastRenewalNanos = new AtomicLong();
    /** Claims made by the first engine, with the time they were made. */
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
            waitUntil("the first engine sends", Duration.ofSeconds(60), () -> log.size() >= MESSAGES / 4);
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
            waitUntil("every message final", Duration.ofSeconds(90), () -> finished(second) == MESSAGES);
            assertThat(log.duplicates()).as("nothing sent twice").isEmpty();
            assertThat(firstClaimsAt).as("the former owner claims nothing once the new owner has claimed")
                    .allSatisfy(t -> assertThat(t).isLessThan(secondFirstClaimAt.get()));
            assertThat(log.size() + countUncertain(second)).isEqualTo(MESSAGES);
        }
    }

    /** With the first engine's renewals stalled: the second takes over in time and the former owner cannot write. */
    private void stalledPhase() throws Exception {
        long stalledAt = System.nanoTime();
            waitUntil("the second engine takes the account", LEASE.plus(SLACK).plusSeconds(10),
                    () -> second.leases().owner("session:" + ACCOUNT).filter("second"::equals).isPresent());
            Duration takeover = Duration.ofNanos(System.nanoTime() - lastRenewalNanos.get());
            assertThat(takeover).as("taken over within the lease duration of the last renewal (stalled after %s ms)",
                    (System.nanoTime() - stalledAt) / 1_000_000).isLessThanOrEqualTo(LEASE.plus(SLACK));

            Lease current = second.leases().current("session:" + ACCOUNT).orElseThrow();
            long version = second.sessions().load(ACCOUNT).map(SessionSnapshot::version).orElse(0L);
            assertThat(second.sessions().replace(new SessionSnapshot(ACCOUNT, new byte[]{2}, "sha-second", false,
                    Instant.now(), version + 1), current)).isTrue();
            firstContext.get().sessionStorage().save(new byte[]{1}); // the former owner's late save
            assertThat(second.sessions().load(ACCOUNT).orElseThrow().sha256()).isEqualTo("sha-second");
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
        LeaseRepository leases = proxy(LeaseRepository.class, store.leases(), (m, args) -> {
            if (isFirst && m.getName().startsWith("renew")) {
                while (stallRenewals.get()) {
                    Thread.sleep(20);
                }
            }
        }, (m, result) -> {
            boolean renewed = Boolean.TRUE.equals(result) || result instanceof LeaseRenewal r && !r.renewed().isEmpty();
            if (isFirst && m.getName().startsWith("renew") && renewed) {
                lastRenewalNanos.set(System.nanoTime());
            }
            if (isFirst && m.getName().equals("acquire") && result instanceof java.util.Optional<?> o && o.isPresent()) {
                lastRenewalNanos.set(System.nanoTime());
            }
        });
        DeliveryRepository deliveries = proxy(DeliveryRepository.class, store.deliveries(), (m, args) -> { },
                (m, result) -> {
                    if (m.getName().equals("claimDue") && result instanceof List<?> l && !l.isEmpty()) {
                        long now = System.nanoTime();
                        if (isFirst) {
                            firstClaimsAt.add(now);
                        } else {
                            secondFirstClaimAt.accumulateAndGet(now, Math::min);
                        }
                    }
                });
        return proxy(WaschedStore.class, store, (m, args) -> { }, (m, r) -> { }, leases, deliveries);
    }

    interface Before {
        void call(java.lang.reflect.Method m, Object[] args) throws Exception;
    }

    interface After {
        void call(java.lang.reflect.Method m, Object result);
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
                    Object result = invoke(target, m, args);
                    after.call(m, result);
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
                .mapToLong(java.util.Map.Entry::getValue).sum();
    }

    private static long countUncertain(WaschedStore store) {
        List<Delivery> uncertain = store.deliveries().history(DeliveryQuery.status(DeliveryStatus.UNCERTAIN)
                .forAccount(ACCOUNT), PageRequest.first(MESSAGES)).items();
        return uncertain.size();
    }
}
