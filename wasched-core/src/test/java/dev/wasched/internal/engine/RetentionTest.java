package dev.wasched.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wasched.Wasched;
import dev.wasched.delivery.Delivery;
import dev.wasched.delivery.DeliveryStatus;
import dev.wasched.delivery.Recipient;
import dev.wasched.memory.InMemoryStore;
import dev.wasched.message.MessageContent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Finished deliveries older than the retention are deleted in batches; a backlog larger than one maintenance tick
 * deletes is worked off at the following ticks, not an hour later, so retention keeps up with any sending rate.
 */
class RetentionTest {
    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    private static final Instant OLD = NOW.minus(Duration.ofDays(40));
    private final MovableClock clock = new MovableClock(NOW);
    private final InMemoryStore store = new InMemoryStore(clock);

    private static Delivery delivery(int n, DeliveryStatus status, Instant at) {
        return Delivery.builder().id(String.format("d-%06d", n)).scheduleId("s").fireAt(OLD.plusSeconds(n))
                .recipient(Recipient.group("Team", null)).account("shop").content(MessageContent.text("x"))
                .status(status).dueAt(at).createdAt(at).updatedAt(at).build();
    }

    private long remaining() {
        return store.deliveries().countByStatus("shop").values().stream().mapToLong(Long::longValue).sum();
    }

    @Test
    void aBacklogLargerThanOneTickIsWorkedOffAtTheNextTicksAndWhatMustStayStays() {
        int perTick = Engine.PURGE_BATCHES_PER_TICK * 1000;
        List<Delivery> all = new ArrayList<>();
        for (int i = 0; i < perTick + 2_500; i++) {
            all.add(delivery(i, i % 2 == 0 ? DeliveryStatus.SENT : DeliveryStatus.READ, OLD));
        }
        all.add(delivery(900_001, DeliveryStatus.DEAD, OLD));
        all.add(delivery(900_002, DeliveryStatus.UNCERTAIN, OLD));
        all.add(delivery(900_003, DeliveryStatus.SENT, NOW.minus(Duration.ofDays(1))));
        store.deliveries().insertAll(all);
        try (Wasched wasched = Wasched.builder().store(store).clock(clock).instanceId("test-1")
                .retention(Duration.ofDays(30)).build()) {
            wasched.runDue();
            assertThat(remaining()).as("one tick deletes at most its bound").isEqualTo(2_500 + 3);

            clock.now = NOW.plusSeconds(10);
            wasched.runDue();
            assertThat(remaining()).as("the next tick goes on, an hour has not passed").isEqualTo(3);
            assertThat(store.deliveries().findById("d-900001")).isPresent();
            assertThat(store.deliveries().findById("d-900002")).isPresent();
            assertThat(store.deliveries().findById("d-900003")).as("younger than the retention").isPresent();

            store.deliveries().insertAll(List.of(delivery(900_004, DeliveryStatus.SENT, OLD)));
            clock.now = NOW.plusSeconds(20);
            wasched.runDue();
            assertThat(store.deliveries().findById("d-900004")).as("caught up: hourly again").isPresent();
            clock.now = NOW.plus(Duration.ofHours(1)).plusSeconds(1);
            wasched.runDue();
            assertThat(store.deliveries().findById("d-900004")).isEmpty();
        }
    }
}
