package dev.wasched.policy;

import dev.wasched.ValidationException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * A daily window, in the recipient's local time, in which nothing is sent. {@code start} may be after {@code end}
 * (21:00 to 08:00 spans midnight). A message due inside the window waits until it ends.
 */
public record QuietHours(LocalTime start, LocalTime end) {
    public QuietHours {
        if (start == null || end == null || start.equals(end)) {
            throw new ValidationException("quietHours", "start and end must be set and differ");
        }
    }

    public boolean contains(Instant instant, ZoneId zone) {
        LocalTime t = instant.atZone(zone).toLocalTime();
        return start.isBefore(end) ? !t.isBefore(start) && t.isBefore(end) : !t.isBefore(start) || t.isBefore(end);
    }

    /** The first instant at or after {@code instant} outside the window. */
    public Instant endAfter(Instant instant, ZoneId zone) {
        if (!contains(instant, zone)) {
            return instant;
        }
        ZonedDateTime local = instant.atZone(zone);
        LocalDate day = local.toLocalTime().isBefore(end) ? local.toLocalDate() : local.toLocalDate().plusDays(1);
        return ZonedDateTime.of(day, end, zone).toInstant();
    }
}
