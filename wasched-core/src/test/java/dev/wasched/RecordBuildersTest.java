package dev.wasched;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wasched.delivery.Delivery;
import dev.wasched.delivery.DeliveryStatus;
import dev.wasched.delivery.Recipient;
import dev.wasched.memory.InMemoryStore;
import dev.wasched.message.MessageContent;
import dev.wasched.policy.PacingPolicy;
import dev.wasched.schedule.Schedule;
import dev.wasched.schedule.ScheduledMessage;
import dev.wasched.schedule.Target;
import dev.wasched.schedule.Trigger;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The large records are built by component name, and copied with a few components changed. */
class RecordBuildersTest {
    private static final Instant T = Instant.parse("2026-03-01T09:00:00.123456Z");

    @Test
    void aDeliveryIsBuiltByNameAndCopiedWithOneComponentChanged() {
        Delivery d = Delivery.builder().id("d1").scheduleId("s1").fireAt(T).recipient(Recipient.group("Team", null))
                .account("shop").content(MessageContent.text("hi")).dueAt(T).createdAt(T).build();
        assertThat(d).isEqualTo(Delivery.pending("d1", "s1", T, Recipient.group("Team", null), "shop",
                MessageContent.text("hi"), T));
        assertThat(d.status()).as("a builder starts PENDING").isEqualTo(DeliveryStatus.PENDING);
        assertThat(d.fireAt()).as("to the millisecond").isEqualTo(Instant.parse("2026-03-01T09:00:00.123Z"));
        assertThat(d.updatedAt()).as("the record's default").isEqualTo(d.createdAt());

        Delivery read = d.toBuilder().readAt(T.plusSeconds(5)).build();
        assertThat(read.readAt()).isEqualTo(Instant.parse("2026-03-01T09:00:05.123Z"));
        assertThat(read.toBuilder().readAt(null).build()).isEqualTo(d);
        assertThatThrownBy(() -> d.toBuilder().account(null).build()).isInstanceOf(NullPointerException.class)
                .hasMessage("account");
    }

    @Test
    void aScheduleIsBuiltByNameAndCopiedWithOneComponentChanged() {
        Schedule s = Schedule.builder().id("s1").account("shop").target(Target.group("Team"))
                .message(ScheduledMessage.text("tick")).trigger(Trigger.once(T)).nextFireAt(T).createdAt(T).version(1)
                .build();
        assertThat(s.name()).isEmpty();
        assertThat(s.accounts()).as("one account").containsExactly("shop");
        assertThat(s.toBuilder().build()).isEqualTo(s);
        Schedule spread = s.toBuilder().accounts(List.of("shop", "shop-2")).build();
        assertThat(spread.spread()).isTrue();
        assertThat(spread.toBuilder().accounts(null).build()).isEqualTo(s);
    }

    @Test
    void settingsHaveOneSetOfDefaultsWhetherBuiltAloneOrForAnEngine() {
        WaschedConfig alone = WaschedConfig.builder().instanceId("i1").defaultZone(ZoneId.of("UTC")).build();
        try (Wasched w = Wasched.builder().store(new InMemoryStore()).instanceId("i1").defaultZone(ZoneId.of("UTC"))
                .build()) {
            assertThat(w.config()).isEqualTo(alone);
        }
        WaschedConfig changed = alone.toBuilder().claimBatchSize(7).pacing("shop", PacingPolicy.DEFAULT).build();
        assertThat(changed.claimBatchSize()).isEqualTo(7);
        assertThat(changed.pacingFor("shop")).isEqualTo(PacingPolicy.DEFAULT);
        assertThat(changed.toBuilder().claimBatchSize(alone.claimBatchSize()).accountPacing(java.util.Map.of()).build())
                .isEqualTo(alone);
        assertThatThrownBy(() -> alone.toBuilder().leaseDuration(Duration.ZERO).build())
                .isInstanceOf(ValidationException.class).hasMessageContaining("leaseDuration");
    }
}
