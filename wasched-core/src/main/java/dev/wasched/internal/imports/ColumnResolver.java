package dev.wasched.internal.imports;

import static dev.wasched.contact.imports.ImportFileException.Problem.MALFORMED;
import static dev.wasched.contact.imports.ImportFileException.Problem.MISSING_COLUMN;
import static dev.wasched.contact.imports.ImportFileException.Problem.TOO_MANY_COLUMNS;

import dev.wasched.contact.InvalidPhoneNumberException;
import dev.wasched.contact.imports.Column;
import dev.wasched.contact.imports.ColumnMapping;
import dev.wasched.contact.imports.ContactImporter;
import dev.wasched.contact.imports.ImportFileException;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Turns a {@link ColumnMapping} and a file's first row into column positions, or says what is missing. */
final class ColumnResolver {
    private static final Set<String> PHONE = Set.of("phone", "phonenumber", "phoneno", "mobile", "mobilenumber",
            "mobilephone", "mobileno", "cell", "cellphone", "cellular", "whatsapp", "whatsappnumber", "number", "tel",
            "telephone", "telefon", "telefonnummer", "handy", "handynummer", "mobil", "mobilnummer", "celular",
            "telefono", "movil", "msisdn", "contactnumber");
    private static final List<String> PHONE_PARTS = List.of("phone", "mobile", "whatsapp", "telefon", "handy");
    private static final Set<String> NAME = Set.of("name", "fullname", "displayname", "contactname", "customername",
            "customer", "contact", "nombre");
    private static final Set<String> FIRST = Set.of("firstname", "givenname", "forename", "vorname", "first");
    private static final Set<String> LAST = Set.of("lastname", "surname", "familyname", "nachname", "last");
    private static final Set<String> TAGS = Set.of("tags", "tag", "labels", "label", "groups", "group",
            "categories", "category");
    private static final int MAX_LISTED = 20;

    private ColumnResolver() {
    }

    /**
     * @param first  the first non-blank row of the file
     * @param region the default region, to tell a header from a first data row
     */
    static ResolvedColumns resolve(ColumnMapping m, RawRow first, String region) {
        boolean header = switch (m.header()) {
            case PRESENT -> true;
            case ABSENT -> false;
            case AUTO -> usesHeader(m) || !isPhone(first.cell(m.phone().index()), region);
        };
        List<String> names = new ArrayList<>();
        List<String> norm = new ArrayList<>();
        if (header) {
            if (first.columnCount() > ContactImporter.MAX_COLUMNS) {
                throw new ImportFileException(TOO_MANY_COLUMNS, first.line(), "the header row has "
                        + first.columnCount() + " columns; an import takes at most " + ContactImporter.MAX_COLUMNS, null);
            }
            for (String c : first.cells()) {
                if (c.indexOf(CsvRowReader.INVALID) >= 0) {
                    throw new ImportFileException(MALFORMED, first.line(), "the header row has bytes that are not "
                            + "valid in the file's character set: set the importer's charset (such as windows-1252)", null);
                }
                names.add(c.strip());
                norm.add(normalize(c));
            }
        }
        int width = header ? names.size() : Math.min(first.columnCount(), ContactImporter.MAX_COLUMNS);
        Set<Integer> used = new HashSet<>();

        int phone;
        String phoneLabel;
        if (m.phone() != null) {
            phone = find(m.phone(), names, norm, first.line());
            phoneLabel = label(m.phone(), phone, names);
        } else {
            phone = findAlias(norm, PHONE, PHONE_PARTS);
            if (phone < 0) {
                throw new ImportFileException(MISSING_COLUMN, first.line(), "no phone column: none of the headers "
                        + listed(names) + " looks like one" + looksLikeData(first, region)
                        + "; name it with ColumnMapping.builder().phone(\"…\")", null);
            }
            phoneLabel = label(Column.named(names.get(phone)), phone, names);
        }
        used.add(phone);

        List<Integer> name = new ArrayList<>();
        if (!m.name().isEmpty()) {
            for (Column c : m.name()) {
                name.add(find(c, names, norm, first.line()));
            }
        } else if (header) {
            int full = findAlias(norm, NAME, List.of());
            if (full >= 0) {
                name.add(full);
            } else {
                int f = findAlias(norm, FIRST, List.of());
                int l = findAlias(norm, LAST, List.of());
                if (f >= 0) {
                    name.add(f);
                }
                if (l >= 0) {
                    name.add(l);
                }
            }
        }
        used.addAll(name);

        int tags = -1;
        if (m.tags() != null) {
            tags = find(m.tags(), names, norm, first.line());
        } else if (header) {
            tags = findAlias(norm, TAGS, List.of());
        }
        used.add(tags);

        List<ResolvedColumns.FieldColumn> fields = new ArrayList<>();
        Set<String> fieldNames = new HashSet<>(m.fields().keySet());
        m.fields().forEach((field, c) -> {
            int i = find(c, names, norm, first.line());
            used.add(i);
            fields.add(new ResolvedColumns.FieldColumn(field, i, label(c, i, names)));
        });
        if (m.otherColumnsAsFields()) {
            for (int i = 0; i < width; i++) {
                if (used.contains(i)) {
                    continue;
                }
                String base = header ? fieldName(names.get(i)) : null;
                if (base == null) {
                    base = "col_" + Column.letters(i).toLowerCase(Locale.ROOT);
                }
                String field = base;
                for (int n = 2; !fieldNames.add(field); n++) {
                    field = base.substring(0, Math.min(base.length(), 60)) + "_" + n;
                }
                fields.add(new ResolvedColumns.FieldColumn(field, i,
                        header ? label(Column.named(names.get(i).isEmpty() ? "?" : names.get(i)), i, names)
                                : "column " + Column.letters(i)));
            }
        }
        return new ResolvedColumns(header, phone, phoneLabel, name, tags, fields);
    }

