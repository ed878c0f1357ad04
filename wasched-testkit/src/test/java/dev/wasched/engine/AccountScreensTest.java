package dev.wasched.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wasched.contact.Contact;
import dev.wasched.delivery.Delivery;
import dev.wasched.delivery.DeliveryStatus;
import dev.wasched.event.WaschedEvent;
import dev.wasched.health.Health;
import dev.wasched.schedule.ScheduleSpec;
import dev.wasched.schedule.Target;
import dev.wasched.schedule.Trigger;
import dev.wasched.session.AccountState;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Screens a browser transport finds instead of a usable page: each is one state and one event, holds sending, uses no
 * attempt, and sending resumes once the page is usable again.
 */
class AccountScreensTest extends EngineFixture {
    private Delivery scheduleOne() {
        Contact ann = contact("Ann", "+4915112345678");
        wasched.schedules().create(ScheduleSpec.builder().account(ACCOUNT).to(Target.contacts(ann.id()))
                .text("Hi").trigger(Trigger.once(clock.instant())).build());
        wasched.runDue();
        return deliveries().get(0);
    }

    @ParameterizedTest
    @EnumSource(value = AccountState.class, names = {"NEEDS_PASSKEY", "CONFLICT", "RESTRICTED", "OFFLINE"})
    void aScreenHoldsSendingWithoutUsingAttemptsAndSendingResumesAfterIt(AccountState screen) {
        build();
        wasched.runDue();
        transport.showScreen(screen, "shown by the page");
        Delivery d = scheduleOne();

        assertThat(wasched.sessions().status(ACCOUNT).state()).isEqualTo(screen);
        assertThat(events(WaschedEvent.AccountStateChanged.class)).filteredOn(e -> e.to() == screen).singleElement()
                .satisfies(e -> assertThat(e.detail()).isEqualTo("shown by the page"));
        assertThat(runAfter(Duration.ofMinutes(10))).as("nothing is sent on that screen").isZero();
        assertThat(transport.attempts()).isZero();
        assertThat(wasched.deliveries().get(d.id()).status()).isEqualTo(DeliveryStatus.PENDING);
        Health h = wasched.health();
        assertThat(h.status()).isEqualTo(Health.Status.DEGRADED);
        assertThat(h.reasons()).anyMatch(r -> r.contains("account " + ACCOUNT + " is " + screen));
        assertThat(h.accounts()).singleElement().satisfies(a -> assertThat(a.stateDetail()).isEqualTo("shown by the page"));

        transport.reconnect();
        assertThat(runAfter(Duration.ofSeconds(1))).isEqualTo(1);
        Delivery sent = wasched.deliveries().get(d.id());
        assertThat(sent.status()).isEqualTo(DeliveryStatus.SENT);
        assertThat(sent.attempts()).isEqualTo(1);
        assertThat(log.entries()).hasSize(1);
    }

    @ParameterizedTest
    @EnumSource(value = AccountState.class, names = {"RESTRICTED", "OFFLINE", "CONFLICT"})
    void aSendThatFindsTheScreenIsReturnedUnsentAndNotRetriedIntoIt(AccountState screen) {
        build();
        transport.showScreenOnNextSend(screen, "banner instead of the compose box");
        Delivery d = scheduleOne();

        Delivery back = wasched.deliveries().get(d.id());
        assertThat(back.status()).isEqualTo(DeliveryStatus.PENDING);
        assertThat(back.attempts()).as("no attempt used").isZero();
        assertThat(wasched.sessions().status(ACCOUNT).state()).isEqualTo(screen);
        assertThat(events(WaschedEvent.DeliveryRetryScheduled.class)).isEmpty();
        assertThat(runAfter(Duration.ofHours(1))).as("no send into the screen").isZero();
        assertThat(transport.attempts()).as("only the send that found it").isEqualTo(1);

        transport.reconnect();
        assertThat(runAfter(Duration.ofSeconds(1))).isEqualTo(1);
        assertThat(log.entries()).hasSize(1);
    }

    @org.junit.jupiter.api.Test
    void anInstanceWithSendingDisabledRunsTheSessionButSendsNothing() {
        build(b -> b.sendingEnabled(false));
        Delivery d = scheduleOne();
        assertThat(wasched.sessions().status(ACCOUNT).state()).isEqualTo(AccountState.READY);
        assertThat(runAfter(Duration.ofMinutes(10))).isZero();
        assertThat(transport.attempts()).isZero();
        assertThat(wasched.deliveries().get(d.id()).status()).isEqualTo(DeliveryStatus.PENDING);
    }

    @ParameterizedTest
    @EnumSource(value = AccountState.class, names = {"NEEDS_PASSKEY", "CONFLICT", "RESTRICTED", "OFFLINE"})
    void statesTellWhetherAPersonIsNeeded(AccountState screen) {
        assertThat(screen.needsAPerson() || screen.interrupted()).as("reported as a problem").isTrue();
        assertThat(screen.needsAPerson()).isEqualTo(screen == AccountState.NEEDS_PASSKEY
                || screen == AccountState.RESTRICTED);
    }
}
