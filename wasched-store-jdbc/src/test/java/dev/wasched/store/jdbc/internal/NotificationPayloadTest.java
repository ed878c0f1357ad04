package dev.wasched.store.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wasched.spi.store.StoreChange;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What a change notification carries, and what a listener reads back from it. */
class NotificationPayloadTest {
    private static final Instant DUE = Instant.parse("2026-12-05T09:00:00.250Z");

    @Test
    void everyKindOfChangeReadsBackAsItWasSent() {
        for (StoreChange change : new StoreChange[]{StoreChange.SCHEDULES, StoreChange.ANYTHING,
                StoreChange.deliveries("shop"), StoreChange.deliveries("shop", DUE),
                StoreChange.deliveries("team:berlin", DUE)}) {
            assertThat(Db.change(Db.payload(change))).isEqualTo(change);
        }
    }

    @Test
    void aDueTimeTravelsInMillisecondsBeforeTheAccount() {
        assertThat(Db.payload(StoreChange.deliveries("shop", DUE))).isEqualTo("due:" + DUE.toEpochMilli() + ":shop");
        assertThat(Db.payload(StoreChange.deliveries("shop"))).as("no due time: as before").isEqualTo("delivery:shop");
    }

    @Test
    void whatCannotBeReadWakesEverything() {
        assertThat(Db.change("due:soon:shop")).isEqualTo(StoreChange.ANYTHING);
        assertThat(Db.change("due:123:")).isEqualTo(StoreChange.ANYTHING);
        assertThat(Db.change("due::shop")).isEqualTo(StoreChange.ANYTHING);
        assertThat(Db.change("something else")).isEqualTo(StoreChange.ANYTHING);
        assertThat(Db.change(Db.payload(StoreChange.deliveries("a".repeat(300), DUE))))
                .as("cut to what a notification carries").isEqualTo(StoreChange.ANYTHING);
    }
}
