package dev.wasched.contact.imports;

/** The kind of file an import reads. */
public enum ImportFormat {
    /**
     * Decided from the file's first bytes: a ZIP archive holding an Excel workbook is XLSX, text is CSV. Anything else
     * (a PDF, an image, a legacy {@code .xls}, an OpenDocument spreadsheet) is refused with
     * {@link ImportFileException.Problem#UNSUPPORTED_FORMAT}.
     */
    AUTO,
    /** Comma-, semicolon-, tab- or pipe-separated text with RFC 4180 quoting. */
    CSV,
    /** An Office Open XML workbook ({@code .xlsx}), read as a stream; the first sheet unless another is named. */
    XLSX
}
