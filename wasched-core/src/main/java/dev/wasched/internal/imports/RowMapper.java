package dev.wasched.internal.imports;

import dev.wasched.ValidationException;
import dev.wasched.contact.ContactSpec;
import dev.wasched.contact.InvalidPhoneNumberException;
import dev.wasched.contact.PhoneNumber;
import dev.wasched.contact.imports.Column;
import dev.wasched.contact.imports.ContactImporter;
import dev.wasched.contact.imports.RejectedRow;
import dev.wasched.contact.imports.RejectedRow.Reason;
import java.nio.charset.Charset;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Gives one row its meaning: a validated contact, or the reason it cannot be one. */
final class RowMapper {
    private static final Pattern TAG_SEPARATORS = Pattern.compile("[,;|\\s]+");
    private static final int MAX_SHOWN_PHONE = 64;

    /** What a row became. */
    sealed interface Mapped permits Candidate, Rejected {
    }

    /** A row that became a contact description. */
    record Candidate(long line, PhoneNumber phone, ContactSpec spec) implements Mapped {
    }

    /** A row that cannot become a contact. */
    record Rejected(RejectedRow row) implements Mapped {
    }

    private final ResolvedColumns columns;
    private final String region;
    private final Set<String> extraTags;
    private final boolean widthMatters;
    private final String charsetName;

    /**
     * @param widthMatters true for CSV, where a short row lacks columns; in a spreadsheet a short row just has empty
     *                     trailing cells
     */
    RowMapper(ResolvedColumns columns, String region, Set<String> extraTags, boolean widthMatters, Charset charset) {
        this.columns = columns;
        this.region = region;
        this.extraTags = extraTags;
        this.widthMatters = widthMatters;
        this.charsetName = charset == null ? "UTF-8" : charset.name();
    }

    Mapped map(RawRow row) {
        long line = row.line();
        String rawPhone = row.cell(columns.phone());
        String shown = rawPhone.isEmpty() ? null : shorten(rawPhone);
        if (row.columnCount() > ContactImporter.MAX_COLUMNS) {
            return reject(line, Reason.TOO_MANY_COLUMNS, row.columnCount() + " columns; an import takes at most "
                    + ContactImporter.MAX_COLUMNS, shown);
        }
        for (int i = 0; i < row.cells().size(); i++) {
            if (row.cells().get(i).indexOf(CsvRowReader.INVALID) >= 0) {
                return reject(line, Reason.INVALID_ENCODING, "column " + Column.letters(i)
                        + " has bytes that are not valid " + charsetName
                        + " (set the importer's charset if the file uses another one)",
                        shown == null ? null : shown.replace(CsvRowReader.INVALID, '\uFFFD'));
            }
        }
        if (widthMatters && !row.hasCell(columns.phone())) {
            return reject(line, Reason.MISSING_COLUMN, "the row has " + row.columnCount()
                    + " column(s); the phone is in " + columns.phoneLabel(), null);
        }
        if (rawPhone.isEmpty()) {
            return reject(line, Reason.MISSING_PHONE, "no phone number in " + columns.phoneLabel(), null);
        }
        PhoneNumber phone;
        try {
            phone = Phones.parse(rawPhone, region);
        } catch (InvalidPhoneNumberException e) {
            return reject(line, Reason.INVALID_NUMBER, e.getMessage(), shown);
        }
        StringBuilder name = new StringBuilder();
        for (int i : columns.name()) {
            String part = row.cell(i);
            if (!part.isEmpty()) {
                name.append(name.length() > 0 ? " " : "").append(part);
            }
        }
        Set<String> tags = new LinkedHashSet<>(extraTags);
        if (columns.tags() >= 0) {
            for (String t : TAG_SEPARATORS.split(row.cell(columns.tags()))) {
                if (!t.isEmpty()) {
                    tags.add(t);
                }
            }
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (ResolvedColumns.FieldColumn f : columns.fields()) {
            String v = row.cell(f.index());
            if (!v.isEmpty()) {
                fields.put(f.field(), v);
            }
        }
        try {
            return new Candidate(line, phone, new ContactSpec(name.toString(), phone.e164(), tags, fields, null));
        } catch (ValidationException e) {
            return reject(line, Reason.INVALID_VALUE, e.getMessage(), shown);
        }
    }

    private static Rejected reject(long line, Reason reason, String detail, String phone) {
        return new Rejected(new RejectedRow(line, reason, detail, phone));
    }

    private static String shorten(String s) {
        return s.length() > MAX_SHOWN_PHONE ? s.substring(0, MAX_SHOWN_PHONE) + "…" : s;
    }
}
