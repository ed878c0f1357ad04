package dev.wasched.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wasched.ValidationException;
import dev.wasched.contact.Contact;
import dev.wasched.contact.ContactSpec;
import dev.wasched.contact.imports.Column;
import dev.wasched.contact.imports.ColumnMapping;
import dev.wasched.contact.imports.ImportFileException;
import dev.wasched.contact.imports.ImportFileException.Problem;
import dev.wasched.contact.imports.ImportFormat;
import dev.wasched.contact.imports.ImportJob;
import dev.wasched.contact.imports.ImportReport;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Files that cannot be imported fail with a typed {@link ImportFileException} naming the problem, before anything is
 * written: the contact that existed before is exactly as it was, and no other contact appears.
 */
class BadInputTest extends ImportTestSupport {
    private Contact existing;

    @BeforeEach
    void oneContactExists() {
        existing = wasched.contacts().create(ContactSpec.builder().name("Ann").phone("+4915112345678").tag("old").build());
    }

    private ImportFileException failsWith(Path path, Problem problem) {
        return failsWith(importer().from(path), problem);
    }

    private ImportFileException failsWith(dev.wasched.contact.imports.ContactImporter importer, Problem problem) {
        ImportReport r = run(importer);
        assertThat(r.state()).isEqualTo(ImportJob.State.FAILED);
        assertThat(r.error()).isInstanceOf(ImportFileException.class);
        ImportFileException e = (ImportFileException) r.error();
        assertThat(e.problem()).as(e.getMessage()).isEqualTo(problem);
        assertThat(e).isInstanceOf(ValidationException.class);
        assertThat(r.imported() + r.updated()).isZero();
        assertThat(store.contacts().count()).isEqualTo(1);
        assertThat(contact("+4915112345678")).isEqualTo(existing);
        assertThatThrownBy(r::throwIfFailed).isSameAs(e);
        return e;
    }

