package dev.wasched.testkit.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wasched.contact.Contact;
import dev.wasched.contact.PhoneNumber;
import dev.wasched.contact.Registration;
import dev.wasched.delivery.Delivery;
import dev.wasched.delivery.DeliveryStatus;
import dev.wasched.delivery.Recipient;
import dev.wasched.message.MessageContent;
import dev.wasched.schedule.MisfirePolicy;
import dev.wasched.schedule.Schedule;
import dev.wasched.schedule.ScheduledMessage;
import dev.wasched.schedule.Target;
import dev.wasched.schedule.Trigger;
import dev.wasched.spi.store.DispatchCycle;
import dev.wasched.spi.store.Lease;
import dev.wasched.spi.store.PacingState;
import dev.wasched.spi.store.WaschedStore;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What every store's {@link WaschedStore#dispatch} must do, run by {@link StoreCompatibilityKit} on each store: claim
 * straight into SENDING in due order, cancel what must not go out, write outcomes by version, save pacing, tell first
 * contacts and the next due time, and do nothing of the claim without the account's lease.
 */
public abstract class DispatchCycleScenarios {
    private static final Instant T0 = Instant.parse("2026-05-04T10:15:30.123Z");
    private static final String ACCOUNT = "acc";

    /** The store under test, empty at the start of each test. */
    protected abstract WaschedStore store();

    private Lease lease() {
        return store().leases().acquire("session:" + ACCOUNT, "i1", Duration.ofSeconds(30)).orElseThrow();
    }

    /** The cycles through {@link WaschedStore#dispatchAll}, as many per call as the store combines. */
    private List<DispatchCycle.Result> dispatchAll(List<DispatchCycle> cycles) {
        List<DispatchCycle.Result> results = new java.util.ArrayList<>();
        int together = Math.max(1, store().combinedDispatchLimit());
        for (int from = 0; from < cycles.size(); from += together) {
            results.addAll(store().dispatchAll(cycles.subList(from, Math.min(cycles.size(), from + together))));
        }
        return results;
    }

    private static String id(int n) {
        return String.format("0190%04x-0000-7000-8000-%012d", 7, n);
    }

    private Contact contact(String phone, boolean optedOut) {
        Contact c = new Contact("c-" + phone, "Ann " + phone, PhoneNumber.of(phone), Set.of("vip"), Map.of(),
                optedOut, Registration.UNKNOWN, ZoneId.of("Europe/Berlin"), T0, T0, 1);
        store().contacts().insert(c);
        return c;
    }

    private Schedule schedule(String id, boolean paused) {
        Schedule s = Schedule.builder().id(id).name("weekly " + id).account(ACCOUNT).target(Target.tag("vip"))
                .message(ScheduledMessage.text("Hello"))
                .trigger(Trigger.cron("0 9 * * MON", ZoneId.of("Europe/Berlin"))).misfire(MisfirePolicy.DEFAULT)
                .paused(paused).nextFireAt(T0.plus(Duration.ofDays(7))).createdAt(T0).updatedAt(T0).version(1).build();
        store().schedules().insert(s);
        return s;
    }

    /**
     * Delivery {@code n} of schedule "live", to a contact of its own, due at {@code due}, the only one due, claimed into
     * SENDING under {@code fence}.
     */
    private Delivery claimedAlone(int n, Instant due, Lease fence) {
        schedule("live", false);
        String phone = String.format("+49151000000%02d", n);
        contact(phone, false);
        store().deliveries().insertAll(List.of(delivery(n, "live", ACCOUNT, phone, due)));
        return store().dispatch(new DispatchCycle(ACCOUNT, T0, fence, List.of(), null, 1, false)).sending().get(0);
    }

    private static Delivery delivery(int n, String scheduleId, String account, String phone, Instant due) {
        return Delivery.pending(id(n), scheduleId, due, Recipient.contact("c-" + phone, phone, ZoneId.of("UTC")),
                account, MessageContent.text("Hello " + n), T0.minusSeconds(60));
    }

