package dev.wasched.telegram.internal;

import dev.wasched.ValidationException;
import java.util.regex.Pattern;

/** Ids that come back in callback data are input like any other: checked before use. */
final class Ids {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,60}");

    private Ids() {
    }

    static String require(String id) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new ValidationException("button", "malformed id");
        }
        return id;
    }

    /** The random tail of a time-ordered id: ids made in one millisecond share their head. */
    static String shortId(String id) {
        return id.length() <= 8 ? id : id.substring(id.length() - 8);
    }
}
