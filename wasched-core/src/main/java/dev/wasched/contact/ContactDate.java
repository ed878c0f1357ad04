package dev.wasched.contact;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.Month;
import java.time.MonthDay;
import java.time.Year;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A date kept in a contact field for yearly messages ({@code birthday}, {@code anniversary}): a month-day and, when
 * known, the year. Read from {@code yyyy-MM-dd} ({@code 1990-02-28}) or, without a year, {@code --MM-dd} (ISO) or
 * {@code MM-dd}; nothing else (no other order, no spaces) counts as a date.
 *
 * @param year the year of the date itself, or null when the field has none
 */
public record ContactDate(MonthDay monthDay, Integer year) {
    private static final Pattern FORMAT = Pattern.compile("(?:(\\d{4})-|--)?(\\d{2})-(\\d{2})");
    private static final MonthDay LEAP_DAY = MonthDay.of(Month.FEBRUARY, 29);
    private static final MonthDay LAST_OF_FEBRUARY = MonthDay.of(Month.FEBRUARY, 28);

    public ContactDate {
        java.util.Objects.requireNonNull(monthDay, "monthDay");
        if (year != null && !monthDay.isValidYear(year)) {
            throw new IllegalArgumentException(monthDay + " is not a day of " + year);
        }
    }

    /** The date in a contact field, or empty when the value is missing or not in one of the formats. */
    public static Optional<ContactDate> parse(String value) {
        Matcher m = value == null ? null : FORMAT.matcher(value);
        if (m == null || !m.matches()) {
            return Optional.empty();
        }
        try {
            MonthDay md = MonthDay.of(Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
            Integer year = m.group(1) == null ? null : Integer.valueOf(m.group(1));
            return year != null && !md.isValidYear(year) ? Optional.empty() : Optional.of(new ContactDate(md, year));
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }

    /** The date of {@code contact}'s {@code field}, or empty when it has none or it is not a date. */
    public static Optional<ContactDate> of(Contact contact, String field) {
        return parse(contact.fields().get(field));
    }

    /** The day it falls on in {@code y}: 29 February is 28 February in a common year. */
    public LocalDate inYear(int y) {
        return monthDay.equals(LEAP_DAY) && !Year.isLeap(y) ? LocalDate.of(y, Month.FEBRUARY, 28) : monthDay.atYear(y);
    }

    /**
     * How many years after the date itself {@code day} is ({@code {{years}}} in a message), or empty when the year
     * is not known.
     */
    public Optional<Integer> yearsOn(LocalDate day) {
        return year == null ? Optional.empty() : Optional.of(day.getYear() - year);
    }

    /** Whether {@code day} is this date's day in its year (and, when the year is known, after the date itself). */
    public boolean fallsOn(LocalDate day) {
        return inYear(day.getYear()).equals(day) && (year == null || day.getYear() > year);
    }

    /**
     * The month-days whose dates fall on one of {@code days}: each day's own, plus 29 February for 28 February of
     * a common year.
     */
    public static Set<MonthDay> monthDaysFor(Collection<LocalDate> days) {
        Set<MonthDay> out = new LinkedHashSet<>();
        for (LocalDate d : days) {
            MonthDay md = MonthDay.from(d);
            out.add(md);
            if (md.equals(LAST_OF_FEBRUARY) && !d.isLeapYear()) {
                out.add(LEAP_DAY);
            }
        }
        return out;
    }
}
