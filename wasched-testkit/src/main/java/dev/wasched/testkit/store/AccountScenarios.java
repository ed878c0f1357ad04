package dev.wasched.testkit.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wasched.Wasched;
import dev.wasched.account.Account;
import dev.wasched.account.AccountSpec;
import dev.wasched.account.DuplicateAccountException;
import dev.wasched.account.UnknownAccountException;
import dev.wasched.delivery.DeliveryQuery;
import dev.wasched.delivery.DeliveryStatus;
import dev.wasched.PageRequest;
import dev.wasched.policy.PacingPolicy;
import dev.wasched.policy.QuietHours;
import dev.wasched.schedule.ScheduleSpec;
import dev.wasched.schedule.Target;
import dev.wasched.schedule.Trigger;
import dev.wasched.spi.store.DuplicateKeyException;
import dev.wasched.spi.store.InstanceInfo;
import dev.wasched.spi.store.WaschedStore;
import dev.wasched.testkit.SettableClock;
import dev.wasched.testkit.transport.MessageLog;
import dev.wasched.testkit.transport.RecordingTransport;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The account registry as every store must keep it ({@link dev.wasched.spi.store.AccountRepository}, instance
 * weights), the account service on top of it, and accounts added, paused, removed and spread over several engines
 * while they run ({@link AccountSpreadScenario}); run by {@link StoreCompatibilityKit} on each store.
 */
public abstract class AccountScenarios {
    private static final Instant T0 = Instant.parse("2026-05-04T10:15:30.123Z");

    /** The store under test. */
    protected abstract WaschedStore store();

    /** Another store object on the same database (the same one where the store has no other). */
    protected abstract WaschedStore anotherStore();

    private static Account account(String name, Account.Status status, long version) {
        PacingPolicy pacing = PacingPolicy.DEFAULT.withQuietHours(new QuietHours(LocalTime.of(21, 0), LocalTime.of(8, 0)))
                .withZone(ZoneId.of("Europe/Berlin"));
        return new Account(name, "whatsapp-web", Map.of("expectedNumber", "+4915112345678", "headless", "true"),
                pacing, status, T0, T0.plusSeconds(version), version);
    }

    @Test
    void theRegistryKeepsAccountsWholeAndChangesThemByCompareAndSet() {
        WaschedStore store = store();
        Account a = account("shop-2", Account.Status.ACTIVE, 1);
        store.accounts().insert(a);
        store.accounts().insert(new Account("shop-1", "code", Map.of(), null, Account.Status.ACTIVE, T0, T0, 1));
        assertThatThrownBy(() -> store.accounts().insert(account("shop-2", Account.Status.PAUSED, 1)))
                .isInstanceOf(DuplicateKeyException.class);
        assertThat(store.accounts().find("shop-2")).contains(a);
        assertThat(store.accounts().find("shop-1").orElseThrow().pacing()).isNull();
        assertThat(store.accounts().find("nobody")).isEmpty();

        Account paused = a.withStatus(Account.Status.PAUSED, T0.plusSeconds(5));
        assertThat(store.accounts().update(paused)).isTrue();
        assertThat(store.accounts().update(paused)).as("the same version again").isFalse();
        assertThat(store.accounts().update(a.withStatus(Account.Status.REMOVED, T0))).as("from a stale version")
                .isFalse();
        Account removed = paused.withStatus(Account.Status.REMOVED, T0.plusSeconds(6));
        assertThat(store.accounts().update(removed)).isTrue();
        assertThat(store.accounts().list()).extracting(Account::name, Account::status).containsExactly(
                org.assertj.core.groups.Tuple.tuple("shop-1", Account.Status.ACTIVE),
                org.assertj.core.groups.Tuple.tuple("shop-2", Account.Status.REMOVED));
        assertThat(store.accounts().find("shop-2")).contains(removed);
    }

