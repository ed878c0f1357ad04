package dev.wasched.testkit.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wasched.PageRequest;
import dev.wasched.Wasched;
import dev.wasched.account.AccountSpec;
import dev.wasched.delivery.Delivery;
import dev.wasched.delivery.DeliveryQuery;
import dev.wasched.delivery.DeliveryStatus;
import dev.wasched.policy.PacingPolicy;
import dev.wasched.schedule.ScheduleSpec;
import dev.wasched.schedule.Target;
import dev.wasched.schedule.Trigger;
import dev.wasched.spi.store.StoreException;
import dev.wasched.spi.store.WaschedStore;
import dev.wasched.testkit.transport.MessageLog;
import dev.wasched.testkit.transport.RecordingTransport;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Nine registered accounts sending a campaign on three engines: three each; a fourth engine joins and the spread
 * evens out (no engine more than one account above another); one engine dies (its store calls fail, as when its
 * process or network is gone) and the survivors take its accounts once its leases lapse; an account added while the
 * campaign runs is started, one removed is stopped everywhere. Every message sent is sent once; every delivery of a
 * live account ends SENT, or UNCERTAIN when the dead engine was sending it.
 *
 * <p>Only outcomes are judged, never how long something took: a loaded machine may stall any thread for seconds.
 * How long the takeover took is logged.
 */
final class AccountSpreadScenario {
    private static final Logger log = LoggerFactory.getLogger(AccountSpreadScenario.class);
    static final Duration LEASE = Duration.ofSeconds(3);
    static final Duration HEARTBEAT = Duration.ofMillis(300);
    static final Duration PATIENCE = Duration.ofSeconds(90);
    static final int ACCOUNTS = 9;
    static final int PER_ACCOUNT = 30;

    private final WaschedStore store;
    private final WaschedStore other;
    private final MessageLog sent = new MessageLog();
    private final List<Wasched> engines = new ArrayList<>();

    AccountSpreadScenario(WaschedStore store, WaschedStore other) {
        this.store = store;
        this.other = other;
    }

    void run() throws Exception {
        AtomicBoolean dead = new AtomicBoolean();
        try {
            Wasched e1 = engine("e1", store);
            for (int i = 1; i <= ACCOUNTS; i++) {
                e1.accounts().add(AccountSpec.builder(name(i)).kind("recording").build());
            }
            Wasched e2 = engine("e2", store);
            Wasched e3 = engine("e3", failing(other, dead));
            for (int i = 1; i <= ACCOUNTS; i++) {
                campaign(e1, name(i));
            }
            e1.start();
            e2.start();
            e3.start();
            waitUntil("three accounts each", () -> spread().values().stream().allMatch(n -> n == 3)
                    && spread().size() == 3);

            Wasched e4 = engine("e4", store);
            e4.start();
            waitUntil("the fourth engine gets its share", () -> {
                Map<String, Integer> s = spread();
                return s.size() == 4 && s.values().stream().allMatch(n -> n >= 2 && n <= 3)
                        && s.values().stream().mapToInt(Integer::intValue).sum() == ACCOUNTS;
            });

            e1.accounts().add(AccountSpec.builder(name(10)).kind("recording").build());
            campaign(e1, name(10));
            e1.accounts().remove(name(1));
            waitUntil("the added account runs and the removed one nowhere", () -> owner(name(10)).isPresent()
                    && owner(name(1)).isEmpty());
            int sentByRemoved = sentBy(name(1));

            List<String> dying = accountsOf("e3");
            dead.set(true);
            long diedAt = System.nanoTime();
            waitUntil("the survivors take the dead engine's accounts", () -> dying.stream()
                    .allMatch(a -> owner(a).filter(o -> !o.equals("e3")).isPresent()));
            log.info("accounts of the dead engine taken over after {} ms (lease {} ms)",
                    (System.nanoTime() - diedAt) / 1_000_000, LEASE.toMillis());
            assertThat(spread()).doesNotContainKey("e3");
            waitUntil("the survivors even out again", () -> {
                Map<String, Integer> s = spread();
                return s.size() == 3 && s.values().stream().mapToInt(Integer::intValue).sum() == ACCOUNTS
                        && s.values().stream().mapToInt(Integer::intValue).max().orElse(0)
                        - s.values().stream().mapToInt(Integer::intValue).min().orElse(0) <= 1;
            });

            waitUntil("every delivery of a live account final", () -> unfinished() == 0);
            assertThat(sent.duplicates()).as("nothing sent twice").isEmpty();
            assertThat(sentBy(name(1))).as("nothing sent from the removed account after").isEqualTo(sentByRemoved);
            Map<String, Entry> byId = new HashMap<>();
            sent.byDeliveryId().forEach((id, e) -> byId.put(id, new Entry(e.account())));
            for (Delivery d : deliveries()) {
                if (d.account().equals(name(1))) {
                    continue;
                }
                assertThat(d.status()).as("%s", d).isIn(DeliveryStatus.SENT, DeliveryStatus.UNCERTAIN);
                if (d.status() == DeliveryStatus.SENT) {
                    assertThat(byId).as("a SENT delivery was sent").containsKey(d.id());
                    assertThat(byId.get(d.id()).account()).isEqualTo(d.account());
                }
            }
        } finally {
            dead.set(false);
            for (Wasched w : engines) {
                w.close();
            }
        }
    }