    private static Delivery toGroup(int n, String scheduleId, Instant due) {
        return Delivery.pending(id(n), scheduleId, due, Recipient.group("Family", ZoneId.of("UTC")), ACCOUNT,
                MessageContent.text("Hello group " + n), T0.minusSeconds(60));
    }

    @Test
    void claimsDueDeliveriesIntoSendingInDueOrderAndCancelsThoseThatMustNotGoOut() {
        schedule("live", false);
        schedule("paused", true);
        String ann = "+4915100000001";
        String optedOut = "+4915100000002";
        contact(ann, false);
        contact(optedOut, true);
        Delivery first = delivery(1, "live", ACCOUNT, ann, T0.minusSeconds(9));
        Delivery toOptedOut = delivery(2, "live", ACCOUNT, optedOut, T0.minusSeconds(8));
        Delivery toDeleted = delivery(3, "live", ACCOUNT, "+4915100000003", T0.minusSeconds(7));
        Delivery ofPaused = delivery(4, "paused", ACCOUNT, ann, T0.minusSeconds(6));
        Delivery ofDeleted = toGroup(5, "gone", T0.minusSeconds(5));
        Delivery group = toGroup(6, "live", T0.minusSeconds(4));
        Delivery later = delivery(7, "live", ACCOUNT, ann, T0.minusSeconds(3));
        Delivery future = delivery(8, "live", ACCOUNT, ann, T0.plusSeconds(60));
        Delivery otherAccount = delivery(9, "live", "other", ann, T0.minusSeconds(30));
        store().deliveries().insertAll(List.of(first, toOptedOut, toDeleted, ofPaused, ofDeleted, group, later,
                future, otherAccount));
        Lease fence = lease();

        DispatchCycle.Result r = store().dispatch(new DispatchCycle(ACCOUNT, T0, fence, List.of(), null, 2, false));

        assertThat(r.sending()).extracting(Delivery::id).containsExactly(first.id(), group.id());
        assertThat(r.sending()).allSatisfy(d -> {
            assertThat(d.status()).isEqualTo(DeliveryStatus.SENDING);
            assertThat(d.attempts()).isEqualTo(1);
            assertThat(d.leaseOwner()).isEqualTo("i1");
            assertThat(d.sendMarker()).isNull();
            assertThat(store().deliveries().findById(d.id())).contains(d);
        });
        assertThat(r.cancelled()).extracting(Delivery::id, Delivery::lastError).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple(toOptedOut.id(), DispatchCycle.CANCELLED_CONTACT_OPTED_OUT),
                org.assertj.core.groups.Tuple.tuple(toDeleted.id(), DispatchCycle.CANCELLED_CONTACT_DELETED),
                org.assertj.core.groups.Tuple.tuple(ofPaused.id(), DispatchCycle.CANCELLED_SCHEDULE_PAUSED),
                org.assertj.core.groups.Tuple.tuple(ofDeleted.id(), DispatchCycle.CANCELLED_SCHEDULE_DELETED));
        assertThat(r.cancelled()).allSatisfy(d -> {
            assertThat(d.status()).isEqualTo(DeliveryStatus.CANCELLED);
            assertThat(store().deliveries().findById(d.id())).contains(d);
        });
        assertThat(r.nextDue()).as("the one still due").isEqualTo(later.dueAt());
        assertThat(store().deliveries().findById(otherAccount.id()).orElseThrow().status())
                .isEqualTo(DeliveryStatus.PENDING);

