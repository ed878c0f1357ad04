package dev.wasched.internal.imports;

import java.util.List;

/**
 * One row as read from the file, before any meaning is given to it.
 *
 * @param line        1-based line (CSV) or row number (XLSX) where the row starts
 * @param cells       the first {@link dev.wasched.contact.imports.ContactImporter#MAX_COLUMNS} cells, unstripped
 * @param columnCount how many cells the row really has (more than {@code cells} holds for an over-wide row)
 */
record RawRow(long line, List<String> cells, int columnCount) {
    /** The cell at {@code index}, stripped; empty when the row is shorter. */
    String cell(int index) {
        return index >= 0 && index < cells.size() ? cells.get(index).strip() : "";
    }

    boolean hasCell(int index) {
        return index >= 0 && index < cells.size();
    }

    boolean blank() {
        for (String c : cells) {
            if (!c.isBlank()) {
                return false;
            }
        }
        return true;
    }
}
