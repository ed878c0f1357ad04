package dev.wasched.contact.imports;

import dev.wasched.ValidationException;
import java.util.Locale;

/**
 * One column of the file, by its header text or by its position.
 *
 * @param header the header text, matched ignoring case, surrounding spaces and punctuation; null when by position
 * @param index  the 0-based position ({@code A} = 0); -1 when by header
 */
public record Column(String header, int index) {
    public Column {
        boolean named = header != null && !header.isBlank();
        if (named == (index >= 0)) {
            throw new ValidationException("column", "name a column either by header text or by a 0-based index");
        }
        header = named ? header.strip() : null;
    }

    /** The column whose header reads {@code header}. */
    public static Column named(String header) {
        return new Column(header, -1);
    }

    /** The column at a 0-based position: 0 is column A. */
    public static Column at(int index) {
        return new Column(null, index);
    }

    public boolean byHeader() {
        return header != null;
    }

    /** How error messages name the column: {@code 'Mobile'} or {@code column C}. */
    public String describe() {
        return header != null ? "'" + header + "'" : "column " + letters(index);
    }

    /** The spreadsheet letters of a 0-based column index: 0 is A, 26 is AA. */
    public static String letters(int index) {
        StringBuilder sb = new StringBuilder();
        for (int i = index + 1; i > 0; i = (i - 1) / 26) {
            sb.append((char) ('A' + (i - 1) % 26));
        }
        return sb.reverse().toString().toUpperCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return describe();
    }
}
