package dev.wasched.internal.imports;

import java.util.List;

/**
 * A {@link dev.wasched.contact.imports.ColumnMapping} applied to one file: positions instead of names.
 *
 * @param hasHeader  whether the first non-blank row is a header (and is not imported)
 * @param phone      position of the phone column
 * @param phoneLabel how messages name the phone column
 * @param name       positions joined into the display name
 * @param tags       position of the tags column, or -1
 * @param fields     custom fields and where they come from
 */
record ResolvedColumns(boolean hasHeader, int phone, String phoneLabel, List<Integer> name, int tags,
                       List<FieldColumn> fields) {
    /** Custom field {@code field} from the column at {@code index}, called {@code label} in messages. */
    record FieldColumn(String field, int index, String label) {
    }

    ResolvedColumns {
        name = List.copyOf(name);
        fields = List.copyOf(fields);
    }
}