    private record Entry(String account) {
    }

    private static String name(int i) {
        return "acc-" + i;
    }

    private Wasched engine(String id, WaschedStore on) {
        Wasched w = Wasched.builder().store(on).instanceId(id).leaseDuration(LEASE).heartbeatInterval(HEARTBEAT)
                .fallbackPoll(Duration.ofMillis(300)).shutdownTimeout(Duration.ofSeconds(2))
                // A gap keeps the campaign going while the engines join, leave and die.
                .pacing(PacingPolicy.unlimited().withGap(Duration.ofMillis(150), Duration.ZERO))
                .transportFactory("recording", a -> new RecordingTransport(a.name(), sent)).build();
        engines.add(w);
        return w;
    }

    private void campaign(Wasched w, String account) {
        for (int i = 0; i < PER_ACCOUNT; i++) {
            w.schedules().create(ScheduleSpec.builder().account(account).to(Target.group(account + "-g" + i))
                    .text(account + " #" + i).trigger(Trigger.once(Instant.now())).build());
        }
    }

    private Optional<String> owner(String account) {
        return store.leases().owner("session:" + account);
    }

    /** Accounts held, by engine (engines holding none are absent). */
    private Map<String, Integer> spread() {
        Map<String, Integer> out = new HashMap<>();
        for (int i = 1; i <= ACCOUNTS + 1; i++) {
            owner(name(i)).ifPresent(o -> out.merge(o, 1, Integer::sum));
        }
        return out;
    }

    private List<String> accountsOf(String engine) {
        List<String> out = new ArrayList<>();
        for (int i = 1; i <= ACCOUNTS + 1; i++) {
            if (owner(name(i)).filter(engine::equals).isPresent()) {
                out.add(name(i));
            }
        }
        return out;
    }

    private int sentBy(String account) {
        return (int) sent.entries().stream().filter(e -> e.account().equals(account)).count();
    }

    private List<Delivery> deliveries() {
        return store.deliveries().history(DeliveryQuery.all(), PageRequest.first(1000)).items();
    }

    private long unfinished() {
        return deliveries().stream().filter(d -> !d.account().equals(name(1)))
                .filter(d -> d.status() != DeliveryStatus.SENT && d.status() != DeliveryStatus.UNCERTAIN).count();
    }

    private static void waitUntil(String what, BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(50);
        }
    }

    /** {@code store}, every call of which (repositories' included) fails while {@code dead} is set. */
    @SuppressWarnings("unchecked")
    private static <T> T failing(T target, AtomicBoolean dead) {
        Class<?>[] types = target.getClass().getInterfaces();
        return (T) Proxy.newProxyInstance(AccountSpreadScenario.class.getClassLoader(),
                types.length == 0 ? new Class<?>[]{WaschedStore.class} : types, (proxy, m, args) -> {
                    if (dead.get() && !m.getName().equals("close")) {
                        throw new StoreException("the instance is gone", null);
                    }
                    Object result;
                    try {
                        result = m.invoke(target, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                    return result != null && m.getReturnType().isInterface()
                            && m.getReturnType().getName().startsWith("dev.wasched.spi.store")
                            ? failing(result, dead) : result;
                });
    }
}
