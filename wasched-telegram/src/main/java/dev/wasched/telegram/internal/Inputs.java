package dev.wasched.telegram.internal;

import dev.wasched.ValidationException;
import dev.wasched.schedule.CronDialect;
import dev.wasched.schedule.Trigger;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads what people type into Telegram. Everything from Telegram is untrusted input: lengths are capped and every
 * failure is a {@link ValidationException} that names the problem, which the bot shows as the reply.
 */
public final class Inputs {
    /** Longest search text or name looked at. */
    public static final int MAX_QUERY = 100;
    /** Longest message text accepted for sending (Telegram's own message limit). */
    public static final int MAX_MESSAGE = 4096;
    private static final Pattern COMMAND = Pattern.compile("/([A-Za-z0-9_]{1,32})(?:@([A-Za-z0-9_]{1,64}))?(?:\\s+(.*))?",
            Pattern.DOTALL);
    private static final Pattern PHONE_LIKE = Pattern.compile("\\+?[0-9][0-9 ()./-]{4,40}");
    private static final Pattern IN = Pattern.compile("in\\s+(\\d{1,6})\\s*(s|sec|secs|seconds?|m|min|mins|minutes?|h|hours?|d|days?)");
    private static final Pattern EVERY = Pattern.compile("every\\s+(\\d{1,6})\\s*(s|sec|secs|seconds?|m|min|mins|minutes?|h|hours?|d|days?)");
    private static final Pattern DATE_TIME = Pattern.compile("(\\d{4}-\\d{2}-\\d{2})[ tT](\\d{1,2}:\\d{2})");
    private static final Pattern TIME = Pattern.compile("(\\d{1,2}:\\d{2})");
    private static final Duration MAX_AHEAD = Duration.ofDays(366 * 5);

    private Inputs() {
    }

    /** A command: its lower-case name, the bot it was addressed to (or null) and the rest of the text. */
    public record Command(String name, String addressedTo, String args) {
    }

    /** The command in {@code text}, or null when it is not one. */
    public static Command command(String text) {
        if (text == null || !text.startsWith("/")) {
            return null;
        }
        Matcher m = COMMAND.matcher(text);
        if (!m.matches()) {
            return new Command("", null, "");
        }
        return new Command(m.group(1).toLowerCase(Locale.ROOT), m.group(2), m.group(3) == null ? "" : m.group(3).strip());
    }

    /** Whether the text looks like a phone number (it may still be an invalid one). */
    public static boolean looksLikePhone(String text) {
        return PHONE_LIKE.matcher(text.strip()).matches();
    }

    /** The text with whitespace trimmed, rejected (naming {@code field}) when longer than {@code max}. */
    public static String bounded(String field, String text, int max) {
        String t = text == null ? "" : text.strip();
        if (t.length() > max) {
            throw new ValidationException(field, "is " + t.length() + " characters, the limit is " + max);
        }
        return t;
    }

    /** When a schedule fires, as typed. */
    public record When(Trigger trigger, boolean now, String label) {
        /** The trigger, with "now" taken at {@code at}. */
        public Trigger trigger(Instant at) {
            return now ? Trigger.once(at) : trigger;
        }
    }

