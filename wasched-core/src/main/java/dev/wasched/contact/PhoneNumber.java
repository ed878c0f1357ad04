package dev.wasched.contact;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberToTimeZonesMapper;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A phone number in E.164 form ({@code +4915123456789}). Build one with {@link #parse(String, String)}, which accepts
 * what people type (spaces, dashes, a national number with a default region) and rejects anything libphonenumber
 * does not consider a valid number.
 */
public record PhoneNumber(String e164) {
    private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{6,14}");
    private static final int MAX_INPUT = 64;

    public PhoneNumber {
        if (e164 == null || !E164.matcher(e164).matches()) {
            throw new InvalidPhoneNumberException(String.valueOf(e164), "not in E.164 form (+ and 7 to 15 digits)");
        }
    }

    /**
     * Parses and validates a number.
     *
     * @param input         what the user typed; a leading {@code +} or {@code 00} gives the country
     * @param defaultRegion ISO 3166 region (such as {@code "DE"}) for numbers without a country code, or null
     * @throws InvalidPhoneNumberException naming the input when it is not a valid number
     */
    public static PhoneNumber parse(String input, String defaultRegion) {
        if (input == null || input.isBlank()) {
            throw new InvalidPhoneNumberException(String.valueOf(input), "empty");
        }
        if (input.length() > MAX_INPUT) {
            throw new InvalidPhoneNumberException(input.substring(0, MAX_INPUT) + "…", "longer than " + MAX_INPUT + " characters");
        }
        String text = input.strip();
        if (text.startsWith("00")) {
            text = "+" + text.substring(2);
        }
        PhoneNumberUtil util = PhoneNumberUtil.getInstance();
        String region = defaultRegion == null ? "ZZ" : defaultRegion.toUpperCase(java.util.Locale.ROOT);
        try {
            Phonenumber.PhoneNumber parsed = util.parse(text, region);
            if (!util.isValidNumber(parsed)) {
                return reject(input, "not a valid number" + (text.startsWith("+") ? "" : " for region " + region));
            }
            return new PhoneNumber(util.format(parsed, PhoneNumberUtil.PhoneNumberFormat.E164));
        } catch (NumberParseException e) {
            String reason = switch (e.getErrorType()) {
                case INVALID_COUNTRY_CODE -> defaultRegion == null
                        ? "no country code (start with + or configure a default region)" : "unknown country code";
                case NOT_A_NUMBER -> "not a phone number";
                case TOO_SHORT_AFTER_IDD, TOO_SHORT_NSN -> "too short";
                case TOO_LONG -> "too long";
            };
            return reject(input, reason);
        }
    }

    private static PhoneNumber reject(String input, String reason) {
        throw new InvalidPhoneNumberException(input, reason);
    }

    /** Parses a number that must carry its country code. */
    public static PhoneNumber of(String e164) {
        return parse(e164, null);
    }

    /** The digits without the leading {@code +}, as WhatsApp Web's {@code /send?phone=} wants them. */
    public String digits() {
        return e164.substring(1);
    }

    /** The ISO region of the number, such as {@code "DE"}, when libphonenumber knows it. */
    public Optional<String> region() {
        try {
            PhoneNumberUtil util = PhoneNumberUtil.getInstance();
            String r = util.getRegionCodeForNumber(util.parse(e164, "ZZ"));
            return r == null || "ZZ".equals(r) ? Optional.empty() : Optional.of(r);
        } catch (NumberParseException e) {
            return Optional.empty();
        }
    }

    /**
     * The time zone of the number when its prefix maps to exactly one zone (most countries, and most North American
     * area codes); empty when ambiguous.
     */
    public Optional<ZoneId> zone() {
        try {
            PhoneNumberUtil util = PhoneNumberUtil.getInstance();
            List<String> zones = PhoneNumberToTimeZonesMapper.getInstance().getTimeZonesForNumber(util.parse(e164, "ZZ"));
            if (zones.size() != 1 || PhoneNumberToTimeZonesMapper.getUnknownTimeZone().equals(zones.get(0))) {
                return Optional.empty();
            }
            return Optional.of(ZoneId.of(zones.get(0)));
        } catch (NumberParseException | DateTimeException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return e164;
    }
}
