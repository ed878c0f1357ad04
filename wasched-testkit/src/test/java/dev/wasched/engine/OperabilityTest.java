package dev.wasched.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wasched.Secret;
import dev.wasched.health.AccountHealth;
import dev.wasched.health.Diagnostics;
import dev.wasched.health.Health;
import dev.wasched.metrics.WaschedMetrics;
import dev.wasched.policy.PacingPolicy;
import dev.wasched.schedule.Schedule;
import dev.wasched.schedule.ScheduleSpec;
import dev.wasched.schedule.Target;
import dev.wasched.schedule.Trigger;
import dev.wasched.session.AccountState;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class OperabilityTest extends EngineFixture {
    private Schedule schedule(String group, int inSeconds) {
        return wasched.schedules().create(ScheduleSpec.builder().account(ACCOUNT).to(Target.group(group)).text("secret body text")
                .trigger(Trigger.once(clock.instant().plusSeconds(inSeconds))).build());
    }

    @Test
    void healthShowsAccountsQueueStoreAndInstances() {
        build(b -> b.pacing(PacingPolicy.unlimited().withCaps(0, 100, 0)
                .withGap(Duration.ofSeconds(30), Duration.ZERO)));
        Health before = wasched.health();
        assertThat(before.status()).as("nobody owns the account yet").isEqualTo(Health.Status.DEGRADED);
        assertThat(before.reasons()).anyMatch(r -> r.contains("not running on any instance"));
        schedule("a", 0);
        schedule("b", 3600);
        wasched.runDue();
        Health h = wasched.health();
        assertThat(h.status()).isEqualTo(Health.Status.UP);
        assertThat(h.store().reachable()).isTrue();
        assertThat(h.store().latency()).isNotNull().isGreaterThanOrEqualTo(Duration.ZERO);
        assertThat(h.store().error()).isNull();
        assertThat(h.instanceId()).isEqualTo("test-1");
        assertThat(h.liveInstances()).containsExactly("test-1");
        assertThat(h.heldLeases()).containsExactly("session:" + ACCOUNT);
        assertThat(h.queue().pending()).as("the second one fans out at its time").isZero();
        assertThat(h.queue().dueNow()).isZero();
        AccountHealth a = h.accounts().get(0);
        assertThat(a.state()).isEqualTo(AccountState.READY);
        assertThat(a.ownedHere()).isTrue();
        assertThat(a.sentToday()).isEqualTo(1);
        assertThat(a.dailyCap()).isEqualTo(100);
        assertThat(a.lastSentAt()).isEqualTo(clock.instant());
        assertThat(a.circuit()).isEqualTo("CLOSED");
        assertThat(a.nextAllowedSend()).as("after the pacing gap").isEqualTo(clock.instant().plusSeconds(30));
        assertThat(a.readyFor()).isEqualTo(Duration.ZERO);
        assertThat(a.sessionSavedAt()).as("no login was saved").isNull();
        clock.advance(Duration.ofMinutes(5));
        assertThat(wasched.health().accounts().get(0).readyFor()).isEqualTo(Duration.ofMinutes(5));
        transport.disconnect();
        wasched.runDue();
        assertThat(wasched.health().status()).isEqualTo(Health.Status.DEGRADED);
        assertThat(wasched.health().reasons()).anyMatch(r -> r.contains("DISCONNECTED"));
    }

    @Test
    void healthAndDiagnosticsTellWhenTheLoginWasSaved() {
        build();
        transport.requireLogin();
        wasched.runDue();
        AccountHealth waiting = wasched.health().accounts().get(0);
        assertThat(waiting.state()).isEqualTo(AccountState.QR);
        assertThat(waiting.sessionSavedAt()).isNull();
        assertThat(waiting.readyFor()).isNull();
        Instant linkedAt = clock.instant();
        transport.scanQr(); // saves the login
        wasched.runDue();
        clock.advance(Duration.ofHours(2));
        AccountHealth linked = wasched.health().accounts().get(0);
        assertThat(linked.sessionSavedAt()).isEqualTo(linkedAt);
        assertThat(linked.readyFor()).isEqualTo(Duration.ofHours(2));
        assertThat(wasched.diagnostics().toText()).contains("session saved " + linkedAt);
    }

    @Test
    void pausingStopsAllSendingUntilResumedOnEveryInstance() {
        build();
        schedule("a", 0);
        wasched.pauseSending();
        assertThat(wasched.runDue()).isZero();
        assertThat(wasched.health().sendingPaused()).isTrue();
        assertThat(wasched.health().queue().dueNow()).isEqualTo(1);
        assertThat(store.leases().owner("control:sending-paused")).as("visible to others").isPresent();
        wasched.resumeSending();
        assertThat(wasched.runDue()).isEqualTo(1);
    }

    @Test
    void anAccountAddedAtRunTimeGetsItsGaugesToo() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        build(b -> b.metrics(new WaschedMetrics(registry))
                .transportFactory("recording", a -> new dev.wasched.testkit.transport.RecordingTransport(a.name(), log)));
        assertThat(registry.find("wasched.account.ready").tag("account", "later").gauge()).as("not there yet").isNull();
        wasched.accounts().add(dev.wasched.account.AccountSpec.builder("later").kind("recording").build());
        wasched.runDue();
        wasched.runDue();
        assertThat(registry.get("wasched.account.ready").tag("account", "later").gauge().value()).isEqualTo(1.0);
        assertThat(registry.get("wasched.circuit.state").tag("account", "later").gauge().value()).isZero();
    }

    @Test
    void metricsCountOutcomesAndTimeSendsClaimsAndLateness() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        build(b -> b.metrics(new WaschedMetrics(registry)));
        schedule("ok", 0);
        wasched.runDue();
        transport.failNext(1);
        schedule("flaky", 0);
        clock.advance(Duration.ofSeconds(30)); // fires 30 s late
        wasched.runDue();
        assertThat(registry.get("wasched.deliveries").tag("account", ACCOUNT).tag("outcome", "sent").counter().count())
                .isEqualTo(1.0);
        assertThat(registry.get("wasched.deliveries").tag("outcome", "retry").counter().count()).isEqualTo(1.0);
        assertThat(registry.get("wasched.send.latency").tag("outcome", "sent").timer().count()).isEqualTo(1);
        assertThat(registry.get("wasched.claim.latency").tag("account", ACCOUNT).timer().count()).isPositive();
        assertThat(registry.get("wasched.fire.lateness").timer().count()).isEqualTo(2);
        assertThat(registry.get("wasched.fire.lateness").timer().max(java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(30.0);
        assertThat(registry.get("wasched.queue.depth").tag("state", "pending").gauge().value()).isEqualTo(1.0);
        assertThat(registry.get("wasched.circuit.state").tag("account", ACCOUNT).gauge().value()).isZero();
        assertThat(registry.get("wasched.account.ready").tag("account", ACCOUNT).gauge().value()).isEqualTo(1.0);

        transport.failPermanentlyFor("invalid");
        schedule("invalid", 0);
        wasched.runDue();
        wasched.pauseSending();
        Schedule dropped = schedule("dropped", 0);
        wasched.runDue(); // fans out; nothing is sent while paused
        wasched.schedules().delete(dropped.id());
        wasched.resumeSending();
        transport.loseSessionNext(1);
        schedule("lost", 0);
        wasched.runDue();
        assertThat(registry.get("wasched.deliveries").tag("outcome", "dead").counter().count()).isEqualTo(1.0);
        assertThat(registry.get("wasched.deliveries").tag("outcome", "cancelled").counter().count()).isEqualTo(1.0);
        assertThat(registry.get("wasched.deliveries").tag("outcome", "session_lost").counter().count()).isEqualTo(1.0);
        assertThat(registry.get("wasched.send.latency").tag("outcome", "dead").timer().count()).isEqualTo(1);
        assertThat(registry.get("wasched.deliveries").tag("outcome", "sent").counter().count()).isEqualTo(1.0);
    }

    @Test
    void diagnosticsRedactSecretsAndListRecentProblems() {
        Secret key = Secret.of(Base64.getEncoder().encodeToString(new byte[32]));
        build(b -> b.sessionKey(key));
        transport.failPermanentlyFor("dead-group");
        wasched.schedules().create(ScheduleSpec.builder().account(ACCOUNT).to(Target.group("dead-group"))
                .text("secret body text").trigger(Trigger.once(clock.instant())).build());
        wasched.runDue();
        Diagnostics d = wasched.diagnostics();
        String text = d.toText();
        assertThat(d.configuration()).containsEntry("sessionKey", "set (redacted)");
        assertThat(text).doesNotContain(key.reveal()).doesNotContain("secret body text");
        assertThat(d.recentProblems()).singleElement().satisfies(p -> assertThat(p).contains("dead"));
        assertThat(d.waschedVersion()).isEqualTo("0.1.0-SNAPSHOT");
        assertThat(text).contains("account shop: READY");
    }
}
