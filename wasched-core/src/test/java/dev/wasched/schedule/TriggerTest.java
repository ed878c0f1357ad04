package dev.wasched.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wasched.ValidationException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TriggerTest {
    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void onceFiresOnce() {
        Trigger t = Trigger.once(T);
        assertThat(t.first(T.minusSeconds(5))).contains(T);
        assertThat(t.nextAfter(T.minusMillis(1))).contains(T);
        assertThat(t.nextAfter(T)).isEmpty();
    }

    @Test
    void everyStartsOneIntervalAfterCreationAndKeepsItsGrid() {
        Trigger.Every e = ((Trigger.Every) Trigger.every(Duration.ofMinutes(10))).anchoredAt(T);
        assertThat(e.start()).isEqualTo(T.plusSeconds(600));
        assertThat(e.nextAfter(T)).contains(T.plusSeconds(600));
        assertThat(e.nextAfter(T.plusSeconds(600))).contains(T.plusSeconds(1200));
        assertThat(e.nextAfter(T.plusSeconds(1999))).contains(T.plusSeconds(2400));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "* * * *", "61 * * * *", "0 25 * * *", "0 0 32 * *", "hello world * * *",
            "0 0 * * MON-XYZ", "* * * * * *"})
    void invalidCronIsATypedErrorNamingTheExpression(String expr) {
        assertThatThrownBy(() -> Trigger.cron(expr, ZoneId.of("UTC")))
                .isInstanceOf(InvalidCronExpressionException.class)
                .hasMessageContaining("'" + expr + "'");
    }

    @Test
    void cronNeedsAZoneAndEveryAPositiveInterval() {
        assertThatThrownBy(() -> Trigger.cron("0 9 * * *", null)).isInstanceOf(ValidationException.class)
                .hasMessageContaining("zone");
        assertThatThrownBy(() -> Trigger.every(Duration.ofMillis(10))).isInstanceOf(ValidationException.class)
                .hasMessageContaining("interval");
    }

    @Test
    void scheduleRespectsEndAndMaxRuns() {
        Schedule s = Schedule.builder().id("s").name("").account("acc").target(Target.group("g"))
                .message(ScheduledMessage.text("x")).trigger(Trigger.cron("0 * * * *", ZoneId.of("UTC")))
                .misfire(MisfirePolicy.DEFAULT).endAt(T.plusSeconds(7200)).maxRuns(3).nextFireAt(T).createdAt(T)
                .updatedAt(T).version(1).build();
        assertThat(s.nextOccurrenceAfter(T, 0)).isEqualTo(T.plusSeconds(3600));
        assertThat(s.nextOccurrenceAfter(T.plusSeconds(3600), 1)).isEqualTo(T.plusSeconds(7200));
        assertThat(s.nextOccurrenceAfter(T.plusSeconds(7200), 2)).as("after endAt").isNull();
        assertThat(s.nextOccurrenceAfter(T, 3)).as("max runs reached").isNull();
    }
}
