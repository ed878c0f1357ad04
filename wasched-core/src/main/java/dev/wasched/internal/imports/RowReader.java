package dev.wasched.internal.imports;

import dev.wasched.contact.imports.ImportFileException;
import java.io.Closeable;
import java.io.IOException;

/** Reads a file row by row, holding only the current row in memory. */
interface RowReader extends Closeable {
    /**
     * The next row (blank ones included), or null at the end.
     *
     * @throws ImportFileException with {@link ImportFileException.Problem#MALFORMED} when the file breaks its format
     */
    RawRow next() throws IOException;

    /** A row with this many columns or more is cut to this many cells (the count stays true). */
    int KEEP_CELLS = dev.wasched.contact.imports.ContactImporter.MAX_COLUMNS + 1;
}