    private static boolean usesHeader(ColumnMapping m) {
        if (m.phone() == null || m.phone().byHeader() || (m.tags() != null && m.tags().byHeader())) {
            return true;
        }
        return m.name().stream().anyMatch(Column::byHeader) || m.fields().values().stream().anyMatch(Column::byHeader);
    }

    private static boolean isPhone(String cell, String region) {
        try {
            Phones.parse(cell, region);
            return true;
        } catch (InvalidPhoneNumberException e) {
            return false;
        }
    }

    /** Position of a column the caller named; a header the file lacks is a file error. */
    private static int find(Column c, List<String> names, List<String> norm, long line) {
        if (!c.byHeader()) {
            if (c.index() >= ContactImporter.MAX_COLUMNS) {
                throw new ImportFileException(TOO_MANY_COLUMNS, -1, c.describe() + " is beyond the "
                        + ContactImporter.MAX_COLUMNS + " columns an import reads", null);
            }
            return c.index();
        }
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).equalsIgnoreCase(c.header())) {
                return i;
            }
        }
        String wanted = normalize(c.header());
        int i = wanted.isEmpty() ? -1 : norm.indexOf(wanted);
        if (i < 0) {
            throw new ImportFileException(MISSING_COLUMN, line, "no column " + c.describe()
                    + " in the header row " + listed(names), null);
        }
        return i;
    }

    /** The first header that is one of {@code exact}; failing that, the first containing one of {@code parts}. */
    private static int findAlias(List<String> norm, Set<String> exact, List<String> parts) {
        for (int i = 0; i < norm.size(); i++) {
            if (exact.contains(norm.get(i))) {
                return i;
            }
        }
        for (int i = 0; i < norm.size(); i++) {
            for (String p : parts) {
                if (norm.get(i).contains(p)) {
                    return i;
                }
            }
        }
        return -1;
    }

    private static String looksLikeData(RawRow first, String region) {
        for (String c : first.cells()) {
            if (!c.isBlank() && isPhone(c, region)) {
                return " (the first row holds a phone number, so the file seems to have no header row: map the columns "
                        + "by position, such as ColumnMapping.builder().phone(" + first.cells().indexOf(c) + "))";
            }
        }
        return "";
    }

    private static String label(Column c, int index, List<String> names) {
        if (c.byHeader()) {
            return c.describe();
        }
        return index < names.size() && !names.get(index).isEmpty()
                ? "column " + Column.letters(index) + " '" + names.get(index) + "'" : "column " + Column.letters(index);
    }

    private static String listed(List<String> names) {
        List<String> shown = names.size() > MAX_LISTED ? names.subList(0, MAX_LISTED) : names;
        return shown + (names.size() > MAX_LISTED ? " and " + (names.size() - MAX_LISTED) + " more" : "");
    }

    /** Header text reduced to lower-case letters and digits, accents removed: "Téléphone #" → "telephone". */
    static String normalize(String header) {
        String d = Normalizer.normalize(header, Normalizer.Form.NFD).replaceAll("\\p{M}", "");
        return d.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    }

    /** A custom field name from a header: "Customer ID" → customer_id; null when nothing usable is left. */
    static String fieldName(String header) {
        String d = Normalizer.normalize(header, Normalizer.Form.NFD).replaceAll("\\p{M}", "").toLowerCase(Locale.ROOT);
        String f = d.replaceAll("[^a-z0-9]+", "_").replaceAll("^_+|_+$", "");
        if (f.isEmpty()) {
            return null;
        }
        if (!Character.isLetter(f.charAt(0))) {
            f = "f_" + f;
        }
        return f.length() > 64 ? f.substring(0, 64) : f;
    }
}
