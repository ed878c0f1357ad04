package dev.wasched.testkit.whatsapp.internal;

import java.util.regex.Pattern;

/** Lenient parsing of the phone numbers the control API and the page hand in. */
public final class PhoneNumbers {

    // E.164 allows at most 15 digits; very short numbers are almost certainly typos.
    private static final Pattern DIGITS = Pattern.compile("\\+?(\\d{7,15})");
    private static final Pattern SEPARATORS = Pattern.compile("[\\s().-]");

    private PhoneNumbers() {
    }

    /**
     * @param number {@code +491701234567}, {@code 491701234567} or with spaces, dots, dashes, brackets
     * @return the digits without {@code +}, or {@code null} if this is not a plausible number
     */
    public static String digitsOrNull(String number) {
        if (number == null) {
            return null;
        }
        var m = DIGITS.matcher(SEPARATORS.matcher(number).replaceAll(""));
        return m.matches() ? m.group(1) : null;
    }

    /**
     * @param number as for {@link #digitsOrNull(String)}
     * @return the digits without {@code +}
     * @throws IllegalArgumentException if this is not a plausible number
     */
    public static String digits(String number) {
        String digits = digitsOrNull(number);
        if (digits == null) {
            throw new IllegalArgumentException("not a phone number in E.164 form (+ and 7-15 digits): " + number);
        }
        return digits;
    }
}
