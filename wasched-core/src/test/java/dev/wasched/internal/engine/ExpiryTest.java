package dev.wasched.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wasched.schedule.MisfirePolicy;
import dev.wasched.schedule.Schedule;
import dev.wasched.schedule.ScheduledMessage;
import dev.wasched.schedule.Target;
import dev.wasched.schedule.Trigger;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/**
 * When a delivery made ahead expires: the latest instant at which a late fan-out would still have fired its
 * occurrence under the schedule's misfire policy.
 */
class ExpiryTest {
    private static final Instant NINE = Instant.parse("2026-06-01T09:00:00Z");
    private static final Duration THRESHOLD = Duration.ofMinutes(1);

    private static Schedule hourly(MisfirePolicy misfire, long maxRuns) {
        return Schedule.builder().id("s1").name("").account("shop").target(Target.group("Team"))
                .message(ScheduledMessage.text("tick")).trigger(Trigger.cron("0 * * * *", ZoneId.of("UTC")))
                .misfire(misfire).maxRuns(maxRuns).nextFireAt(NINE).createdAt(NINE.minusSeconds(3600)).version(1)
                .build();
    }

    @Test
    void skipExpiresWhenTheOccurrenceStopsBeingOnTime() {
        assertThat(Expiry.expiresAt(hourly(MisfirePolicy.skip(), 0), NINE, 1, THRESHOLD)).isEqualTo(NINE.plus(THRESHOLD));
    }

    @Test
    void fireOnceExpiresWhenTheNextOccurrenceIsDue() {
        // Fanned out late, FIRE_ONCE fires only the latest missed occurrence: this one until 10:00 is due.
        Schedule s = hourly(MisfirePolicy.fireOnce(Duration.ofHours(6)), 0);
        assertThat(Expiry.expiresAt(s, NINE, 1, THRESHOLD)).isEqualTo(Instant.parse("2026-06-01T09:59:59.999Z"));
    }

    @Test
    void fireOnceNeverExpiresPastMaxLatenessNorBeforeTheThreshold() {
        assertThat(Expiry.expiresAt(hourly(MisfirePolicy.fireOnce(Duration.ofMinutes(20)), 0), NINE, 1, THRESHOLD))
                .isEqualTo(NINE.plus(Duration.ofMinutes(20)));
        // A next occurrence sooner than the threshold: on time still fires.
        Schedule everyMinute = Schedule.builder().id("s2").name("").account("shop").target(Target.group("Team"))
                .message(ScheduledMessage.text("tick")).trigger(Trigger.cron("* * * * *", ZoneId.of("UTC")))
                .misfire(MisfirePolicy.DEFAULT).nextFireAt(NINE).createdAt(NINE).version(1).build();
        assertThat(Expiry.expiresAt(everyMinute, NINE, 1, Duration.ofMinutes(5))).isEqualTo(NINE.plus(Duration.ofMinutes(5)));
    }

    @Test
    void fireOnceOfTheLastRunExpiresOnlyAtMaxLateness() {
        // The run limit ends the schedule with this occurrence: no later one will ever replace it.
        Schedule s = hourly(MisfirePolicy.fireOnce(Duration.ofHours(6)), 3);
        assertThat(Expiry.expiresAt(s, NINE, 3, THRESHOLD)).isEqualTo(NINE.plus(Duration.ofHours(6)));
        assertThat(Expiry.expiresAt(s, NINE, 2, THRESHOLD)).isEqualTo(Instant.parse("2026-06-01T09:59:59.999Z"));
    }

    @Test
    void fireAllExpiresWhenItFallsOutOfTheLatestLateOccurrences() {
        // FIRE_ALL with a limit of 2 fires the two latest late occurrences: 09:00 is one of them until 11:00 is late.
        Schedule s = hourly(MisfirePolicy.fireAll(Duration.ofHours(6), 2), 0);
        assertThat(Expiry.expiresAt(s, NINE, 1, THRESHOLD)).isEqualTo(Instant.parse("2026-06-01T11:01:00Z"));
        assertThat(Expiry.expiresAt(hourly(MisfirePolicy.fireAll(Duration.ofMinutes(90), 2), 0), NINE, 1, THRESHOLD))
                .isEqualTo(NINE.plus(Duration.ofMinutes(90)));
    }

    @Test
    void aOneTimeMessageExpiresAtItsMaxLateness() {
        Schedule once = Schedule.builder().id("s3").name("").account("shop").target(Target.contacts("c1"))
                .message(ScheduledMessage.text("hi")).trigger(Trigger.once(NINE)).misfire(MisfirePolicy.DEFAULT)
                .nextFireAt(NINE).createdAt(NINE).version(1).build();
        assertThat(Expiry.expiresAt(once, NINE, 1, THRESHOLD)).isEqualTo(NINE.plus(MisfirePolicy.DEFAULT_MAX_LATENESS));
        Schedule skip = Schedule.builder().id("s4").name("").account("shop").target(Target.contacts("c1"))
                .message(ScheduledMessage.text("hi")).trigger(Trigger.once(NINE)).misfire(MisfirePolicy.skip())
                .nextFireAt(NINE).createdAt(NINE).version(1).build();
        assertThat(Expiry.expiresAt(skip, NINE, 1, THRESHOLD)).isEqualTo(NINE.plus(THRESHOLD));
    }
}
