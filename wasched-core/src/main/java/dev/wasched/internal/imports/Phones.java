package dev.wasched.internal.imports;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import dev.wasched.contact.InvalidPhoneNumberException;
import dev.wasched.contact.PhoneNumber;
import java.util.regex.Pattern;

/** Phone numbers as spreadsheets hold them. */
final class Phones {
    /** 8 to 15 digits with optional spaces, dots or dashes, and nothing else: no {@code +}, no words. */
    private static final Pattern BARE_DIGITS = Pattern.compile("[0-9][0-9 .\\-]{6,20}[0-9]");

    private Phones() {
    }

    /**
     * Parses a phone cell. Spreadsheets drop the leading {@code +} of numbers stored as numbers
     * ({@code 4915112345678}); such a bare number is read as international when
     * <ul>
     *   <li>the default region writes national numbers with a leading {@code 0} (Germany, the UK, France, …) and the
     *   cell does not start with {@code 0}: there a full national number always does, so the digits must begin with
     *   a country code; or</li>
     *   <li>it is not a valid number in the default region at all.</li>
     * </ul>
     * Otherwise the default region applies, as for any number typed by hand.
     *
     * @throws InvalidPhoneNumberException naming the input
     */
    static PhoneNumber parse(String raw, String region) {
        String s = raw.strip();
        boolean bare = BARE_DIGITS.matcher(s).matches() && !s.startsWith("0");
        if (bare && region != null && "0".equals(PhoneNumberUtil.getInstance().getNddPrefixForRegion(region, true))) {
            PhoneNumber international = international(s);
            if (international != null) {
                return international;
            }
        }
        try {
            return PhoneNumber.parse(raw, region);
        } catch (InvalidPhoneNumberException e) {
            PhoneNumber international = bare ? international(s) : null;
            if (international != null) {
                return international;
            }
            throw e;
        }
    }

    private static PhoneNumber international(String bare) {
        String digits = bare.replaceAll("[^0-9]", "");
        if (digits.length() < 8 || digits.length() > 15) {
            return null;
        }
        try {
            return PhoneNumber.parse("+" + digits, null);
        } catch (InvalidPhoneNumberException e) {
            return null;
        }
    }

    /** The E.164 number as a long (at most 15 digits fit easily), for the compact duplicate check. */
    static long key(PhoneNumber phone) {
        return Long.parseLong(phone.digits());
    }
}