    @Test
    void instancesKeepTheirWeight() {
        WaschedStore store = store();
        store.instances().heartbeat(new InstanceInfo("w2", "h", T0, T0, T0.plusSeconds(30), 2));
        store.instances().heartbeat(new InstanceInfo("w0", "h", T0, T0, T0.plusSeconds(30), 0));
        assertThat(store.instances().live(T0)).extracting(InstanceInfo::id, InstanceInfo::weight).containsExactly(
                org.assertj.core.groups.Tuple.tuple("w0", 0), org.assertj.core.groups.Tuple.tuple("w2", 2));
    }

    @Test
    void accountsAreAddedPausedAndRemovedAndSchedulesNameOnlyRegisteredOnes() {
        SettableClock clock = new SettableClock(T0);
        MessageLog log = new MessageLog();
        try (Wasched w = Wasched.builder().store(store()).clock(clock).instanceId("solo").pacing(PacingPolicy.unlimited())
                .transportFactory("recording", a -> new RecordingTransport(a.name(), log)).build()) {
            ScheduleSpec.Builder spec = ScheduleSpec.builder().account("shop-2").to(Target.group("team")).text("hi")
                    .trigger(Trigger.once(T0.plusSeconds(1)));
            assertThatThrownBy(() -> w.schedules().create(spec.build()))
                    .isInstanceOf(UnknownAccountException.class).hasMessageContaining("'shop-2'");
            assertThat(w.schedules().list(PageRequest.first(10)).items()).as("nothing stored").isEmpty();

            Account added = w.accounts().add(AccountSpec.builder("shop-2").kind("recording").build());
            assertThat(added.status()).isEqualTo(Account.Status.ACTIVE);
            assertThatThrownBy(() -> w.accounts().add(AccountSpec.builder("shop-2").kind("recording").build()))
                    .isInstanceOf(DuplicateAccountException.class);
            assertThatThrownBy(() -> w.accounts().pause("nobody")).isInstanceOf(UnknownAccountException.class);
            assertThatThrownBy(() -> AccountSpec.builder("bad name!").kind("recording").build())
                    .isInstanceOf(dev.wasched.ValidationException.class).hasMessageContaining("bad name!");

            // Started within one heartbeat (runDue beats once), with no restart.
            w.schedules().create(spec.build());
            clock.advance(Duration.ofSeconds(2));
            assertThat(w.runDue()).isEqualTo(1);
            assertThat(log.entries()).extracting(MessageLog.Entry::account).containsExactly("shop-2");

            w.accounts().pause("shop-2");
            w.schedules().create(spec.text("while paused").trigger(Trigger.once(clock.instant().plusSeconds(1))).build());
            clock.advance(Duration.ofSeconds(2));
            assertThat(w.runDue()).as("a paused account sends nothing").isZero();
            assertThat(w.sessions().status("shop-2").state()).as("its session stays up")
                    .isEqualTo(dev.wasched.session.AccountState.READY);
            w.accounts().resume("shop-2");
            assertThat(w.runDue()).isEqualTo(1);

            w.schedules().create(spec.text("never").trigger(Trigger.once(clock.instant().plusSeconds(60))).build());
            w.accounts().remove("shop-2");
            w.runDue();
            assertThat(store().leases().owner("session:shop-2")).as("stopped").isEmpty();
            assertThat(w.deliveries().history(DeliveryQuery.status(DeliveryStatus.PENDING), PageRequest.first(10))
                    .items()).as("its pending deliveries cancelled").isEmpty();
            assertThat(w.deliveries().history(DeliveryQuery.all().forAccount("shop-2"), PageRequest.first(10))
                    .items()).as("history kept").hasSize(3);
            assertThatThrownBy(() -> w.schedules().create(spec.build())).isInstanceOf(UnknownAccountException.class);
            assertThat(w.accounts().get("shop-2").status()).isEqualTo(Account.Status.REMOVED);

            w.accounts().add(AccountSpec.builder("shop-2").kind("recording").build());
            w.schedules().create(spec.text("back").trigger(Trigger.once(clock.instant().plusSeconds(1))).build());
            clock.advance(Duration.ofSeconds(2));
            assertThat(w.runDue()).as("restored and started again").isEqualTo(1);
        }
    }