        DispatchCycle.Result next = store().dispatch(new DispatchCycle(ACCOUNT, T0, fence, List.of(), null, 5, false));
        assertThat(next.sending()).extracting(Delivery::id).containsExactly(later.id());
        assertThat(next.cancelled()).isEmpty();
        assertThat(next.nextDue()).isEqualTo(future.dueAt());
    }

    /** A number written to directly belongs to no contact: its contact's opt-out does not hold it back. */
    @Test
    void aDeliveryToANumberGoesOutThoughTheContactWithThatNumberOptedOut() {
        schedule("live", false);
        String phone = "+4915100000002";
        contact(phone, true);
        Delivery toContact = delivery(1, "live", ACCOUNT, phone, T0.minusSeconds(9));
        Delivery toNumber = Delivery.pending(id(2), "live", T0.minusSeconds(8), Recipient.number(phone, null), ACCOUNT,
                MessageContent.text("You will receive no more messages."), T0.minusSeconds(60));
        store().deliveries().insertAll(List.of(toContact, toNumber));

        DispatchCycle.Result r = store().dispatch(new DispatchCycle(ACCOUNT, T0, lease(), List.of(), null, 5, true));

        assertThat(r.cancelled()).extracting(Delivery::id).containsExactly(toContact.id());
        assertThat(r.sending()).extracting(Delivery::id).containsExactly(toNumber.id());
        assertThat(r.sending().get(0).recipient()).isEqualTo(toNumber.recipient());
        assertThat(r.firstContact()).as("never sent to: a first message, as to a contact").containsExactly(toNumber.id());
    }

    /** An engine claims a moment before a delivery is due: what is due by {@code claimUntil}, nothing later. */
    @Test
    void claimsWhatIsDueByClaimUntilAndNothingLater() {
        schedule("live", false);
        String ann = "+4915100000021";
        contact(ann, false);
        Delivery soon = delivery(21, "live", ACCOUNT, ann, T0.plusMillis(30));
        Delivery after = delivery(22, "live", ACCOUNT, ann, T0.plusMillis(80));
        store().deliveries().insertAll(List.of(soon, after));
        Lease fence = lease();

        assertThat(store().dispatch(new DispatchCycle(ACCOUNT, T0, fence, List.of(), null, 5, false)).sending())
                .as("nothing is due at now").isEmpty();
        DispatchCycle.Result r = store().dispatch(new DispatchCycle(ACCOUNT, T0, fence, List.of(), null, 5, false,
                T0.plusMillis(50)));
        assertThat(r.sending()).extracting(Delivery::id).containsExactly(soon.id());
        assertThat(r.sending().get(0).dueAt()).as("still due when it was").isEqualTo(soon.dueAt());
        assertThat(r.nextDue()).isEqualTo(after.dueAt());
    }

    @Test
    void withoutTheLeaseNothingIsClaimedOrCancelledButOutcomesAreWritten() {
        schedule("live", true);
        String ann = "+4915100000011";
        contact(ann, false);
        Delivery paused = delivery(11, "live", ACCOUNT, ann, T0.minusSeconds(5));
        Delivery mine = delivery(12, "live", ACCOUNT, ann, T0.minusSeconds(6));
        store().deliveries().insertAll(List.of(paused, mine));
        Lease fence = lease();
        Delivery sending = mine.claimForSending("i1", T0);
        assertThat(store().deliveries().update(sending)).isTrue();
        Lease stale = new Lease(fence.name(), "i2", fence.epoch() + 1);
        Delivery sent = sending.sent("wamid.12", T0.plusSeconds(1), T0.plusSeconds(1));

        DispatchCycle.Result r = store().dispatch(new DispatchCycle(ACCOUNT, T0.plusSeconds(1), stale, List.of(sent),
                null, 3, false));

        assertThat(r.sending()).isEmpty();
        assertThat(r.cancelled()).isEmpty();
        assertThat(r.recorded()).containsExactly(sent);
        assertThat(store().deliveries().findById(mine.id())).contains(sent);
        assertThat(store().deliveries().findById(paused.id()).orElseThrow().status()).isEqualTo(DeliveryStatus.PENDING);
        assertThat(r.nextDue()).isEqualTo(paused.dueAt());
    }

    @Test
    void outcomesAreWrittenByVersionAndAStaleOneIsRefusedWithoutStoppingTheOthers() {
        schedule("live", false);
        String ann = "+4915100000021";
        contact(ann, false);
        Delivery a = delivery(21, "live", ACCOUNT, ann, T0.minusSeconds(3));
        Delivery b = delivery(22, "live", ACCOUNT, ann, T0.minusSeconds(2));
        Delivery c = delivery(23, "live", ACCOUNT, ann, T0.minusSeconds(1));
        store().deliveries().insertAll(List.of(a, b, c));
        Lease fence = lease();
        List<Delivery> sending = store().dispatch(new DispatchCycle(ACCOUNT, T0, fence, List.of(), null, 3, false))
                .sending();
        assertThat(sending).hasSize(3);
        Delivery sentA = sending.get(0).sent("wamid.a", T0.plusSeconds(1), T0.plusSeconds(1));
        Delivery retryB = sending.get(1).retryLater("timeout", T0.plusSeconds(90), T0.plusSeconds(1));
        Delivery takenOver = sending.get(2).uncertain("owner died", T0.plusSeconds(1));
        assertThat(store().deliveries().update(takenOver)).isTrue(); // another owner got there first
        Delivery lateC = sending.get(2).sent("wamid.c", T0.plusSeconds(2), T0.plusSeconds(2));

        DispatchCycle.Result r = store().dispatch(DispatchCycle.writeOnly(ACCOUNT, T0.plusSeconds(2),
                List.of(sentA, retryB, lateC), null));

        assertThat(r.recorded()).containsExactly(sentA, retryB);
        assertThat(r.notRecorded()).containsExactly(lateC);
        assertThat(r.sending()).isEmpty();
        assertThat(store().deliveries().findById(a.id())).contains(sentA);
        assertThat(store().deliveries().findById(b.id())).contains(retryB);
        assertThat(store().deliveries().findById(c.id())).contains(takenOver);
        assertThat(r.nextDue()).isEqualTo(retryB.dueAt());
    }

    @Test
    void twoOutcomesOfOneDeliveryInOneCycleAreBothWrittenInOrder() {
        schedule("live", false);
        String ann = "+4915100000024";
        contact(ann, false);
        Delivery a = delivery(24, "live", ACCOUNT, ann, T0.minusSeconds(1));
        Delivery b = delivery(25, "live", ACCOUNT, ann, T0.minusMillis(500));
        store().deliveries().insertAll(List.of(a, b));
        List<Delivery> sending = store().dispatch(new DispatchCycle(ACCOUNT, T0, lease(), List.of(), null, 2, false))
                .sending();
        Delivery sentA = sending.get(0).sent("wamid.a", T0.plusSeconds(1), T0.plusSeconds(1));
        Delivery deliveredA = sentA.acknowledged(DeliveryStatus.DELIVERED, T0.plusSeconds(2));
        Delivery sentB = sending.get(1).sent("wamid.b", T0.plusSeconds(1), T0.plusSeconds(1));

        DispatchCycle.Result r = store().dispatch(DispatchCycle.writeOnly(ACCOUNT, T0.plusSeconds(2),
                List.of(sentA, sentB, deliveredA), null));

        assertThat(r.recorded()).containsExactly(sentA, sentB, deliveredA);
        assertThat(store().deliveries().findById(a.id())).contains(deliveredA);
        assertThat(store().deliveries().findById(b.id())).contains(sentB);
    }

    @Test
    void anOutcomeClearsWhatTheDeliveryNoLongerHas() {
        Lease fence = lease();
        Delivery first = claimedAlone(26, T0.minusSeconds(2), fence);
        Delivery retry = first.retryLater("busy", T0.plusSeconds(1), T0.plusSeconds(1));
        Delivery second = store().dispatch(new DispatchCycle(ACCOUNT, T0.plusSeconds(1), fence, List.of(retry), null,
                1, false)).sending().get(0);
        assertThat(second.lastError()).isEqualTo("busy");
        assertThat(second.leaseOwner()).isNotNull();
        Delivery sent = second.sent("wamid.26", T0.plusSeconds(2), T0.plusSeconds(2));

        DispatchCycle.Result r = store().dispatch(DispatchCycle.writeOnly(ACCOUNT, T0.plusSeconds(2), List.of(sent),
                null));

        assertThat(r.recorded()).containsExactly(sent);
        assertThat(store().deliveries().findById(first.id())).hasValueSatisfying(stored -> {
            assertThat(stored).isEqualTo(sent);
            assertThat(stored.lastError()).as("the error of the attempt before").isNull();
            assertThat(stored.leaseOwner()).isNull();
            assertThat(stored.leaseUntil()).isNull();
        });
    }

    @Test
    void aClaimGivenBackUntouchedKeepsItsAttemptsAndIsDueAgain() {
        Lease fence = lease();
        Delivery sending = claimedAlone(31, T0.minusSeconds(3), fence);
        Delivery back = sending.notStarted(T0.plus(Duration.ofHours(8)), T0.plusSeconds(1));

        DispatchCycle.Result r = store().dispatch(new DispatchCycle(ACCOUNT, T0.plusSeconds(1), fence, List.of(back),
                null, 1, false));

        assertThat(r.recorded()).containsExactly(back);
        assertThat(r.sending()).as("due only after the quiet hours").isEmpty();
        assertThat(store().deliveries().findById(sending.id())).hasValueSatisfying(stored -> {
            assertThat(stored.status()).isEqualTo(DeliveryStatus.PENDING);
            assertThat(stored.attempts()).isZero();
            assertThat(stored.leaseOwner()).isNull();
        });
        assertThat(r.nextDue()).isEqualTo(T0.plus(Duration.ofHours(8)));
    }

    @Test
    void pacingIsSavedByVersionInTheSameCycle() {
        PacingState first = new PacingState(ACCOUNT, T0.plusSeconds(5), T0.truncatedTo(ChronoUnit.HOURS), 1,
                T0.truncatedTo(ChronoUnit.DAYS), 1, 0, 1);
        DispatchCycle.Result r = store().dispatch(DispatchCycle.writeOnly(ACCOUNT, T0, List.of(), first));
        assertThat(r.pacingSaved()).isTrue();
        assertThat(store().pacing().load(ACCOUNT)).contains(first);
        assertThat(r.nextDue()).isNull();

        PacingState stale = new PacingState(ACCOUNT, T0.plusSeconds(9), first.hourStart(), 2, first.dayStart(), 2,
                0, 1);
        assertThat(store().dispatch(DispatchCycle.writeOnly(ACCOUNT, T0, List.of(), stale)).pacingSaved()).isFalse();
        PacingState second = new PacingState(ACCOUNT, T0.plusSeconds(9), first.hourStart(), 2, first.dayStart(), 2,
                1, 2);
        Lease fence = lease();
        assertThat(store().dispatch(new DispatchCycle(ACCOUNT, T0, fence, List.of(), second, 1, false)).pacingSaved())
                .isTrue();
        assertThat(store().pacing().load(ACCOUNT)).contains(second);
    }

    @Test
    void claimedDeliveriesToAnAddressNeverSentToAreMarkedAsFirstContact() {
        schedule("live", false);
        String known = "+4915100000041";
        String fresh = "+4915100000042";
        contact(known, false);
        contact(fresh, false);
        Delivery earlier = delivery(40, "live", ACCOUNT, known, T0.minusSeconds(600));
        Delivery elsewhere = delivery(41, "live", "other", fresh, T0.minusSeconds(600));
        store().deliveries().insertAll(List.of(earlier, elsewhere));
        for (Delivery d : List.of(earlier, elsewhere)) {
            Delivery s = d.claimForSending("i0", T0.minusSeconds(600));
            assertThat(store().deliveries().update(s)).isTrue();
            assertThat(store().deliveries().update(s.sent("wamid." + d.id(), T0, T0))).isTrue();
        }
        Delivery toKnown = delivery(43, "live", ACCOUNT, known, T0.minusSeconds(2));
        Delivery toFresh = delivery(44, "live", ACCOUNT, fresh, T0.minusSeconds(1));
        Delivery toGroup = toGroup(45, "live", T0);
        store().deliveries().insertAll(List.of(toKnown, toFresh, toGroup));

        DispatchCycle.Result asked = store().dispatch(new DispatchCycle(ACCOUNT, T0, lease(), List.of(), null, 3, true));

        assertThat(asked.sending()).hasSize(3);
        assertThat(asked.firstContact()).as("sent to from another account only: still new to this one")
                .containsExactly(toFresh.id());
    }

    /**
     * Cycles of several accounts through {@link WaschedStore#dispatchAll}, as many in one call as the store combines
     * ({@link WaschedStore#combinedDispatchLimit}): each does what it would do alone, its claims fenced by its own
     * lease, its outcomes, pacing, first contacts and next due time its own.
     */
    @Test
    void cyclesOfSeveralAccountsRunTogetherEachAsItWouldAlone() {
        schedule("live", false);
        String ann = "+4915100000051";
        String gone = "+4915100000052";
        contact(ann, false);
        contact(gone, true);
        Delivery toGone = delivery(51, "live", "a", gone, T0.minusSeconds(9));
        Delivery a1 = delivery(52, "live", "a", ann, T0.minusSeconds(8));
        Delivery a2 = delivery(53, "live", "a", ann, T0.minusSeconds(7));
        Delivery aLater = delivery(54, "live", "a", ann, T0.plusSeconds(30));
        Delivery aSending = delivery(55, "live", "a", ann, T0.minusSeconds(60));
        Delivery bDue = delivery(56, "live", "b", ann, T0.minusSeconds(5));
        Delivery bSending = delivery(57, "live", "b", ann, T0.minusSeconds(61));
        Delivery cSending = delivery(58, "live", "c", ann, T0.minusSeconds(62));
        store().deliveries().insertAll(List.of(toGone, a1, a2, aLater, aSending, bDue, bSending, cSending));
        Lease fenceA = store().leases().acquire("session:a", "i1", Duration.ofSeconds(30)).orElseThrow();
        Lease fenceB = store().leases().acquire("session:b", "i1", Duration.ofSeconds(30)).orElseThrow();
        Lease staleB = new Lease(fenceB.name(), "i1", fenceB.epoch() + 1);
        Delivery claimedA = aSending.claimForSending("i1", T0.minusSeconds(1));
        Delivery claimedB = bSending.claimForSending("i1", T0.minusSeconds(1));
        Delivery claimedC = cSending.claimForSending("i1", T0.minusSeconds(1));
        for (Delivery d : List.of(claimedA, claimedB, claimedC)) {
            assertThat(store().deliveries().update(d)).isTrue();
        }
        Delivery takenOver = claimedA.uncertain("owner died", T0);
        assertThat(store().deliveries().update(takenOver)).isTrue(); // another owner got there first
        Delivery lateA = claimedA.sent("wamid.a", T0, T0);
        Delivery sentB = claimedB.sent("wamid.b", T0, T0);
        Delivery sentC = claimedC.sent("wamid.c", T0, T0);
        PacingState pacingC = new PacingState("c", T0.plusSeconds(5), T0.truncatedTo(ChronoUnit.HOURS), 1,
                T0.truncatedTo(ChronoUnit.DAYS), 1, 0, 1);
        List<DispatchCycle> cycles = List.of(
                new DispatchCycle("a", T0, fenceA, List.of(lateA), null, 2, true),
                new DispatchCycle("b", T0, staleB, List.of(sentB), null, 2, false),
                DispatchCycle.writeOnly("c", T0, List.of(sentC), pacingC));

        List<DispatchCycle.Result> results = dispatchAll(cycles);

        assertThat(results).hasSize(3);
        DispatchCycle.Result a = results.get(0);
        assertThat(a.sending()).extracting(Delivery::id).containsExactly(a1.id(), a2.id());
        assertThat(a.sending()).allSatisfy(d -> {
            assertThat(d.status()).isEqualTo(DeliveryStatus.SENDING);
            assertThat(d.account()).isEqualTo("a");
            assertThat(store().deliveries().findById(d.id())).contains(d);
        });
        assertThat(a.cancelled()).extracting(Delivery::id, Delivery::lastError).containsExactly(
                org.assertj.core.groups.Tuple.tuple(toGone.id(), DispatchCycle.CANCELLED_CONTACT_OPTED_OUT));
        assertThat(a.notRecorded()).containsExactly(lateA);
        assertThat(a.recorded()).isEmpty();
        assertThat(a.firstContact()).containsExactlyInAnyOrder(a1.id(), a2.id());
        assertThat(a.nextDue()).isEqualTo(aLater.dueAt());
        assertThat(store().deliveries().findById(aSending.id())).contains(takenOver);

        DispatchCycle.Result b = results.get(1);
        assertThat(b.sending()).as("its lease is not held").isEmpty();
        assertThat(b.cancelled()).isEmpty();
        assertThat(b.recorded()).containsExactly(sentB);
        assertThat(b.nextDue()).isEqualTo(bDue.dueAt());
        assertThat(store().deliveries().findById(bDue.id()).orElseThrow().status()).isEqualTo(DeliveryStatus.PENDING);

        DispatchCycle.Result c = results.get(2);
        assertThat(c.recorded()).containsExactly(sentC);
        assertThat(c.pacingSaved()).isTrue();
        assertThat(store().pacing().load("c")).contains(pacingC);
        assertThat(c.sending()).isEmpty();
        assertThat(c.nextDue()).isNull();
        assertThat(store().deliveries().findById(cSending.id())).contains(sentC);
    }

    /**
     * A cycle that does not want the next due time after a claim (the engine's: it cycles again at once) gets none
     * when it took some, and still gets it when it took nothing; alone and together with other accounts' cycles.
     */
    @Test
    void theNextDueTimeIsLeftOutOnlyWhenTheCycleTookSomeAndDidNotAskForIt() {
        schedule("live", false);
        String ann = "+4915100000001";
        contact(ann, false);
        Delivery aDue = delivery(61, "live", "a", ann, T0.minusSeconds(5));
        Delivery aLater = delivery(62, "live", "a", ann, T0.plusSeconds(40));
        Delivery bLater = delivery(63, "live", "b", ann, T0.plusSeconds(50));
        Delivery cDue = delivery(64, "live", "c", ann, T0.minusSeconds(4));
        Delivery cLater = delivery(65, "live", "c", ann, T0.plusSeconds(60));
        store().deliveries().insertAll(List.of(aDue, aLater, bLater, cDue, cLater));
        Lease fenceA = store().leases().acquire("session:a", "i1", Duration.ofSeconds(30)).orElseThrow();
        Lease fenceB = store().leases().acquire("session:b", "i1", Duration.ofSeconds(30)).orElseThrow();
        Lease fenceC = store().leases().acquire("session:c", "i1", Duration.ofSeconds(30)).orElseThrow();

        DispatchCycle.Result alone = store().dispatch(new DispatchCycle("a", T0, fenceA, List.of(), null, 5, false, T0,
                false));
        assertThat(alone.sending()).extracting(Delivery::id).containsExactly(aDue.id());
        assertThat(alone.nextDue()).as("took some, did not ask").isNull();
        DispatchCycle.Result nothingLeft = store().dispatch(new DispatchCycle("a", T0, fenceA, List.of(), null, 5,
                false, T0, false));
        assertThat(nothingLeft.sending()).isEmpty();
        assertThat(nothingLeft.nextDue()).as("took nothing").isEqualTo(aLater.dueAt());

        List<DispatchCycle> cycles = List.of(
                new DispatchCycle("b", T0, fenceB, List.of(), null, 5, false, T0, false),
                new DispatchCycle("c", T0, fenceC, List.of(), null, 5, false, T0, false),
                new DispatchCycle("a", T0, fenceA, List.of(), null, 5, false, T0, true));
        List<DispatchCycle.Result> results = dispatchAll(cycles);
        assertThat(results.get(0).sending()).isEmpty();
        assertThat(results.get(0).nextDue()).as("b took nothing").isEqualTo(bLater.dueAt());
        assertThat(results.get(1).sending()).extracting(Delivery::id).containsExactly(cDue.id());
        assertThat(results.get(1).nextDue()).as("c took some, did not ask").isNull();
        assertThat(results.get(2).nextDue()).as("a asked").isEqualTo(aLater.dueAt());
    }
}
