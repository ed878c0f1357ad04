package dev.wasched.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Cron in wall-clock time across daylight-saving changes: a repeated wall time fires once (in both passes when the
 * hour field is * or a step), a skipped wall time fires at the first valid instant after the gap.
 */
class CronDaylightSavingTest {
    private static List<Instant> fires(String cron, String zone, String fromUtc, String toUtc) {
        Trigger t = Trigger.cron(cron, ZoneId.of(zone));
        List<Instant> out = new ArrayList<>();
        Instant at = Instant.parse(fromUtc);
        Instant end = Instant.parse(toUtc);
        while (true) {
            Instant next = t.nextAfter(at).orElseThrow();
            if (next.isAfter(end)) {
                return out;
            }
            out.add(next);
            at = next;
        }
    }

    private static List<Instant> utc(String... instants) {
        return java.util.Arrays.stream(instants).map(Instant::parse).toList();
    }

    @Test
    void berlinSpringGapFiresAtTheEndOfTheGap() {
        // 2026-03-29: 02:00 CET becomes 03:00 CEST; 02:30 does not exist.
        assertThat(fires("30 2 * * *", "Europe/Berlin", "2026-03-28T00:00:00Z", "2026-03-30T23:00:00Z"))
                .isEqualTo(utc("2026-03-28T01:30:00Z", "2026-03-29T01:00:00Z", "2026-03-30T00:30:00Z"));
    }

    @Test
    void berlinSeveralWallTimesInTheGapFireOnce() {
        assertThat(fires("*/15 2 * * *", "Europe/Berlin", "2026-03-28T23:00:00Z", "2026-03-30T00:20:00Z"))
                .isEqualTo(utc("2026-03-29T01:00:00Z", "2026-03-30T00:00:00Z", "2026-03-30T00:15:00Z"));
    }

    @Test
    void berlinFallBackFiresARepeatedWallTimeOnce() {
        // 2026-10-25: 03:00 CEST becomes 02:00 CET; 02:30 happens twice, it fires at the first.
        assertThat(fires("30 2 * * *", "Europe/Berlin", "2026-10-24T00:00:00Z", "2026-10-26T12:00:00Z"))
                .isEqualTo(utc("2026-10-24T00:30:00Z", "2026-10-25T00:30:00Z", "2026-10-26T01:30:00Z"));
    }

    @Test
    void berlinHourlyCronFiresInBothPassesOfTheRepeatedHour() {
        assertThat(fires("0 * * * *", "Europe/Berlin", "2026-10-24T22:30:00Z", "2026-10-25T03:30:00Z"))
                .isEqualTo(utc("2026-10-24T23:00:00Z", "2026-10-25T00:00:00Z", "2026-10-25T01:00:00Z",
                        "2026-10-25T02:00:00Z", "2026-10-25T03:00:00Z"));
    }

    @Test
    void fromInsideTheFirstPassTheSecondPassStillFollowsInOrder() {
        // 00:20Z is 02:20 CEST: 02:30 and 02:45 CEST come first, then 02:00 to 02:45 CET, then 03:00 CET.
        assertThat(fires("*/15 * * * *", "Europe/Berlin", "2026-10-25T00:20:00Z", "2026-10-25T02:00:00Z"))
                .isEqualTo(utc("2026-10-25T00:30:00Z", "2026-10-25T00:45:00Z", "2026-10-25T01:00:00Z",
                        "2026-10-25T01:15:00Z", "2026-10-25T01:30:00Z", "2026-10-25T01:45:00Z",
                        "2026-10-25T02:00:00Z"));
        // 01:20Z is 02:20 CET, the second pass: nothing of the first pass comes back.
        assertThat(fires("*/15 * * * *", "Europe/Berlin", "2026-10-25T01:20:00Z", "2026-10-25T02:00:00Z"))
                .isEqualTo(utc("2026-10-25T01:30:00Z", "2026-10-25T01:45:00Z", "2026-10-25T02:00:00Z"));
    }

    @Test
    void aFixedHourWithAWildcardMinuteFiresTheRepeatedHourOnce() {
        assertThat(fires("*/30 2 * * *", "Europe/Berlin", "2026-10-24T23:00:00Z", "2026-10-25T03:00:00Z"))
                .isEqualTo(utc("2026-10-25T00:00:00Z", "2026-10-25T00:30:00Z"));
    }

    @Test
    void newYorkSpringAndFall() {
        // 2026-03-08 02:00 EST -> 03:00 EDT; 2026-11-01 02:00 EDT -> 01:00 EST.
        assertThat(fires("30 2 * * *", "America/New_York", "2026-03-07T12:00:00Z", "2026-03-09T12:00:00Z"))
                .isEqualTo(utc("2026-03-08T07:00:00Z", "2026-03-09T06:30:00Z"));
        assertThat(fires("30 1 * * *", "America/New_York", "2026-10-31T12:00:00Z", "2026-11-02T12:00:00Z"))
                .isEqualTo(utc("2026-11-01T05:30:00Z", "2026-11-02T06:30:00Z"));
    }

    @Test
    void cairoMidnightTransitions() {
        // Egypt: 2026-04-24 00:00 EET -> 01:00 EEST; 2026-10-30 00:00 EEST -> 2026-10-29 23:00 EET.
        assertThat(fires("30 0 * * *", "Africa/Cairo", "2026-04-22T12:00:00Z", "2026-04-24T23:00:00Z"))
                .isEqualTo(utc("2026-04-22T22:30:00Z", "2026-04-23T22:00:00Z", "2026-04-24T21:30:00Z"));
        assertThat(fires("30 23 * * *", "Africa/Cairo", "2026-10-29T00:00:00Z", "2026-10-31T00:00:00Z"))
                .isEqualTo(utc("2026-10-29T20:30:00Z", "2026-10-30T21:30:00Z"));
    }

    @Test
    void lordHoweHalfHourShifts() {
        // Lord Howe: 2026-04-05 02:00 (+11) -> 01:30 (+10:30); 2026-10-04 02:00 (+10:30) -> 02:30 (+11).
        assertThat(fires("45 1 * * *", "Australia/Lord_Howe", "2026-04-04T00:00:00Z", "2026-04-06T00:00:00Z"))
                .isEqualTo(utc("2026-04-04T14:45:00Z", "2026-04-05T15:15:00Z"));
        assertThat(fires("15 2 * * *", "Australia/Lord_Howe", "2026-10-02T12:00:00Z", "2026-10-04T20:00:00Z"))
                .isEqualTo(utc("2026-10-02T15:45:00Z", "2026-10-03T15:30:00Z", "2026-10-04T15:15:00Z"));
    }

    @Test
    void ordinaryDaysAreUnaffected() {
        assertThat(fires("0 9 * * MON-FRI", "Europe/Berlin", "2026-06-05T00:00:00Z", "2026-06-09T12:00:00Z"))
                .isEqualTo(utc("2026-06-05T07:00:00Z", "2026-06-08T07:00:00Z", "2026-06-09T07:00:00Z"));
    }
}