    @Test
    void aPdfAnImageAndBinaryDataAreNotCsvOrXlsx() throws Exception {
        assertThat(failsWith(file("x.csv", "%PDF-1.7\n%âãÏÓ\n"), Problem.UNSUPPORTED_FORMAT)).hasMessageContaining("PDF");
        assertThat(failsWith(file("x.png", new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0}),
                Problem.UNSUPPORTED_FORMAT)).hasMessageContaining("image");
        assertThat(failsWith(file("x.bin", new byte[] {1, 2, 0, 4, 5, 0, 'a'}), Problem.UNSUPPORTED_FORMAT))
                .hasMessageContaining("binary");
    }

    @Test
    void legacyExcelOpenDocumentAndHtmlAreRefusedWithAHint() throws Exception {
        byte[] ole2 = {(byte) 0xD0, (byte) 0xCF, 0x11, (byte) 0xE0, (byte) 0xA1, (byte) 0xB1, 0x1A, (byte) 0xE1, 0, 0};
        assertThat(failsWith(file("old.xls", ole2), Problem.UNSUPPORTED_FORMAT)).hasMessageContaining(".xls");
        assertThat(failsWith(zip("sheet.ods", "mimetype", "application/vnd.oasis.opendocument.spreadsheet"),
                Problem.UNSUPPORTED_FORMAT)).hasMessageContaining("OpenDocument");
        assertThat(failsWith(file("report.xls", "<html><table><tr><td>1</td></tr></table></html>"),
                Problem.UNSUPPORTED_FORMAT)).hasMessageContaining("HTML");
    }

    @Test
    void aZipThatIsNoWorkbookAndATextFileNamedXlsxAreRefused() throws Exception {
        failsWith(zip("photos.xlsx", "a.txt", "hello"), Problem.UNSUPPORTED_FORMAT);
        assertThat(failsWith(file("fake.xlsx", "phone\n+4915112345679\n"), Problem.UNSUPPORTED_FORMAT))
                .hasMessageContaining("fake.xlsx");
        failsWith(importer().from(file("data.csv", "phone\n+4915112345679\n")).format(ImportFormat.XLSX),
                Problem.UNSUPPORTED_FORMAT);
        failsWith(importer().from(XlsxFiles.write(dir.resolve("real.xlsx"), List.of(List.of("phone"))))
                .format(ImportFormat.CSV), Problem.UNSUPPORTED_FORMAT);
    }

    @Test
    void aDamagedWorkbookIsRefused() throws Exception {
        Path good = XlsxFiles.write(dir.resolve("good.xlsx"), List.of(List.of("phone"), List.of("+4915112345679")));
        byte[] bytes = Files.readAllBytes(good);
        byte[] cut = java.util.Arrays.copyOf(bytes, bytes.length / 2);
        ImportReport r = run(importer().from(file("cut.xlsx", cut)));
        assertThat(r.state()).isEqualTo(ImportJob.State.FAILED);
        assertThat(((ImportFileException) r.error()).problem()).isIn(Problem.UNSUPPORTED_FORMAT, Problem.MALFORMED);
        assertThat(store.contacts().count()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "\n\n  \n", "\uFEFF", ",,,\n , ,\n"})
    void emptyFilesAreRefused(String content) throws Exception {
        failsWith(file("empty.csv", content), Problem.EMPTY);
    }

    @Test
    void aHeaderWithoutDataIsEmptyToo() throws Exception {
        assertThat(failsWith(file("header.csv", "phone,name\n\n"), Problem.EMPTY)).hasMessageContaining("header");
        failsWith(XlsxFiles.write(dir.resolve("empty.xlsx"), List.of()), Problem.EMPTY);
    }

    @Test
    void noPhoneColumnIsAMissingColumn() throws Exception {
        ImportFileException e = failsWith(file("names.csv", "name,city\nBob,Bonn\n"), Problem.MISSING_COLUMN);
        assertThat(e).hasMessageContaining("no phone column").hasMessageContaining("[name, city]");
        assertThat(e.line()).hasValue(1);
    }

    @Test
    void aFileWithoutHeaderGetsAHintToMapByPosition() throws Exception {
        ImportFileException e = failsWith(file("bare.csv", "Bob,+4915112345679\n"), Problem.MISSING_COLUMN);
        assertThat(e).hasMessageContaining("no header row").hasMessageContaining("phone(1)");
    }

    @Test
    void aNamedColumnTheFileLacksIsMissing() throws Exception {
        ImportFileException e = failsWith(importer().from(file("x.csv", "phone,name\n+4915112345679,Bob\n"))
                .mapping(ColumnMapping.builder().phone("phone").field("city", "City").build()), Problem.MISSING_COLUMN);
        assertThat(e).hasMessageContaining("'City'");
    }

    @Test
    void aHeaderOfTenThousandColumnsIsTooWide() throws Exception {
        failsWith(file("wide.csv", "phone" + ",c".repeat(10_000) + "\n+4915112345679\n"), Problem.TOO_MANY_COLUMNS);
    }

    @Test
    void anUnclosedQuoteFailsTheFileBeforeAnyRowIsWritten() throws Exception {
        ImportFileException e = failsWith(file("broken.csv",
                "phone,name\n+4915112345679,Bob\n+4915112345670,Carl\n+4915112345671,\"Dora\n"), Problem.MALFORMED);
        assertThat(e).hasMessageContaining("quote");
        assertThat(e.line()).isPresent();
    }

    @Test
    void aValueOverTheLengthLimitFailsTheFile() throws Exception {
        ImportFileException e = failsWith(file("huge.csv", "phone,name\n+4915112345679,\"" + "x".repeat(200_000) + "\"\n"),
                Problem.MALFORMED);
        assertThat(e).hasMessageContaining("100000");
    }

    @Test
    void garbageInTheHeaderAsksForTheCharset() throws Exception {
        byte[] b = {'p', 'h', 'o', 'n', 'e', ',', 'n', (byte) 0xE4, 'm', 'e', '\n', '+', '4', '9', '1', '5', '1', '1',
                '2', '3', '4', '5', '6', '7', '9', ',', 'x', '\n'};
        assertThat(failsWith(file("latin.csv", b), Problem.MALFORMED)).hasMessageContaining("charset");
    }

    @Test
    void aMissingFileOrAFolderFailsAtStart() {
        assertThatThrownBy(() -> importer().from(dir.resolve("nope.csv")).start())
                .isInstanceOfSatisfying(ImportFileException.class, e -> assertThat(e.problem()).isEqualTo(Problem.UNREADABLE))
                .hasMessageContaining("nope.csv");
        assertThatThrownBy(() -> importer().from(dir).start())
                .isInstanceOfSatisfying(ImportFileException.class, e -> assertThat(e.problem()).isEqualTo(Problem.UNREADABLE));
        assertThatThrownBy(() -> importer().start()).isInstanceOf(ValidationException.class).hasMessageContaining("source");
    }

    @Test
    void badOptionsFailAtOnceNamingTheOption() {
        assertThatThrownBy(() -> importer().batchSize(0)).isInstanceOf(ValidationException.class).hasMessageContaining("batchSize");
        assertThatThrownBy(() -> importer().defaultRegion("XX")).isInstanceOf(ValidationException.class).hasMessageContaining("XX");
        assertThatThrownBy(() -> importer().tag("not a tag!")).isInstanceOf(ValidationException.class).hasMessageContaining("tag");
        assertThatThrownBy(() -> importer().separator('"')).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> ColumnMapping.builder().phone("Phone").header(ColumnMapping.Header.ABSENT).build())
                .isInstanceOf(ValidationException.class).hasMessageContaining("no header row");
        assertThatThrownBy(() -> ColumnMapping.builder().phone(0).field("1st", Column.at(1)).build())
                .isInstanceOf(ValidationException.class).hasMessageContaining("1st");
        assertThatThrownBy(() -> new Column("x", 2)).isInstanceOf(ValidationException.class);
    }

    @Test
    void aMissingSheetIsNamed() throws Exception {
        Path xlsx = XlsxFiles.write(dir.resolve("book.xlsx"), List.of(List.of("phone"), List.of("+4915112345679")));
        ImportFileException e = failsWith(importer().from(xlsx).sheet("Customers"), Problem.MISSING_SHEET);
        assertThat(e).hasMessageContaining("Customers").hasMessageContaining("Sheet1");
    }

    private Path zip(String name, String entry, String content) throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(b)) {
            z.setMethod(ZipOutputStream.STORED);
            byte[] data = content.getBytes(StandardCharsets.US_ASCII);
            ZipEntry e = new ZipEntry(entry);
            e.setSize(data.length);
            java.util.zip.CRC32 crc = new java.util.zip.CRC32();
            crc.update(data);
            e.setCrc(crc.getValue());
            z.putNextEntry(e);
            z.write(data);
            z.closeEntry();
        }
        return file(name, b.toByteArray());
    }
}
