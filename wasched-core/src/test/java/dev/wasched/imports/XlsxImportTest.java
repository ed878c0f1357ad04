package dev.wasched.imports;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wasched.contact.Contact;
import dev.wasched.contact.imports.ColumnMapping;
import dev.wasched.contact.imports.ImportReport;
import dev.wasched.contact.imports.RejectedRow;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reading XLSX: cells as a user sees them, row numbers as lines, sheets by name. */
class XlsxImportTest extends ImportTestSupport {

    @Test
    void cellsBecomeTheTextAUserSees() throws Exception {
        Path xlsx = XlsxFiles.write(dir.resolve("customers.xlsx"), List.of(
                List.of("Phone", "Name", "Tags", "Birthday", "Score", "Member"),
                List.of(4915112345678L, "Ann", "vip bakery", LocalDate.of(1990, 5, 1), new BigDecimal("12.50"), true),
                Arrays.asList("+44 7911 123456", "Bob", null, null, 3, false)));
        ImportReport r = run(importer().from(xlsx));

        assertThat(r.imported()).isEqualTo(2);
        Contact ann = contact("+4915112345678");
        assertThat(ann.displayName()).isEqualTo("Ann");
        assertThat(ann.tags()).containsExactlyInAnyOrder("vip", "bakery");
        assertThat(ann.fields()).isEqualTo(Map.of("birthday", "1990-05-01", "score", "12.5", "member", "TRUE"));
        assertThat(contact("+447911123456").fields()).isEqualTo(Map.of("score", "3", "member", "FALSE"));
    }

    @Test
    void rejectedRowsCarryTheSpreadsheetRowNumber() throws Exception {
        Path xlsx = XlsxFiles.write(dir.resolve("gaps.xlsx"), Arrays.asList(
                List.of("Mobile", "Name"),
                List.of("+4915112345678", "Ann"),
                null, // an empty row: Excel does not store it
                List.of("12", "Bob"),
                Arrays.asList(null, "Carl"),
                List.of("+4915112345678", "Ann twice")));
        ImportReport r = run(importer().from(xlsx));

        assertThat(r.imported()).isEqualTo(1);
        assertThat(r.rejected()).extracting(RejectedRow::line, RejectedRow::reason).containsExactly(
                org.assertj.core.groups.Tuple.tuple(4L, RejectedRow.Reason.INVALID_NUMBER),
                org.assertj.core.groups.Tuple.tuple(5L, RejectedRow.Reason.MISSING_PHONE),
                org.assertj.core.groups.Tuple.tuple(6L, RejectedRow.Reason.DUPLICATE_IN_FILE));
    }

    @Test
    void aSheetCanBeChosenByName() throws Exception {
        Map<String, List<List<Object>>> sheets = new LinkedHashMap<>();
        sheets.put("Notes", List.of(List.of("nothing here")));
        sheets.put("Customers", List.of(List.of("Handy", "Vorname", "Nachname"), List.of("0151 12345678", "Jörg", "Maier")));
        Path xlsx = XlsxFiles.write(dir.resolve("book.xlsx"), sheets);
        ImportReport r = run(importer().from(xlsx).sheet("Customers"));

        assertThat(r.imported()).isEqualTo(1);
        assertThat(contact("+4915112345678").displayName()).isEqualTo("Jörg Maier");
    }

    @Test
    void aWorkbookFromAStreamWithPositions() throws Exception {
        Path xlsx = XlsxFiles.write(dir.resolve("plain.xlsx"), List.of(List.of("Ann", 4915112345678L), List.of("Bob", 4915112345679L)));
        try (InputStream in = Files.newInputStream(xlsx)) {
            ImportReport r = run(importer().from(in, "upload")
                    .mapping(ColumnMapping.builder().phone(1).name(dev.wasched.contact.imports.Column.at(0)).build()));
            assertThat(r.imported()).isEqualTo(2);
        }
        assertThat(contact("+4915112345679").displayName()).isEqualTo("Bob");
    }
}
