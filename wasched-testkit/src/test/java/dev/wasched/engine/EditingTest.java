package dev.wasched.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wasched.contact.Contact;
import dev.wasched.delivery.Delivery;
import dev.wasched.delivery.DeliveryService;
import dev.wasched.delivery.DeliveryStatus;
import dev.wasched.delivery.IllegalDeliveryTransitionException;
import dev.wasched.event.WaschedEvent;
import dev.wasched.schedule.Schedule;
import dev.wasched.schedule.ScheduleSpec;
import dev.wasched.schedule.ScheduledMessage;
import dev.wasched.schedule.Target;
import dev.wasched.schedule.Trigger;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Editing what is scheduled, end to end: an edited schedule, a cancelled delivery, a dismissed UNCERTAIN one. */
class EditingTest extends EngineFixture {
    private static final Instant NINE = Instant.parse("2026-06-01T09:00:00Z");

    private static ScheduleSpec withText(Schedule s, String text) {
        ScheduleSpec spec = s.spec();
        return new ScheduleSpec(spec.name(), spec.account(), spec.target(), ScheduledMessage.text(text),
                spec.trigger(), spec.misfire(), spec.endAt(), spec.maxRuns());
    }

    @Test
    void anEditedTextGoesOutInTheNewWordingForAnOccurrenceNotYetSent() {
        build();
        Schedule s = wasched.schedules().create(ScheduleSpec.builder().account(ACCOUNT).to(Target.group("Team"))
                .text("old words").trigger(Trigger.cron("0 * * * *", ZoneId.of("UTC"))).build());
        assertThat(runAfter(Duration.ofSeconds(3570))).as("08:59:30").isZero();
        assertThat(deliveries()).singleElement().satisfies(d -> {
            assertThat(d.fireAt()).isEqualTo(NINE);
            assertThat(d.content().text()).isEqualTo("old words");
        });

        Schedule current = wasched.schedules().get(s.id());
        wasched.schedules().update(s.id(), current.version(), withText(current, "new words"));

        assertThat(runAfter(Duration.ofSeconds(30))).as("09:00").isEqualTo(1);
        assertThat(log.entries()).singleElement().satisfies(e -> {
            assertThat(e.text()).isEqualTo("new words");
            assertThat(e.at()).isEqualTo(NINE);
        });
        assertThat(deliveries()).filteredOn(d -> d.status() == DeliveryStatus.SENT).singleElement()
                .satisfies(d -> assertThat(d.fireAt()).isEqualTo(NINE));
        assertThat(deliveries(DeliveryStatus.CANCELLED)).isEmpty();
        assertThat(wasched.schedules().get(s.id()).runs()).isEqualTo(1);

        // The next occurrence is made from the edited schedule too.
        assertThat(runAfter(Duration.ofHours(1))).isEqualTo(1);
        assertThat(log.entries()).extracting(e -> e.text()).containsExactly("new words", "new words");
    }

    @Test
    void anEditedTextLeavesAMessageAlreadySentAsItWas() {
        build();
        Schedule s = wasched.schedules().create(ScheduleSpec.builder().account(ACCOUNT).to(Target.group("Team"))
                .text("first").trigger(Trigger.once(clock.instant())).build());
        assertThat(wasched.runDue()).isEqualTo(1);
        Schedule edited = wasched.schedules().update(s.id(), withText(wasched.schedules().get(s.id()), "second"));
        assertThat(edited.isComplete()).as("a one-time message that went out does not fire again").isTrue();
        assertThat(runAfter(Duration.ofMinutes(5))).isZero();
        assertThat(log.entries()).extracting(e -> e.text()).containsExactly("first");
        assertThat(deliveries()).singleElement().satisfies(d -> assertThat(d.content().text()).isEqualTo("first"));
    }

