package dev.wasched.telegram.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** Small text helpers: capping, times and durations as people read them. Replies are plain text (no markup). */
public final class Texts {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    private Texts() {
    }

    /** The text cut to {@code max} characters, ending in an ellipsis when cut; never splits a surrogate pair. */
    public static String cap(String text, int max) {
        if (text == null || text.length() <= max) {
            return text;
        }
        int end = max - 1;
        if (Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end) + "…";
    }

    /** One line: newlines become spaces, then capped. */
    public static String line(String text, int max) {
        return cap(text == null ? "" : text.replaceAll("\\s+", " ").strip(), max);
    }

    public static String time(Instant at, ZoneId zone) {
        return at == null ? "never" : TIME.format(at.atZone(zone));
    }

    /** Like "3m", "2h 5m", "4d 1h". */
    public static String duration(Duration d) {
        if (d == null) {
            return "-";
        }
        long s = Math.max(0, d.getSeconds());
        if (s < 60) {
            return s + "s";
        }
        long m = s / 60;
        if (m < 60) {
            return m + "m";
        }
        long h = m / 60;
        if (h < 48) {
            return h + "h " + (m % 60) + "m";
        }
        return (h / 24) + "d " + (h % 24) + "h";
    }
}
