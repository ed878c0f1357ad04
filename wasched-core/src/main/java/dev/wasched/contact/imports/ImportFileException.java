package dev.wasched.contact.imports;

import dev.wasched.ValidationException;
import java.util.OptionalLong;

/**
 * The file as a whole cannot be imported; the message names the problem (and the line, where there is one). Such
 * problems are found while the file is checked, before the first contact is written, so nothing was stored.
 */
public class ImportFileException extends ValidationException {
    /** What is wrong with the file. */
    public enum Problem {
        /** Not a CSV or XLSX file (binary data, PDF, legacy {@code .xls}, OpenDocument, a ZIP that is no workbook). */
        UNSUPPORTED_FORMAT,
        /** No bytes, only blank lines, or a header row without data rows. */
        EMPTY,
        /** A column the mapping needs is not in the header row (or no phone column could be found). */
        MISSING_COLUMN,
        /** The workbook has no sheet with the requested name. */
        MISSING_SHEET,
        /** The header row has more columns than an import accepts. */
        TOO_MANY_COLUMNS,
        /** The file breaks its format: an unclosed quote, a value longer than the limit, a damaged workbook. */
        MALFORMED,
        /** The file could not be read: missing, not a regular file, no permission, an I/O error. */
        UNREADABLE
    }

    private final Problem problem;
    private final long line;

    public ImportFileException(Problem problem, String message) {
        this(problem, -1, message, null);
    }

    public ImportFileException(Problem problem, long line, String message, Throwable cause) {
        super("file", (line > 0 ? "line " + line + ": " : "") + message);
        this.problem = problem;
        this.line = line;
        if (cause != null) {
            initCause(cause);
        }
    }

    public Problem problem() {
        return problem;
    }

    /** The 1-based line (CSV) or row (XLSX) where the problem is, when it is at one place. */
    public OptionalLong line() {
        return line > 0 ? OptionalLong.of(line) : OptionalLong.empty();
    }
}