    /**
     * Reads "now", "in 30m", "2026-06-01 08:00", "08:00" (the next one), "every 2h", a Unix cron expression with five
     * fields or a macro such as "@daily" (optionally after "cron"), or a Quartz or Spring one after "quartz" or
     * "spring", in {@code zone}.
     */
    public static When when(String input, ZoneId zone, Instant now) {
        String text = bounded("when", input, MAX_QUERY).replaceAll("\\s+", " ");
        String lower = text.toLowerCase(Locale.ROOT);
        if (lower.equals("now")) {
            return new When(null, true, "now");
        }
        Matcher in = IN.matcher(lower);
        if (in.matches()) {
            Instant at = now.plus(amount(in.group(1), in.group(2)));
            return new When(Trigger.once(at), false, "once, " + Texts.time(at, zone) + " (" + zone + ")");
        }
        Matcher every = EVERY.matcher(lower);
        if (every.matches()) {
            Duration interval = amount(every.group(1), every.group(2));
            return new When(Trigger.every(interval), false, "every " + Texts.duration(interval));
        }
        Matcher dt = DATE_TIME.matcher(lower);
        if (dt.matches()) {
            ZonedDateTime at;
            try {
                at = LocalDateTime.of(LocalDate.parse(dt.group(1)), parseTime(dt.group(2))).atZone(zone);
            } catch (DateTimeException e) {
                throw new ValidationException("when", "'" + text + "' is not a valid date and time");
            }
            return once(at.toInstant(), zone, now, text);
        }
        Matcher t = TIME.matcher(lower);
        if (t.matches()) {
            LocalTime time = parseTime(t.group(1));
            ZonedDateTime at = now.atZone(zone).with(time);
            if (!at.toInstant().isAfter(now)) {
                at = at.plusDays(1).with(time);
            }
            return once(at.toInstant(), zone, now, text);
        }
        for (CronDialect dialect : CronDialect.values()) {
            String keyword = cronKeyword(dialect) + " ";
            if (lower.startsWith(keyword)) {
                // InvalidCronExpressionException names the expression and the dialect it was read as
                String expression = text.substring(keyword.length()).strip();
                Trigger.Cron trigger = (Trigger.Cron) Trigger.cron(expression, zone, dialect);
                return new When(trigger, false, describe(trigger));
            }
        }
        if (text.split(" ").length == 5 || text.startsWith("@")) {
            Trigger.Cron trigger = (Trigger.Cron) Trigger.cron(text, zone);
            return new When(trigger, false, describe(trigger));
        }
        throw new ValidationException("when", "could not read '" + text + "': send now, in 30m, 2026-06-01 08:00, "
                + "08:00, every 2h, or a cron expression with five fields such as 0 8 * * MON-FRI, a macro such as"
                + " @daily, or Quartz or Spring cron after quartz or spring");
    }

    /** A cron trigger as the user writes it: "cron 0 9 * * MON (Europe/Berlin)", "quartz 0 0 12 ? * 6L (UTC)". */
    static String describe(Trigger.Cron cron) {
        return cronKeyword(cron.dialect()) + " " + cron.expression() + " (" + cron.zone() + ")";
    }

    /** The word before a cron expression: cron (Unix), quartz, spring. */
    private static String cronKeyword(CronDialect dialect) {
        return dialect == CronDialect.UNIX ? "cron" : dialect.name().toLowerCase(Locale.ROOT);
    }

    private static When once(Instant at, ZoneId zone, Instant now, String text) {
        if (!at.isAfter(now)) {
            throw new ValidationException("when", "'" + text + "' is in the past (" + zone + ")");
        }
        if (Duration.between(now, at).compareTo(MAX_AHEAD) > 0) {
            throw new ValidationException("when", "'" + text + "' is more than five years ahead");
        }
        return new When(Trigger.once(at), false, "once, " + Texts.time(at, zone) + " (" + zone + ")");
    }

    private static LocalTime parseTime(String hhmm) {
        try {
            String[] p = hhmm.split(":");
            return LocalTime.of(Integer.parseInt(p[0]), Integer.parseInt(p[1]));
        } catch (DateTimeException e) {
            throw new ValidationException("when", "'" + hhmm + "' is not a valid time of day");
        }
    }

    private static Duration amount(String number, String unit) {
        long n = Long.parseLong(number);
        Duration d = switch (unit.charAt(0)) {
            case 's' -> Duration.ofSeconds(n);
            case 'm' -> Duration.ofMinutes(n);
            case 'h' -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
        if (d.isZero()) {
            throw new ValidationException("when", "a duration must be more than zero");
        }
        if (d.compareTo(MAX_AHEAD) > 0) {
            throw new ValidationException("when", "more than five years");
        }
        return d;
    }
}
