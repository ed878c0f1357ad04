package dev.wasched.telegram.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wasched.schedule.CronDialect;
import dev.wasched.schedule.InvalidCronExpressionException;
import dev.wasched.schedule.Trigger;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A cron answer in the wizard: Unix by default, a macro, or Quartz and Spring after their name. */
class InputsCronTest {
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final Instant NOW = Instant.parse("2026-06-01T08:00:00Z");

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            0 8 * * MON-FRI             | UNIX   | 0 8 * * MON-FRI     | cron 0 8 * * MON-FRI (Europe/Berlin)
            cron  0 8 * * MON-FRI       | UNIX   | 0 8 * * MON-FRI     | cron 0 8 * * MON-FRI (Europe/Berlin)
            @daily                      | UNIX   | @daily              | cron @daily (Europe/Berlin)
            Quartz 0 0 12 ? * 6L        | QUARTZ | 0 0 12 ? * 6L       | quartz 0 0 12 ? * 6L (Europe/Berlin)
            spring 0 0 9 * * MON-FRI    | SPRING | 0 0 9 * * MON-FRI   | spring 0 0 9 * * MON-FRI (Europe/Berlin)
            spring @hourly              | SPRING | @hourly             | spring @hourly (Europe/Berlin)
            """)
    void readsEachDialect(String input, CronDialect dialect, String expression, String label) {
        Inputs.When when = Inputs.when(input, BERLIN, NOW);
        assertThat(when.trigger()).isEqualTo(Trigger.cron(expression, BERLIN, dialect));
        assertThat(when.label()).isEqualTo(label);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            quartz 0 0 8 * * MON | QUARTZ | Quartz needs ? in exactly one of them
            cron 0 0 8 * * *     | UNIX   | a seconds field is Quartz or Spring syntax
            @fortnightly         | UNIX   | unknown macro @fortnightly
            """)
    void aWrongExpressionSaysHowItWasRead(String input, CronDialect dialect, String says) {
        assertThatThrownBy(() -> Inputs.when(input, BERLIN, NOW))
                .isInstanceOfSatisfying(InvalidCronExpressionException.class,
                        e -> assertThat(e.dialect()).isEqualTo(dialect))
                .hasMessageContaining(says);
    }
}
