package dev.wasched.store.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wasched.delivery.Delivery;
import dev.wasched.delivery.Recipient;
import dev.wasched.message.MessageContent;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The values a transition writes line up with the column names they are written to. */
class DeliveryColumnsTest {
    private static final Instant T0 = Instant.parse("2026-06-01T12:00:00Z");

    @Test
    void mutableValuesAreTheMutableColumnsInOrder() {
        // Every field set, each to a value of its own, so a swapped pair would show.
        Delivery d = Delivery.pending("d-1", "s-1", T0, Recipient.contact("c-1", "+4915100000001", ZoneId.of("UTC")),
                        "acc", MessageContent.text("hi"), T0)
                .expiringAt(T0.plusSeconds(900))
                .claimForSending("engine-1", T0.plusSeconds(1))
                .withEvidence("marker-1", "wamid.1")
                .sent("wamid.1", T0.plusSeconds(2), T0.plusSeconds(3));
        List<Object> picked = Sql.pick(JdbcDeliveries.COLUMNS, JdbcDeliveries.values(d), JdbcDeliveries.MUTABLE);

        assertThat(Arrays.asList(JdbcDeliveries.mutableValues(d))).isEqualTo(picked);
        assertThat(Arrays.asList(JdbcDeliveries.transition(d)).subList(0, picked.size())).isEqualTo(picked);
        assertThat(JdbcDeliveries.transition(d)[JdbcDeliveries.TRANSITION.indexOf("id")]).isEqualTo("d-1");
    }

    @Test
    void theJoinedUpdateWritesEveryTransitionColumnButTheId() {
        String sql = VersionedUpdates.joinedSql("wasched_delivery", JdbcDeliveries.TRANSITION);
        for (String column : new HashSet<>(JdbcDeliveries.MUTABLE)) {
            assertThat(sql).contains(column + " = v." + column);
        }
        assertThat(sql).doesNotContain("id = v.id,").contains("WHERE t.id = v.id AND t.version = v.version - 1");
    }

    @Test
    void theJoinedUpdatesJsonLeavesNullsOutAndKeepsEveryValue() {
        String json = VersionedUpdates.json(List.of("id", "status", "last_error", "attempts", "sent_at", "version"),
                List.of(new Object[]{"d-1", "SENT", null, 2, Instant.parse("2026-06-01T12:00:00.123456Z"), 3L},
                        new Object[]{"d-2", null, "busy", null, null, 4L}));

        assertThat(json).isEqualTo("[{\"id\":\"d-1\",\"status\":\"SENT\",\"attempts\":2,"
                + "\"sent_at\":\"2026-06-01T12:00:00.123Z\",\"version\":3},"
                + "{\"id\":\"d-2\",\"last_error\":\"busy\",\"version\":4}]");
    }
}
