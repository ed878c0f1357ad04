package dev.wasched.testkit.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wasched.ConcurrentUpdateException;
import dev.wasched.NotFoundException;
import dev.wasched.PageRequest;
import dev.wasched.Wasched;
import dev.wasched.delivery.Delivery;
import dev.wasched.delivery.DeliveryQuery;
import dev.wasched.delivery.DeliveryService;
import dev.wasched.delivery.DeliveryStatus;
import dev.wasched.delivery.IllegalDeliveryTransitionException;
import dev.wasched.delivery.Recipient;
import dev.wasched.message.MessageContent;
import dev.wasched.policy.PacingPolicy;
import dev.wasched.schedule.Schedule;
import dev.wasched.schedule.ScheduleSpec;
import dev.wasched.schedule.ScheduledMessage;
import dev.wasched.schedule.Target;
import dev.wasched.schedule.Trigger;
import dev.wasched.spi.store.Lease;
import dev.wasched.spi.store.WaschedStore;
import dev.wasched.testkit.transport.RecordingTransport;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Editing what is scheduled, as every store must support it: cancelling one pending delivery, dismissing a dead or
 * uncertain one, and editing a schedule whose occurrences were made ahead ({@link WaschedStore#editSchedule},
 * {@code DeliveryRepository.deletePending}); run by {@link StoreCompatibilityKit} on each store, through the public
 * services of a wasched on the store under test.
 */
public abstract class EditingScenarios {
    private static final String ACCOUNT = "acc-edit";

    /** The store under test, empty at the start of each test. */
    protected abstract WaschedStore store();

    private Wasched wasched() {
        return Wasched.builder().store(store()).instanceId("kit-editing").transport(new RecordingTransport(ACCOUNT))
                .pacing(PacingPolicy.unlimited()).fanOutLookAhead(Duration.ofMinutes(30)).build();
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    private Delivery inserted(Instant now) {
        Delivery d = Delivery.pending(UUID.randomUUID().toString(), "s-edit", now.plusSeconds(3600),
                Recipient.group("Team " + UUID.randomUUID(), ZoneId.of("UTC")), ACCOUNT, MessageContent.text("hi"), now);
        store().deliveries().insertAll(List.of(d));
        return d;
    }

    /** Each step written by compare-and-set, as the engine would. */
    private Delivery written(Delivery d) {
        assertThat(store().deliveries().update(d)).as("write %s", d.status()).isTrue();
        return d;
    }

    private Delivery inStatus(DeliveryStatus status, Instant now) {
        Delivery sending = written(written(inserted(now).claim("kit", now.plusSeconds(30), now)).startSending(now));
        return switch (status) {
            case SENDING -> sending;
            case SENT -> written(sending.sent("wamid." + sending.id(), now, now));
            case DEAD -> written(sending.dead("invalid number", now));
            case UNCERTAIN -> written(sending.uncertain("owner died", now));
            default -> throw new IllegalArgumentException(status.name());
        };
    }

    @Test
    void cancellingAPendingDeliveryMakesItCancelledInItsNextVersion() {
        Instant now = now();
        Delivery pending = inserted(now);
        Delivery claimed = written(inserted(now).claim("kit", now.plusSeconds(30), now));
        try (Wasched w = wasched()) {
            Delivery c = w.deliveries().cancel(pending.id());
            assertThat(c.status()).isEqualTo(DeliveryStatus.CANCELLED);
            assertThat(c.version()).isEqualTo(pending.version() + 1);
            assertThat(c.lastError()).isEqualTo(DeliveryService.CANCELLED_BY_HAND);
            assertThat(store().deliveries().findById(pending.id())).contains(c);
            assertThat(w.deliveries().cancel(claimed.id()).status()).isEqualTo(DeliveryStatus.CANCELLED);
            assertThat(store().deliveries().findPending("s-edit", null, 10)).isEmpty();
        }
    }

    @Test
    void cancellingADeliveryThatStartedIsRefusedWithItsStatus() {
        Instant now = now();
        try (Wasched w = wasched()) {
            for (DeliveryStatus status : List.of(DeliveryStatus.SENDING, DeliveryStatus.SENT, DeliveryStatus.DEAD,
                    DeliveryStatus.UNCERTAIN)) {
                Delivery d = inStatus(status, now);
                assertThatThrownBy(() -> w.deliveries().cancel(d.id()))
                        .isInstanceOfSatisfying(IllegalDeliveryTransitionException.class, e -> {
                            assertThat(e.from()).isEqualTo(status);
                            assertThat(e.getMessage()).contains(d.id()).contains(status.name());
                        });
                assertThat(store().deliveries().findById(d.id())).contains(d);
            }
            Delivery cancelled = w.deliveries().cancel(inserted(now).id());
            assertThatThrownBy(() -> w.deliveries().cancel(cancelled.id()))
                    .isInstanceOf(IllegalDeliveryTransitionException.class);
            assertThatThrownBy(() -> w.deliveries().cancel("no-such-delivery")).isInstanceOf(NotFoundException.class);
        }
    }

    @Test
    void dismissedDeliveriesLeaveTheDeadLettersAndUncertainForGoodAndStayInHistory() {
        Instant now = now();
        Delivery dead = inStatus(DeliveryStatus.DEAD, now);
        Delivery uncertain = inStatus(DeliveryStatus.UNCERTAIN, now);
        try (Wasched w = wasched()) {
            assertThat(w.deliveries().deadLetters(PageRequest.first(10)).items()).extracting(Delivery::id)
                    .containsExactly(dead.id());
            Delivery d1 = w.deliveries().dismiss(dead.id());
            Delivery d2 = w.deliveries().dismiss(uncertain.id(), uncertain.version());
            assertThat(List.of(d1, d2)).allSatisfy(d -> assertThat(d.status()).isEqualTo(DeliveryStatus.DISMISSED));
            assertThat(d1.version()).isEqualTo(dead.version() + 1);
            assertThat(d1.lastError()).as("why it needed attention stays").isEqualTo("invalid number");

            assertThat(w.deliveries().deadLetters(PageRequest.first(10)).items()).isEmpty();
            assertThat(w.deliveries().uncertain(PageRequest.first(10)).items()).isEmpty();
            assertThat(store().deliveries().history(DeliveryQuery.status(DeliveryStatus.DEAD, DeliveryStatus.UNCERTAIN)
                    .forAccount(ACCOUNT), PageRequest.first(10)).items()).isEmpty();
            assertThat(w.deliveries().history(DeliveryQuery.status(DeliveryStatus.DISMISSED), PageRequest.first(10))
                    .items()).extracting(Delivery::id).containsExactlyInAnyOrder(dead.id(), uncertain.id());
            assertThat(w.deliveries().history(DeliveryQuery.all().forAccount(ACCOUNT), PageRequest.first(10)).items())
                    .extracting(Delivery::id).contains(dead.id(), uncertain.id());
            assertThat(store().deliveries().countByStatus(ACCOUNT)).containsEntry(DeliveryStatus.DISMISSED, 2L);
            assertThat(store().deliveries().countByStatus(null, java.util.EnumSet.of(DeliveryStatus.DEAD,
                    DeliveryStatus.UNCERTAIN)).values()).allSatisfy(n -> assertThat(n).isZero());

            // Never sent again: not requeued, not claimed, not dismissed twice.
            assertThatThrownBy(() -> w.deliveries().requeue(uncertain.id()))
                    .isInstanceOf(IllegalDeliveryTransitionException.class);
            assertThatThrownBy(() -> w.deliveries().dismiss(dead.id()))
                    .isInstanceOf(IllegalDeliveryTransitionException.class);
            Delivery due = Delivery.pending(UUID.randomUUID().toString(), "s-edit", now.minusSeconds(1),
                    Recipient.group("Due", ZoneId.of("UTC")), ACCOUNT, MessageContent.text("hi"), now);
            store().deliveries().insertAll(List.of(due));
            Lease fence = store().leases().acquire("session:kit-editing-fence", "kit", Duration.ofSeconds(30))
                    .orElseThrow();
            assertThat(store().deliveries().claimDue(ACCOUNT, now.plus(Duration.ofDays(1)), fence, 10))
                    .extracting(Delivery::id).doesNotContain(dead.id(), uncertain.id()).contains(due.id());
            assertThat(store().deliveries().findById(uncertain.id()).orElseThrow().status())
                    .isEqualTo(DeliveryStatus.DISMISSED);
        }
    }

    @Test
    void onlyDeadOrUncertainDeliveriesAreDismissedAndAStaleVersionChangesNothing() {
        Instant now = now();
        Delivery pending = inserted(now);
        Delivery sent = inStatus(DeliveryStatus.SENT, now);
        Delivery dead = inStatus(DeliveryStatus.DEAD, now);
        try (Wasched w = wasched()) {
            for (Delivery d : List.of(pending, sent)) {
                assertThatThrownBy(() -> w.deliveries().dismiss(d.id()))
                        .isInstanceOfSatisfying(IllegalDeliveryTransitionException.class,
                                e -> assertThat(e.from()).isEqualTo(d.status()));
            }
            assertThatThrownBy(() -> w.deliveries().dismiss(dead.id(), dead.version() - 1))
                    .isInstanceOf(ConcurrentUpdateException.class);
            assertThat(store().deliveries().findById(dead.id())).contains(dead);
        }
    }

    @Test
    void aPendingDeliveryIsRemovedOnlyInTheVersionRead() {
        Instant now = now();
        Delivery pending = inserted(now);
        Delivery claimed = written(inserted(now).claim("kit", now.plusSeconds(30), now));
        assertThat(store().deliveries().deletePending(pending.id(), pending.version() + 1)).isFalse();
        assertThat(store().deliveries().deletePending(claimed.id(), claimed.version())).isFalse();
        assertThat(store().deliveries().findById(claimed.id())).contains(claimed);
        assertThat(store().deliveries().deletePending(pending.id(), pending.version())).isTrue();
        assertThat(store().deliveries().findById(pending.id())).isEmpty();
        // Its key is free again: the same occurrence and recipient can be made anew.
        Delivery again = Delivery.pending(UUID.randomUUID().toString(), pending.scheduleId(), pending.fireAt(),
                pending.recipient(), ACCOUNT, MessageContent.text("new"), now);
        assertThat(store().deliveries().insertAll(List.of(again))).isEqualTo(1);
    }

    /** Every ten minutes from a second ago: one occurrence due now (sent), three within the look-ahead. */
    private Schedule everyTenMinutes(Wasched w, Instant start, String text) {
        Schedule s = w.schedules().create(ScheduleSpec.builder().account(ACCOUNT).to(Target.group("Team"))
                .text(text).trigger(Trigger.every(Duration.ofMinutes(10), start)).build());
        w.runDue();
        return s;
    }

    private List<Delivery> of(Schedule s) {
        return store().deliveries().history(DeliveryQuery.all().forSchedule(s.id()), PageRequest.first(100)).items();
    }

    @Test
    void anEditRegeneratesPendingDeliveriesOfOccurrencesNotYetDueAndLeavesSentOnes() {
        Instant start = now().minusSeconds(1);
        try (Wasched w = wasched()) {
            Schedule s = everyTenMinutes(w, start, "old words");
            List<Delivery> before = of(s);
            assertThat(before).hasSize(4);
            Delivery sent = before.stream().filter(d -> d.fireAt().equals(start)).findFirst().orElseThrow();
            assertThat(sent.status()).as("the due occurrence went out").isEqualTo(DeliveryStatus.SENT);

            Schedule current = w.schedules().get(s.id());
            ScheduleSpec spec = current.spec();
            Schedule edited = w.schedules().update(s.id(), current.version(), new ScheduleSpec(spec.name(),
                    spec.account(), spec.target(), ScheduledMessage.text("new words"), spec.trigger(), spec.misfire(),
                    spec.endAt(), spec.maxRuns()));
            assertThat(edited.version()).isEqualTo(current.version() + 1);
            assertThat(edited.message().text()).isEqualTo("new words");
            assertThat(store().schedules().findById(s.id())).contains(edited);
            assertThat(of(s)).as("the pending ones are replaced, not cancelled").containsExactly(sent);

            w.runDue();
            List<Delivery> after = of(s);
            assertThat(after).contains(sent);
            assertThat(after).filteredOn(d -> d.status() == DeliveryStatus.PENDING)
                    .extracting(Delivery::fireAt)
                    .containsExactlyInAnyOrderElementsOf(before.stream().filter(d -> !d.id().equals(sent.id()))
                            .map(Delivery::fireAt).toList());
            assertThat(after).filteredOn(d -> d.status() == DeliveryStatus.PENDING)
                    .allSatisfy(d -> assertThat(d.content().text()).isEqualTo("new words"));
            assertThat(w.schedules().get(s.id()).runs()).isEqualTo(current.runs());
        }
    }

    @Test
    void anEditOfTimeAndRecipientsMovesTheOccurrencesNotYetDue() {
        Instant start = now().minusSeconds(1);
        try (Wasched w = wasched()) {
            Schedule s = everyTenMinutes(w, start, "tick");
            Delivery sent = of(s).stream().filter(d -> d.status() == DeliveryStatus.SENT).findFirst().orElseThrow();
            ScheduleSpec spec = s.spec();
            w.schedules().update(s.id(), new ScheduleSpec(spec.name(), spec.account(), Target.group("Other"),
                    spec.message(), Trigger.every(Duration.ofMinutes(15), start), spec.misfire(), spec.endAt(),
                    spec.maxRuns()));
            w.runDue();
            List<Delivery> after = of(s);
            assertThat(after).contains(sent);
            assertThat(after).filteredOn(d -> d.status() == DeliveryStatus.PENDING)
                    .extracting(d -> Duration.between(start, d.fireAt()).toMinutes())
                    .containsExactlyInAnyOrder(15L, 30L);
            assertThat(after).filteredOn(d -> d.status() == DeliveryStatus.PENDING)
                    .allSatisfy(d -> assertThat(d.recipient().address()).isEqualTo("Other"));
        }
    }

    @Test
    void anEditFromAStaleVersionIsRefusedAndChangesNothing() {
        Instant start = now().minusSeconds(1);
        try (Wasched w = wasched()) {
            Schedule s = everyTenMinutes(w, start, "tick");
            Schedule seen = w.schedules().get(s.id());
            List<Delivery> pending = store().deliveries().findPending(s.id(), null, 100);
            assertThat(pending).hasSize(3);
            ScheduleSpec spec = seen.spec();
            Schedule first = w.schedules().update(s.id(), seen.version(), new ScheduleSpec("renamed", spec.account(),
                    spec.target(), spec.message(), spec.trigger(), spec.misfire(), spec.endAt(), spec.maxRuns()));
            w.runDue();
            List<Delivery> remade = store().deliveries().findPending(s.id(), null, 100);
            assertThatThrownBy(() -> w.schedules().update(s.id(), seen.version(), new ScheduleSpec("stale",
                    spec.account(), spec.target(), ScheduledMessage.text("stale"), spec.trigger(), spec.misfire(),
                    spec.endAt(), spec.maxRuns()))).isInstanceOf(ConcurrentUpdateException.class);
            Schedule now = w.schedules().get(s.id());
            assertThat(now.name()).isEqualTo("renamed");
            assertThat(now.version()).isGreaterThanOrEqualTo(first.version());
            assertThat(store().deliveries().findPending(s.id(), null, 100)).containsExactlyInAnyOrderElementsOf(remade);

            // The store's own compare-and-set: a stale schedule removes nothing.
            assertThat(store().editSchedule(seen, remade)).isEmpty();
            assertThat(store().deliveries().findPending(s.id(), null, 100)).containsExactlyInAnyOrderElementsOf(remade);
            assertThatThrownBy(() -> w.schedules().update("no-such-schedule", spec))
                    .isInstanceOf(NotFoundException.class);
        }
    }
}
