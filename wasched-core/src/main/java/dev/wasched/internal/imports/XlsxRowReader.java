package dev.wasched.internal.imports;

import static dev.wasched.contact.imports.ImportFileException.Problem.MALFORMED;
import static dev.wasched.contact.imports.ImportFileException.Problem.UNSUPPORTED_FORMAT;

import dev.wasched.contact.imports.ImportFileException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.dhatim.fastexcel.reader.Cell;
import org.dhatim.fastexcel.reader.CellType;
import org.dhatim.fastexcel.reader.ReadableWorkbook;
import org.dhatim.fastexcel.reader.ReadingOptions;
import org.dhatim.fastexcel.reader.Row;
import org.dhatim.fastexcel.reader.Sheet;

/**
 * XLSX rows through fastexcel's streaming reader (the sheet's XML is read as a stream; only shared strings are kept,
 * as Excel stores them once per workbook). Cells become the text a user sees: whole numbers without {@code .0} or
 * exponent (a phone number stored as a number stays all digits), dates in ISO form, formulas by their cached value.
 */
final class XlsxRowReader implements RowReader {
    private final ReadableWorkbook workbook;
    private final Stream<Row> rows;
    private final Iterator<Row> it;

    XlsxRowReader(Path file, String sheetName) throws IOException {
        try {
            // Cell formats are needed to tell a date from a number; a cell that does not parse is kept as an error.
            workbook = new ReadableWorkbook(file.toFile(), new ReadingOptions(true, true));
        } catch (IOException e) {
            // The file was readable a moment ago (its first bytes were sniffed): the archive itself is damaged.
            throw new ImportFileException(MALFORMED, -1, "the workbook is damaged: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new ImportFileException(UNSUPPORTED_FORMAT, -1,
                    "the file is a ZIP archive but not a readable Excel workbook: " + e.getMessage(), e);
        }
        try {
            Sheet sheet = sheetName == null ? workbook.getFirstSheet() : workbook.findSheet(sheetName).orElseThrow(
                    () -> new ImportFileException(ImportFileException.Problem.MISSING_SHEET, -1,
                            "the workbook has no sheet named '" + sheetName + "' (sheets: "
                                    + workbook.getSheets().map(Sheet::getName).toList() + ")", null));
            rows = sheet.openStream();
            it = rows.iterator();
        } catch (IOException | RuntimeException e) {
            workbook.close();
            if (e instanceof ImportFileException ife) {
                throw ife;
            }
            throw new ImportFileException(MALFORMED, -1, "the workbook is damaged: " + e.getMessage(), e);
        }
    }

    @Override
    public RawRow next() {
        Row row;
        try {
            if (!it.hasNext()) {
                return null;
            }
            row = it.next();
        } catch (UncheckedIOException | org.dhatim.fastexcel.reader.ExcelReaderException e) {
            throw new ImportFileException(MALFORMED, -1, "the workbook is damaged: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            // The XML parser reports damage with its own unchecked types.
            throw new ImportFileException(MALFORMED, -1, "the workbook is damaged: " + e, e);
        }
        int count = row.getCellCount();
        List<String> cells = new ArrayList<>(Math.min(count, KEEP_CELLS));
        for (int i = 0; i < count && i < KEEP_CELLS; i++) {
            cells.add(text(row.getCell(i)));
        }
        // A row whose trailing cells are all empty is as wide as its last cell with content.
        int width = count;
        while (width > 0 && width <= cells.size() && cells.get(width - 1).isEmpty()) {
            width--;
        }
        return new RawRow(row.getRowNum(), List.copyOf(cells.subList(0, Math.min(width, cells.size()))), width);
    }

    static String text(Cell c) {
        if (c == null) {
            return "";
        }
        CellType type = c.getType();
        if (type == CellType.NUMBER && c.getValue() instanceof BigDecimal n) {
            if (isDateFormat(c)) {
                try {
                    LocalDateTime t = c.asDate();
                    return t.toLocalTime().equals(LocalTime.MIDNIGHT) ? t.toLocalDate().toString() : t.toString();
                } catch (RuntimeException e) {
                    // not a valid date after all: fall through to the number
                }
            }
            return plain(n);
        }
        if (type == CellType.BOOLEAN) {
            return Boolean.TRUE.equals(c.getValue()) ? "TRUE" : "FALSE";
        }
        if (type == CellType.EMPTY) {
            return "";
        }
        String s = c.getText();
        return s == null ? "" : s;
    }

    private static String plain(BigDecimal n) {
        BigDecimal s = n.stripTrailingZeros();
        return (s.scale() < 0 ? s.setScale(0) : s).toPlainString();
    }

    /** Excel's built-in date formats (14–22, 45–47) and custom formats with day or year parts. */
    private static boolean isDateFormat(Cell c) {
        Integer id = c.getDataFormatId();
        if (id != null && (id >= 14 && id <= 22 || id >= 45 && id <= 47)) {
            return true;
        }
        String f = c.getDataFormatString();
        if (f == null || f.isEmpty()) {
            return false;
        }
        // Quoted literals and [colour]/[locale] sections are not date parts.
        String bare = f.replaceAll("\"[^\"]*\"", "").replaceAll("\\[[^]]*]", "").toLowerCase(Locale.ROOT);
        return bare.contains("y") || bare.contains("d");
    }

    @Override
    public void close() throws IOException {
        try {
            rows.close();
        } finally {
            workbook.close();
        }
    }
}