    @Test
    void anInstanceThatHasNotReadTheRegistryAgainDoesNotTakeAnAccountJustRemoved() {
        SettableClock clock = new SettableClock(T0);
        MessageLog log = new MessageLog();
        java.util.concurrent.atomic.AtomicInteger startedOnB = new java.util.concurrent.atomic.AtomicInteger();
        try (Wasched a = Wasched.builder().store(store()).clock(clock).instanceId("a")
                .pacing(PacingPolicy.unlimited())
                .transportFactory("recording", acc -> new RecordingTransport(acc.name(), log)).build();
             Wasched b = Wasched.builder().store(anotherStore()).clock(clock).instanceId("b")
                     .pacing(PacingPolicy.unlimited()).transportFactory("recording", acc -> {
                         startedOnB.incrementAndGet();
                         return new RecordingTransport(acc.name(), log);
                     }).build()) {
            a.accounts().add(AccountSpec.builder("shop-4").kind("recording").build());
            a.runDue();
            b.runDue();
            assertThat(store().leases().owner("session:shop-4")).contains("a");

            a.accounts().remove("shop-4"); // a stops it and gives its lease back at once
            assertThat(store().leases().owner("session:shop-4")).isEmpty();
            b.runDue(); // b's copy of the registry still shows the account: the beat must not take it
            b.runDue();
            assertThat(store().leases().owner("session:shop-4")).as("taken by nobody").isEmpty();
            assertThat(startedOnB).as("no transport started for a removed account").hasValue(0);
        }
    }

    @Test
    @Timeout(120)
    void whatARemovedAccountHadClaimedIsCancelledOnceItHasStopped() throws Exception {
        SettableClock clock = new SettableClock(T0); // never moves: the second message waits for its gap for good
        MessageLog log = new MessageLog();
        try (Wasched a = Wasched.builder().store(store()).clock(clock).instanceId("a")
                .transportFactory("recording", acc -> new RecordingTransport(acc.name(), log)).build();
             Wasched b = Wasched.builder().store(anotherStore()).clock(clock).instanceId("b")
                     .heartbeatInterval(Duration.ofMillis(100)).fallbackPoll(Duration.ofMillis(100))
                     .pacing(PacingPolicy.unlimited().withGap(Duration.ofMillis(200), Duration.ZERO))
                     .transportFactory("recording", acc -> new RecordingTransport(acc.name(), log)).build()) {
            a.accounts().add(AccountSpec.builder("shop-5").kind("recording").build());
            for (int i = 0; i < 2; i++) {
                a.schedules().create(ScheduleSpec.builder().account("shop-5").to(Target.group("g" + i)).text("m" + i)
                        .trigger(Trigger.once(T0)).build());
            }
            b.start(); // only b runs the account
            // The first message went out; the second is claimed and waits for its gap, which never comes.
            awaitTrue(() -> log.entries().size() == 1 && count(b, "shop-5", DeliveryStatus.SENDING) == 1);

            // a cancels what is PENDING at once; b stops the account at its next heartbeat, and only then does the
            // claimed one go back to PENDING.
            a.accounts().remove("shop-5");
            awaitTrue(() -> store().leases().owner("session:shop-5").isEmpty()
                    && count(b, "shop-5", DeliveryStatus.CANCELLED) == 1);
            assertThat(count(b, "shop-5", DeliveryStatus.PENDING)).isZero();
            assertThat(log.entries()).hasSize(1);
        }
    }

    private static long count(Wasched w, String account, DeliveryStatus status) {
        return w.deliveries().history(DeliveryQuery.status(status).forAccount(account), PageRequest.first(100))
                .items().size();
    }

    private static void awaitTrue(java.util.function.BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!done.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited 60 s").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    @Test
    @Timeout(300)
    void accountsSpreadEvenlyOverEnginesThatJoinLeaveAndDie() throws Exception {
        new AccountSpreadScenario(store(), anotherStore()).run();
    }
}
