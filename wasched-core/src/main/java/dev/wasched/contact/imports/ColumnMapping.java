package dev.wasched.contact.imports;

import dev.wasched.ValidationException;
import dev.wasched.contact.ContactSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which columns of a file make up a contact.
 *
 * <ul>
 *   <li>{@code phone}: the number; null to find it by its header ({@code phone}, {@code mobile}, {@code cell},
 *   {@code whatsapp}, {@code tel}, {@code number}, {@code telefon}, {@code handy}, … or any header containing
 *   {@code phone} or {@code mobile})</li>
 *   <li>{@code name}: one or more columns joined with a space ({@code "First name", "Last name"}); empty to find a
 *   {@code name} column (or {@code first name} + {@code last name}) by its header</li>
 *   <li>{@code tags}: a column whose cells list tags separated by commas, semicolons, {@code |} or spaces; null to
 *   find a {@code tags} / {@code labels} / {@code groups} column by its header</li>
 *   <li>{@code fields}: custom field name → column</li>
 *   <li>{@code otherColumnsAsFields}: every column not mapped above becomes a custom field named after its header
 *   ({@code "Customer ID"} → {@code customer_id}; {@code col_c} without a header)</li>
 *   <li>{@code header}: whether the first non-blank row holds column names</li>
 * </ul>
 *
 * Empty cells never set a field. Headers are matched ignoring case, surrounding spaces and punctuation.
 */
public record ColumnMapping(Column phone, List<Column> name, Column tags, Map<String, Column> fields,
                           boolean otherColumnsAsFields, Header header) {
    /** Whether the file starts with a header row. */
    public enum Header {
        /**
         * A header row is expected when any column is named by header (or found by header); with positions only, the
         * first row is a header exactly when its phone cell is not a valid number.
         */
        AUTO,
        PRESENT,
        ABSENT
    }

    public ColumnMapping {
        name = List.copyOf(name == null ? List.of() : name);
        fields = Map.copyOf(fields == null ? Map.of() : fields);
        header = header == null ? Header.AUTO : header;
        fields.keySet().forEach(ColumnMapping::checkFieldName);
        if (header == Header.ABSENT) {
            if (phone == null) {
                throw new ValidationException("mapping.phone", "without a header row the phone column must be given by position");
            }
            List<Column> all = new ArrayList<>(name);
            all.add(phone);
            all.add(tags);
            all.addAll(fields.values());
            for (Column c : all) {
                if (c != null && c.byHeader()) {
                    throw new ValidationException("mapping", "column " + c.describe()
                            + " is named by header, but the mapping says the file has no header row");
                }
            }
        }
    }

    /**
     * Finds phone, name and tags by their headers and makes every other column a custom field: what most exported
     * spreadsheets need. The file must have a header row.
     */
    public static ColumnMapping auto() {
        return new ColumnMapping(null, List.of(), null, Map.of(), true, Header.PRESENT);
    }

    public static Builder builder() {
        return new Builder();
    }

    private static void checkFieldName(String field) {
        // ContactSpec owns the field-name rule; building a throwaway spec applies it with its own message.
        ContactSpec.builder().phone("+1").field(field, "").build();
    }

    public static final class Builder {
        private Column phone;
        private final List<Column> name = new ArrayList<>();
        private Column tags;
        private final Map<String, Column> fields = new LinkedHashMap<>();
        private boolean otherColumnsAsFields;
        private Header header = Header.AUTO;

        private Builder() {
        }

        /** The phone column by header text. */
        public Builder phone(String header) {
            return phone(Column.named(header));
        }

        /** The phone column by 0-based position. */
        public Builder phone(int index) {
            return phone(Column.at(index));
        }

        public Builder phone(Column column) {
            this.phone = column;
            return this;
        }

        /** Name columns by header text, joined with a space. */
        public Builder name(String... headers) {
            Arrays.stream(headers).map(Column::named).forEach(name::add);
            return this;
        }

        public Builder name(Column... columns) {
            name.addAll(Arrays.asList(columns));
            return this;
        }

        public Builder tags(String header) {
            return tags(Column.named(header));
        }

        public Builder tags(Column column) {
            this.tags = column;
            return this;
        }

        /** Custom field {@code field} (a letter, then letters, digits or {@code _}) from the column headed {@code header}. */
        public Builder field(String field, String header) {
            return field(field, Column.named(header));
        }

        public Builder field(String field, Column column) {
            fields.put(field, column);
            return this;
        }

        public Builder otherColumnsAsFields(boolean on) {
            this.otherColumnsAsFields = on;
            return this;
        }

        public Builder header(Header header) {
            this.header = header;
            return this;
        }

        public ColumnMapping build() {
            return new ColumnMapping(phone, name, tags, fields, otherColumnsAsFields, header);
        }
    }
}
