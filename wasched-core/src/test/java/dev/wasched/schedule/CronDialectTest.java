package dev.wasched.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wasched.ValidationException;
import dev.wasched.spi.store.StoreCodec;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Cron as people write it: Vixie's macros, Quartz and Spring syntax, and errors that say how the text was read. */
class CronDialectTest {
    private static final ZoneId UTC = ZoneId.of("UTC");
    /** A Thursday. */
    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

    private static List<String> next(Trigger t, int n) {
        List<String> out = new ArrayList<>();
        Instant at = T;
        for (int i = 0; i < n; i++) {
            at = t.nextAfter(at).orElseThrow();
            out.add(at.toString());
        }
        return out;
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', textBlock = """
            @yearly   | 0 0 1 1 *
            @annually | 0 0 1 1 *
            @monthly  | 0 0 1 * *
            @weekly   | 0 0 * * 0
            @daily    | 0 0 * * *
            @midnight | 0 0 * * *
            @hourly   | 0 * * * *
            """)
    void macrosFireAsVixieCronsFiveFields(String macro, String fields) {
        Trigger m = Trigger.cron(macro, UTC);
        assertThat(next(m, 3)).isEqualTo(next(Trigger.cron(fields, UTC), 3));
        assertThat(((Trigger.Cron) m).expression()).as("kept as written").isEqualTo(macro);
        assertThat(next(Trigger.cron(macro, UTC, CronDialect.SPRING), 3)).as("Spring's macros mean the same")
                .isEqualTo(next(m, 3));
    }

    @Test
    void quartzReadsLastWeekdayNearestAndNth() {
        assertThat(next(Trigger.cron("0 0 12 ? * 6L", UTC, CronDialect.QUARTZ), 2)).as("last Friday")
                .containsExactly("2026-01-30T12:00:00Z", "2026-02-27T12:00:00Z");
        assertThat(next(Trigger.cron("0 0 9 15W * ?", UTC, CronDialect.QUARTZ), 2)).as("weekday nearest the 15th")
                .containsExactly("2026-01-15T09:00:00Z", "2026-02-16T09:00:00Z");
        assertThat(next(Trigger.cron("0 0 9 ? * 2#1", UTC, CronDialect.QUARTZ), 2)).as("first Monday (1 is Sunday)")
                .containsExactly("2026-01-05T09:00:00Z", "2026-02-02T09:00:00Z");
        assertThat(next(Trigger.cron("30 15 10 L * ?", UTC, CronDialect.QUARTZ), 1)).as("seconds, last day")
                .containsExactly("2026-01-31T10:15:30Z");
        Trigger withYear = Trigger.cron("0 0 9 1 1 ? 2027", UTC, CronDialect.QUARTZ);
        assertThat(withYear.nextAfter(T)).contains(Instant.parse("2027-01-01T09:00:00Z"));
        assertThat(withYear.nextAfter(Instant.parse("2027-01-01T09:00:00Z"))).as("the year is over").isEmpty();
    }

    @Test
    void springReadsSixFieldsWithLastAndNth() {
        assertThat(next(Trigger.cron("0 0 9 * * MON-FRI", UTC, CronDialect.SPRING), 2))
                .containsExactly("2026-01-01T09:00:00Z", "2026-01-02T09:00:00Z");
        assertThat(next(Trigger.cron("0 0 12 L * *", UTC, CronDialect.SPRING), 1)).containsExactly("2026-01-31T12:00:00Z");
        assertThat(next(Trigger.cron("0 0 12 ? * MON#1", UTC, CronDialect.SPRING), 1))
                .containsExactly("2026-01-05T12:00:00Z");
    }

    @Test
    void theDialectIsPartOfTheTrigger() {
        Trigger.Cron unix = (Trigger.Cron) Trigger.cron("0 9 * * *", UTC);
        assertThat(unix.dialect()).isEqualTo(CronDialect.UNIX);
        assertThat(unix).isEqualTo(new Trigger.Cron("0 9 * * *", UTC));
        assertThat(Trigger.cron("0 0 9 * * *", UTC, CronDialect.SPRING))
                .isNotEqualTo(Trigger.cron("0 0 9 * * ?", UTC, CronDialect.QUARTZ));
        assertThatThrownBy(() -> Trigger.cron("0 9 * * *", UTC, null)).isInstanceOf(ValidationException.class)
                .extracting(e -> ((ValidationException) e).field()).isEqualTo("dialect");
    }

    @ParameterizedTest(name = "{0} ''{1}''")
    @CsvSource(delimiter = '|', textBlock = """
            UNIX   | 0 25 * * *           | (read as Unix): hour '25': Value 25 not in range [0, 23]
            UNIX   | 0 9 L * *            | day-of-month 'L'
            UNIX   | 0 9 L * *            | L, W, # and ? are Quartz and Spring syntax
            UNIX   | 0 0 9 * * *          | expected 5 fields (minute hour day-of-month month day-of-week), found 6 (a seconds field is Quartz or Spring syntax
            UNIX   | @fortnightly         | unknown macro @fortnightly (known: @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly)
            UNIX   | @reboot              | unknown macro @reboot
            QUARTZ | 0 0 25 ? * MON       | (read as Quartz): hour '25': Value 25 not in range [0, 23]
            QUARTZ | 0 0 9 * * MON        | day-of-month '*', day-of-week 'MON': Quartz needs ? in exactly one of them
            QUARTZ | 0 0 9 ? * ?          | Quartz needs ? in exactly one of them
            QUARTZ | 0 9 * * ?            | expected 6 or 7 fields (second minute hour day-of-month month day-of-week [year]), found 5 (five fields are Unix syntax
            QUARTZ | @daily               | (read as Quartz): Quartz has no macros such as @daily
            QUARTZ | 0 0 9 ? * MON-XYZ    | day-of-week 'MON-XYZ'
            SPRING | 0 0 9 * * * 2027     | (read as Spring): expected 6 fields (second minute hour day-of-month month day-of-week), found 7
            SPRING | 61 0 9 * * *         | second '61'
            """)
    void errorsSayHowTheExpressionWasReadAndWhatIsWrong(CronDialect dialect, String expression, String says) {
        assertThatThrownBy(() -> Trigger.cron(expression, UTC, dialect))
                .isInstanceOfSatisfying(InvalidCronExpressionException.class, e -> {
                    assertThat(e.field()).isEqualTo("cron");
                    assertThat(e.dialect()).isEqualTo(dialect);
                    assertThat(e.expression()).isEqualTo(expression);
                })
                .hasMessageStartingWith("cron: invalid cron expression '" + expression + "' (read as ")
                .hasMessageContaining(says);
    }

    @Test
    void theStoredFormNamesOnlyADialectOtherThanUnix() {
        Trigger quartz = Trigger.cron("0 0 12 ? * 6L", ZoneId.of("Europe/Berlin"), CronDialect.QUARTZ);
        String stored = StoreCodec.trigger(quartz);
        assertThat(stored).contains("\"dialect\":\"QUARTZ\"");
        assertThat(StoreCodec.trigger(stored)).isEqualTo(quartz);

        // Unix triggers are stored as they were before there were dialects, and such data reads as Unix.
        String before = "{\"type\":\"cron\",\"expression\":\"0 9 * * MON\",\"zone\":\"Europe/Berlin\"}";
        Trigger unix = Trigger.cron("0 9 * * MON", ZoneId.of("Europe/Berlin"));
        assertThat(StoreCodec.trigger(unix)).isEqualTo(before);
        assertThat(StoreCodec.trigger(before)).isEqualTo(unix);
        assertThat(StoreCodec.trigger(StoreCodec.trigger(Trigger.cron("@daily", UTC, CronDialect.SPRING))))
                .isEqualTo(Trigger.cron("@daily", UTC, CronDialect.SPRING));

        assertThatThrownBy(() -> StoreCodec.trigger(
                "{\"type\":\"cron\",\"expression\":\"0 9 * * MON\",\"zone\":\"UTC\",\"dialect\":\"CRON4J\"}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown cron dialect");
    }
}
