package dev.wasched.testkit.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wasched.delivery.Delivery;
import dev.wasched.delivery.Recipient;
import dev.wasched.message.MessageContent;
import dev.wasched.schedule.MisfirePolicy;
import dev.wasched.schedule.Schedule;
import dev.wasched.schedule.ScheduledMessage;
import dev.wasched.schedule.Target;
import dev.wasched.schedule.Trigger;
import dev.wasched.spi.store.DueTimes;
import dev.wasched.spi.store.InstanceInfo;
import dev.wasched.spi.store.Lease;
import dev.wasched.spi.store.LeaseRenewal;
import dev.wasched.spi.store.WaschedStore;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The store calls an engine makes besides the repositories' (its fallback poll {@link WaschedStore#dueTimes}, its
 * {@link WaschedStore#heartbeat}, and {@link WaschedStore#insertSchedule} when a schedule is created fanned out), as
 * every store must answer them; run by {@link StoreCompatibilityKit} on each store.
 */
public abstract class EngineCallScenarios {
    private static final Instant T0 = Instant.parse("2026-05-04T10:15:30.123Z");

    /** The store under test, empty at the start of each test. */
    protected abstract WaschedStore store();

    private Schedule schedule(String id, Instant next, boolean paused) {
        Schedule s = Schedule.builder().id(id).name("s " + id).account("acc").target(Target.tag("vip"))
                .message(ScheduledMessage.text("Hi")).trigger(Trigger.cron("0 9 * * MON", ZoneId.of("UTC")))
                .misfire(MisfirePolicy.DEFAULT).paused(paused).nextFireAt(next).createdAt(T0).updatedAt(T0).version(1)
                .build();
        store().schedules().insert(s);
        return s;
    }

    private static Delivery delivery(int n, String account, Instant due) {
        return Delivery.pending(String.format("0190%04x-0000-7000-8000-%012d", 9, n), "s", due,
                Recipient.group("g" + n, ZoneId.of("UTC")), account, MessageContent.text("m" + n), T0);
    }

    @Test
    void aPollTellsTheNextScheduleAndEachAccountsEarliestDueDelivery() {
        assertThat(store().dueTimes(List.of())).isEqualTo(new DueTimes(null, Map.of()));
        schedule("later", T0.plusSeconds(600), false);
        schedule("paused", T0.plusSeconds(5), true);
        schedule("sooner", T0.plusSeconds(60), false);
        store().deliveries().insertAll(List.of(delivery(1, "a", T0.plusSeconds(9)), delivery(2, "a", T0.minusSeconds(3)),
                delivery(3, "b", T0.plusSeconds(1)), delivery(4, "not-asked", T0.minusSeconds(99))));

        DueTimes due = store().dueTimes(List.of("a", "b", "idle"));

        assertThat(due.schedules()).as("paused schedules do not count").isEqualTo(T0.plusSeconds(60));
        assertThat(due.deliveries()).isEqualTo(Map.of("a", T0.minusSeconds(3), "b", T0.plusSeconds(1)));
        assertThat(store().dueTimes(List.of()).schedules()).isEqualTo(T0.plusSeconds(60));
    }

    @Test
    void aPollOfManyAccountsAnswersForEach() {
        List<String> accounts = IntStream.range(0, 250).mapToObj(i -> "acc-" + i).toList();
        store().deliveries().insertAll(IntStream.range(0, 250)
                .mapToObj(i -> delivery(100 + i, accounts.get(i), T0.plusSeconds(i))).toList());

        DueTimes due = store().dueTimes(accounts);

        assertThat(due.deliveries()).hasSize(250).containsEntry("acc-0", T0).containsEntry("acc-249",
                T0.plusSeconds(249));
        assertThat(due.schedules()).isNull();
    }

    @Test
    void aScheduleCreatedFannedOutIsStoredWithItsDeliveries() {
        Schedule created = Schedule.builder().id("once").name("once").account("acc")
                .target(Target.contacts(List.of("c-1"))).message(ScheduledMessage.text("Hi"))
                .trigger(Trigger.once(T0.plusSeconds(30))).misfire(MisfirePolicy.DEFAULT).runs(1).createdAt(T0)
                .updatedAt(T0).version(2).build();
        Delivery d = Delivery.pending(String.format("0190%04x-0000-7000-8000-%012d", 9, 1), "once", T0.plusSeconds(30),
                Recipient.contact("c-1", "+4915100000001", ZoneId.of("UTC")), "acc", MessageContent.text("Hi"), T0);

        store().insertSchedule(created, List.of(d));

        assertThat(store().schedules().findById("once")).contains(created);
        assertThat(store().deliveries().findById(d.id())).contains(d);
        assertThat(store().dueTimes(List.of("acc"))).isEqualTo(new DueTimes(null, Map.of("acc", T0.plusSeconds(30))));
    }

    @Test
    void aHeartbeatWritesTheInstanceRowRenewsHeldLeasesAndReadsTheOthers() {
        Instant now = Instant.now();
        Lease mine = store().leases().acquire("session:a", "i1", Duration.ofSeconds(30)).orElseThrow();
        Lease theirs = store().leases().acquire("session:b", "i2", Duration.ofSeconds(30)).orElseThrow();
        Lease lost = new Lease("session:c", "i1", 7);

        InstanceInfo first = new InstanceInfo("i1", "host-1", now, now, now.plusSeconds(30));
        LeaseRenewal r = store().heartbeat(first, List.of(mine, lost), Duration.ofSeconds(30),
                List.of("session:b", "session:free", "pause"));

        assertThat(r.renewed()).containsExactly(mine);
        assertThat(r.current()).isEqualTo(Map.of("session:b", theirs));
        assertThat(store().instances().live(now)).extracting(InstanceInfo::id).containsExactly("i1");

        InstanceInfo second = new InstanceInfo("i1", "host-1", now, now.plusSeconds(10), now.plusSeconds(40));
        LeaseRenewal again = store().heartbeat(second, Set.of(), Duration.ofSeconds(30), List.of());
        assertThat(again.renewed()).isEmpty();
        assertThat(store().instances().live(now.plusSeconds(35))).extracting(InstanceInfo::expiresAt)
                .as("the second beat updated the row").hasSize(1);
    }
}
