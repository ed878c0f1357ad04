package dev.wasched.contact.imports;

import java.util.Objects;

/**
 * A row that was not imported; the rest of the file was.
 *
 * @param line   1-based line of the file where the row starts (the row number in a spreadsheet), header included,
 *               so it matches what a text editor or Excel shows
 * @param reason the kind of problem
 * @param detail what exactly is wrong, in words
 * @param phone  the phone cell as it was in the file (at most 64 characters), or null when there was none
 */
public record RejectedRow(long line, Reason reason, String detail, String phone) {
    /** Why a row was rejected. */
    public enum Reason {
        /** The phone cell is not a valid number (for the default region, when it has no country code). */
        INVALID_NUMBER,
        /** The phone cell is empty. */
        MISSING_PHONE,
        /** The row is shorter than the phone column. */
        MISSING_COLUMN,
        /** An earlier row of the same file has the same number; the earlier one was imported. */
        DUPLICATE_IN_FILE,
        /** A name, tag or custom field breaks a contact rule (too long, invalid tag, too many fields). */
        INVALID_VALUE,
        /** The row has more columns than an import accepts. */
        TOO_MANY_COLUMNS,
        /** The row has bytes that are not valid in the file's character set (UTF-8 unless configured). */
        INVALID_ENCODING,
        /** The contact kept changing concurrently while the row was written. */
        CONFLICT
    }

    public RejectedRow {
        Objects.requireNonNull(reason, "reason");
        detail = detail == null ? "" : detail;
    }
}
