package dev.wasched.report;

import java.time.Instant;

/**
 * How every CSV that wasched writes (the delivery export, an import's rejected rows) spells one field: RFC 4180
 * quoting, and a leading {@code '} before a value a spreadsheet would run as a formula (one starting with {@code =},
 * {@code +}, {@code -}, {@code @}, a tab or a carriage return), since contact names and message texts come from
 * outside. Public so that an application writing its own files next to wasched's can follow the same rule.
 */
public final class CsvField {
    private CsvField() {
    }

    /** {@code value} as one CSV field: empty for null, an instant in ISO-8601, guarded and quoted as above. */
    public static String of(Object value) {
        if (value == null) {
            return "";
        }
        String s = value instanceof Instant i ? i.toString() : value.toString();
        if (!s.isEmpty() && "=+-@\t\r".indexOf(s.charAt(0)) >= 0) {
            s = "'" + s;
        }
        boolean quote = s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0;
        return quote ? '"' + s.replace("\"", "\"\"") + '"' : s;
    }
}
