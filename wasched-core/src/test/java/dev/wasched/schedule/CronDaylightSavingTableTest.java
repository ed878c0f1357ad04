package dev.wasched.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.zone.ZoneOffsetTransition;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The daylight-saving table of docs/scheduling.md, row for row: what fires in the two hours either side of a clock
 * change, as local times with their offsets on the day of the change.
 */
class CronDaylightSavingTableTest {
    private static final Duration AROUND = Duration.ofHours(2);
    /** zone | dialect | expression | day of the change | fires: the table of docs/scheduling.md in the same order. */
    private static final List<String> ROWS = List.of(
            "Europe/Berlin | UNIX | 30 2 * * * | 2026-03-29 | 03:00+02:00",
            "Europe/Berlin | UNIX | 0 * * * * | 2026-03-29 | 00:00+01:00 01:00+01:00 03:00+02:00 04:00+02:00",
            "Europe/Berlin | UNIX | 30 2 * * * | 2026-10-25 | 02:30+02:00",
            "Europe/Berlin | UNIX | 0 * * * * | 2026-10-25 | 01:00+02:00 02:00+02:00 02:00+01:00 03:00+01:00",
            "Europe/Berlin | UNIX | */30 */2 * * * | 2026-10-25 | 02:00+02:00 02:30+02:00 02:00+01:00 02:30+01:00",
            "Europe/Berlin | QUARTZ | 0 30 * * * ? | 2026-10-25 | 01:30+02:00 02:30+02:00 02:30+01:00 03:30+01:00",
            "Europe/London | SPRING | 0 30 1 * * * | 2026-10-25 | 01:30+01:00",
            "America/New_York | UNIX | 30 1 * * * | 2026-11-01 | 01:30-04:00",
            "America/New_York | UNIX | @hourly | 2026-11-01 | 00:00-04:00 01:00-04:00 01:00-05:00 02:00-05:00",
            "Australia/Lord_Howe | UNIX | 45 * * * * | 2026-04-05 | 00:45+11:00 01:45+11:00 01:45+10:30 02:45+10:30");

    static Stream<Arguments> rows() {
        return ROWS.stream().map(r -> r.split(" \\| ")).map(c -> Arguments.of(c[0], CronDialect.valueOf(c[1]), c[2],
                LocalDate.parse(c[3]), c[4]));
    }

    @ParameterizedTest(name = "{0} {1} ''{2}'' on {3}")
    @MethodSource("rows")
    void firesAroundAClockChange(String zone, CronDialect dialect, String expression, LocalDate day, String fires) {
        ZoneId z = ZoneId.of(zone);
        ZoneOffsetTransition change = z.getRules().nextTransition(day.minusDays(1).atStartOfDay(z).toInstant());
        assertThat(change.getDateTimeBefore().toLocalDate()).as("the clocks change that day").isEqualTo(day);
        Trigger trigger = Trigger.cron(expression, z, dialect);
        Instant end = change.getInstant().plus(AROUND);
        List<String> local = new ArrayList<>();
        Instant at = change.getInstant().minus(AROUND).minusMillis(1);
        for (Instant next = trigger.nextAfter(at).orElseThrow(); next.isBefore(end);
                next = trigger.nextAfter(next).orElseThrow()) {
            OffsetDateTime fire = next.atZone(z).toOffsetDateTime();
            assertThat(fire.toLocalDate()).isEqualTo(day);
            local.add(fire.toLocalTime() + fire.getOffset().getId());
        }
        assertThat(local).isEqualTo(Arrays.asList(fires.split(" ")));
    }

    /** The rows of docs/scheduling.md: | zone | `expression` (Dialect) | day and change | fires, comma-separated |. */
    @Test
    void theReadmeShowsExactlyTheseRows() throws Exception {
        String readme = Files.readString(Path.of("../docs/scheduling.md"), StandardCharsets.UTF_8);
        String table = readme.substring(readme.indexOf("What fires within two hours either side of a change"));
        Pattern row = Pattern.compile("^\\| ([A-Za-z_/]+) \\| `([^`]+)`(?: \\((\\w+)\\))? \\| (\\d{4}-\\d{2}-\\d{2}) [^|]* \\| ([^|]+) \\|$",
                Pattern.MULTILINE);
        List<String> shown = new ArrayList<>();
        Matcher m = row.matcher(table.substring(0, table.indexOf("\n\n", table.indexOf("| --- |"))));
        while (m.find()) {
            String dialect = m.group(3) == null ? "UNIX" : m.group(3).toUpperCase(Locale.ROOT);
            shown.add(String.join(" | ", m.group(1), dialect, m.group(2), m.group(4), m.group(5).replace(", ", " ")));
        }
        assertThat(shown).isEqualTo(ROWS);
    }
}