    @Test
    void anEditWaitsForAnEngineThatIsFanningTheScheduleOutAndGivesUpWhenItDoesNotFinish() {
        build();
        Schedule s = wasched.schedules().create(ScheduleSpec.builder().account(ACCOUNT).to(Target.group("Team"))
                .text("old words").trigger(Trigger.cron("0 * * * *", ZoneId.of("UTC"))).build());
        clock.set(NINE);
        // Another engine claimed it and is making its deliveries (its lease is held until 09:00:30).
        Schedule leased = store.schedules().claimDue(NINE, "other-engine", NINE.plusSeconds(30), 10).get(0);
        assertThatThrownBy(() -> wasched.schedules().update(s.id(), leased.version(), withText(leased, "new")))
                .isInstanceOf(dev.wasched.ConcurrentUpdateException.class);
        long started = System.nanoTime();
        assertThatThrownBy(() -> wasched.schedules().update(s.id(), withText(leased, "new")))
                .isInstanceOf(dev.wasched.ConcurrentUpdateException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThan(Duration.ofSeconds(1));
        assertThat(wasched.schedules().get(s.id())).isEqualTo(leased);
    }

    @Test
    void anEditIsCheckedAsACreateIsAndARefusedOneChangesNothing() {
        build();
        Schedule s = wasched.schedules().create(ScheduleSpec.builder().account(ACCOUNT).to(Target.group("Team"))
                .text("tick").trigger(Trigger.cron("0 * * * *", ZoneId.of("UTC"))).build());
        ScheduleSpec spec = s.spec();
        assertThatThrownBy(() -> wasched.schedules().update(s.id(), new ScheduleSpec(spec.name(), spec.account(),
                Target.contacts("no-such-contact"), spec.message(), spec.trigger(), spec.misfire(), spec.endAt(),
                spec.maxRuns()))).isInstanceOf(dev.wasched.NotFoundException.class);
        assertThatThrownBy(() -> wasched.schedules().update(s.id(), new ScheduleSpec(spec.name(), spec.account(),
                spec.target(), ScheduledMessage.template("no-such-template", java.util.Map.of()), spec.trigger(),
                spec.misfire(), spec.endAt(), spec.maxRuns()))).isInstanceOf(dev.wasched.NotFoundException.class);
        assertThatThrownBy(() -> wasched.schedules().update(s.id(), new ScheduleSpec(spec.name(), spec.account(),
                spec.target(), spec.message(), spec.trigger(), spec.misfire(), clock.instant().plusSeconds(60),
                spec.maxRuns()))).isInstanceOf(dev.wasched.ValidationException.class).hasMessageContaining("never fires");
        assertThat(wasched.schedules().get(s.id())).isEqualTo(s);
    }

    @Test
    void aCancelledDeliveryIsNeverSent() {
        build();
        Contact ann = contact("Ann", "+4915112300001");
        Contact bob = contact("Bob", "+4915112300002");
        wasched.schedules().create(ScheduleSpec.builder().account(ACCOUNT).to(Target.contacts(ann.id(), bob.id()))
                .text("hi {{name}}").trigger(Trigger.once(clock.instant().plusSeconds(30))).build());
        List<Delivery> pending = deliveries(DeliveryStatus.PENDING);
        assertThat(pending).hasSize(2);
        Delivery toAnn = pending.stream().filter(d -> ann.id().equals(d.recipient().contactId())).findFirst()
                .orElseThrow();

        Delivery cancelled = wasched.deliveries().cancel(toAnn.id());
        assertThat(cancelled.status()).isEqualTo(DeliveryStatus.CANCELLED);

        assertThat(runAfter(Duration.ofSeconds(30))).isEqualTo(1);
        assertThat(runAfter(Duration.ofMinutes(10))).isZero();
        assertThat(log.entries()).singleElement().satisfies(e -> assertThat(e.text()).isEqualTo("hi Bob"));
        assertThat(wasched.deliveries().get(toAnn.id()).status()).isEqualTo(DeliveryStatus.CANCELLED);
        assertThat(events(WaschedEvent.DeliveryCancelled.class)).singleElement().satisfies(e -> {
            assertThat(e.delivery().id()).isEqualTo(toAnn.id());
            assertThat(e.reason()).isEqualTo(DeliveryService.CANCELLED_BY_HAND);
        });
        assertThatThrownBy(() -> wasched.deliveries().cancel(toAnn.id()))
                .isInstanceOf(IllegalDeliveryTransitionException.class);
    }

    @Test
    void aDismissedUncertainDeliveryIsNeverSettledOrSent() {
        build();
        transport.failOutcomeUnknownNext(1, true).answerLookupsUnknown(1);
        wasched.schedules().create(ScheduleSpec.builder().account(ACCOUNT).to(Target.group("Team")).text("once")
                .trigger(Trigger.once(clock.instant())).build());
        wasched.runDue();
        Delivery uncertain = deliveries(DeliveryStatus.UNCERTAIN).get(0);
        int lookups = transport.lookups();
        assertThat(log.size()).as("WhatsApp has it").isEqualTo(1);

        Delivery dismissed = wasched.deliveries().dismiss(uncertain.id(), wasched.deliveries().get(uncertain.id())
                .version());
        assertThat(dismissed.status()).isEqualTo(DeliveryStatus.DISMISSED);

        // A lookup now would find the message: the settler must not ask, and nothing may send it again.
        runAfter(Duration.ofMinutes(1));
        runAfter(Duration.ofMinutes(10));
        runAfter(Duration.ofHours(2));
        assertThat(transport.lookups()).isEqualTo(lookups);
        assertThat(log.size()).isEqualTo(1);
        assertThat(wasched.deliveries().get(uncertain.id())).isEqualTo(dismissed);
        assertThat(events(WaschedEvent.DeliverySent.class)).isEmpty();
        assertThat(events(WaschedEvent.DeliveryDismissed.class)).singleElement()
                .satisfies(e -> assertThat(e.delivery()).isEqualTo(dismissed));
        assertThat(wasched.deliveries().uncertain(dev.wasched.PageRequest.first(10)).items()).isEmpty();
        assertThatThrownBy(() -> wasched.deliveries().requeue(uncertain.id()))
                .isInstanceOf(IllegalDeliveryTransitionException.class);
        assertThat(wasched.health().queue().uncertain()).isZero();
    }
}
