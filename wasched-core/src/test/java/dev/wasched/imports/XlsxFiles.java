package dev.wasched.imports;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes small but real XLSX workbooks for tests, the way Excel stores them: text in a shared-strings table,
 * numbers as numbers, dates as serial numbers with a date format. Cells: String, Number, LocalDate, Boolean, null.
 */
final class XlsxFiles {
    private XlsxFiles() {
    }

    static Path write(Path file, List<List<Object>> rows) throws IOException {
        Map<String, List<List<Object>>> sheets = new LinkedHashMap<>();
        sheets.put("Sheet1", rows);
        return write(file, sheets);
    }

    static Path write(Path file, Map<String, List<List<Object>>> sheets) throws IOException {
        List<String> strings = new ArrayList<>();
        Map<String, Integer> index = new LinkedHashMap<>();
        List<IntFunction<List<Object>>> bodies = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        for (List<List<Object>> rows : sheets.values()) {
            for (List<Object> row : rows) {
                for (Object v : row == null ? List.of() : row) {
                    if (v instanceof String s && !index.containsKey(s)) {
                        index.put(s, strings.size());
                        strings.add(s);
                    }
                }
            }
            bodies.add(rows::get);
            sizes.add(rows.size());
        }
        return write(file, new ArrayList<>(sheets.keySet()), sizes, bodies, strings.size(), strings::get, index::get);
    }

    /**
     * A large workbook written row by row: {@code row(i)} gives row i; String cells must be shared strings known up
     * front as {@code string(k)} for k below {@code stringCount}, and are referenced as {@code Shared(k)}.
     */
    static Path writeLarge(Path file, int rowCount, IntFunction<List<Object>> row, int stringCount,
                           IntFunction<String> string) throws IOException {
        return write(file, List.of("Sheet1"), List.of(rowCount), List.of(row), stringCount, string, s -> {
            throw new IllegalArgumentException("use Shared(k) for strings in a large workbook");
        });
    }

    /** A reference to shared string number {@code index}. */
    record Shared(int index) {
    }

    private static Path write(Path file, List<String> names, List<Integer> sizes, List<IntFunction<List<Object>>> bodies,
                              int stringCount, IntFunction<String> strings,
                              java.util.function.Function<String, Integer> indexOf) throws IOException {
        try (OutputStream os = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(os)) {
            Writer w = new OutputStreamWriter(zip, StandardCharsets.UTF_8);
            entry(zip, w, "[Content_Types].xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                    + "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
                    + "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
                    + "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
                    + "<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>"
                    + sheetOverrides(names.size())
                    + "<Override PartName=\"/xl/sharedStrings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml\"/>"
                    + "<Override PartName=\"/xl/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/>"
                    + "</Types>");
            entry(zip, w, "_rels/.rels", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                    + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                    + "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/>"
                    + "</Relationships>");
            StringBuilder wb = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                    + "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
                    + "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets>");
            StringBuilder rels = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                    + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">");
            for (int i = 0; i < names.size(); i++) {
                wb.append("<sheet name=\"").append(xml(names.get(i))).append("\" sheetId=\"").append(i + 1)
                        .append("\" r:id=\"rId").append(i + 1).append("\"/>");
                rels.append("<Relationship Id=\"rId").append(i + 1).append("\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet")
                        .append(i + 1).append(".xml\"/>");
            }
            wb.append("</sheets></workbook>");
            rels.append("<Relationship Id=\"rIdS\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings\" Target=\"sharedStrings.xml\"/>")
                    .append("<Relationship Id=\"rIdT\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>")
                    .append("</Relationships>");
            entry(zip, w, "xl/workbook.xml", wb.toString());
            entry(zip, w, "xl/_rels/workbook.xml.rels", rels.toString());
            entry(zip, w, "xl/styles.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                    + "<styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
                    + "<cellXfs count=\"2\"><xf numFmtId=\"0\"/><xf numFmtId=\"14\" applyNumberFormat=\"1\"/></cellXfs>"
                    + "</styleSheet>");
            zip.putNextEntry(new ZipEntry("xl/sharedStrings.xml"));
            w.write("<?xml version=\"1.0\" encoding=\"UTF-8\"?><sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" count=\""
                    + stringCount + "\" uniqueCount=\"" + stringCount + "\">");
            for (int k = 0; k < stringCount; k++) {
                w.write("<si><t xml:space=\"preserve\">" + xml(strings.apply(k)) + "</t></si>");
            }
            w.write("</sst>");
            w.flush();
            zip.closeEntry();
            for (int i = 0; i < names.size(); i++) {
                zip.putNextEntry(new ZipEntry("xl/worksheets/sheet" + (i + 1) + ".xml"));
                w.write("<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>");
                for (int r = 0; r < sizes.get(i); r++) {
                    List<Object> row = bodies.get(i).apply(r);
                    if (row == null) {
                        continue; // a row Excel does not store: it is empty
                    }
                    w.write("<row r=\"" + (r + 1) + "\">");
                    for (int c = 0; c < row.size(); c++) {
                        Object v = row.get(c);
                        if (v == null) {
                            continue;
                        }
                        String ref = letters(c) + (r + 1);
                        if (v instanceof Shared s) {
                            w.write("<c r=\"" + ref + "\" t=\"s\"><v>" + s.index() + "</v></c>");
                        } else if (v instanceof String s) {
                            w.write("<c r=\"" + ref + "\" t=\"s\"><v>" + indexOf.apply(s) + "</v></c>");
                        } else if (v instanceof Number n) {
                            w.write("<c r=\"" + ref + "\"><v>" + n + "</v></c>");
                        } else if (v instanceof LocalDate d) {
                            long serial = ChronoUnit.DAYS.between(LocalDate.of(1899, 12, 30), d);
                            w.write("<c r=\"" + ref + "\" s=\"1\"><v>" + serial + "</v></c>");
                        } else if (v instanceof Boolean b) {
                            w.write("<c r=\"" + ref + "\" t=\"b\"><v>" + (b ? 1 : 0) + "</v></c>");
                        } else {
                            throw new IllegalArgumentException("cell type " + v.getClass());
                        }
                    }
                    w.write("</row>");
                }
                w.write("</sheetData></worksheet>");
                w.flush();
                zip.closeEntry();
            }
        }
        return file;
    }

    private static String sheetOverrides(int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= n; i++) {
            sb.append("<Override PartName=\"/xl/worksheets/sheet").append(i)
                    .append(".xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>");
        }
        return sb.toString();
    }

    private static void entry(ZipOutputStream zip, Writer w, String name, String content) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        w.write(content);
        w.flush();
        zip.closeEntry();
    }

    static String letters(int index) {
        StringBuilder sb = new StringBuilder();
        for (int i = index + 1; i > 0; i = (i - 1) / 26) {
            sb.append((char) ('A' + (i - 1) % 26));
        }
        return sb.reverse().toString();
    }

    private static String xml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
