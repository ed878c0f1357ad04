package dev.wasched.imports;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wasched.contact.Contact;
import dev.wasched.contact.ContactSpec;
import dev.wasched.contact.imports.Column;
import dev.wasched.contact.imports.ColumnMapping;
import dev.wasched.contact.imports.ImportJob;
import dev.wasched.contact.imports.ImportProgress;
import dev.wasched.contact.imports.ImportReport;
import dev.wasched.contact.imports.MergeMode;
import dev.wasched.contact.imports.RejectedRow;
import dev.wasched.contact.imports.RejectedRow.Reason;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.StringWriter;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Reading CSV: mappings, headers, separators, encodings, merging, and rows that are rejected one by one. */
class CsvImportTest extends ImportTestSupport {

    @Test
    void explicitMappingGivesNamesTagsFieldsAndTheImportTag() throws Exception {
        var path = file("customers.csv", """
                Name,Mobile,Groups,City,Notes
                Ann Smith,0151 12345678,"vip, bakery",Berlin,likes rye
                Bob,+44 7911 123456,,London,
                """);
        ImportReport r = run(importer().from(path)
                .mapping(ColumnMapping.builder().phone("mobile").name("Name").tags("Groups").field("city", "City").build())
                .tag("Spring-Fair"));

        assertThat(r.state()).isEqualTo(ImportJob.State.COMPLETED);
        assertThat(r.imported()).isEqualTo(2);
        assertThat(r.rejectedCount()).isZero();
        Contact ann = contact("+4915112345678");
        assertThat(ann.displayName()).isEqualTo("Ann Smith");
        assertThat(ann.tags()).containsExactlyInAnyOrder("vip", "bakery", "spring-fair");
        assertThat(ann.fields()).isEqualTo(Map.of("city", "Berlin"));
        assertThat(contact("+447911123456").tags()).containsExactly("spring-fair");
    }

    @Test
    void autoMappingFindsColumnsByCommonHeadersAndKeepsTheRestAsFields() throws Exception {
        var path = file("export.csv", """
                First name;Last name;Téléphone;Tags;Customer ID;
                Ann;Smith;0151 12345678;vip;C-1;
                """);
        ImportReport r = run(importer().from(path));

        assertThat(r.imported()).isEqualTo(1);
        Contact ann = contact("+4915112345678");
        assertThat(ann.displayName()).isEqualTo("Ann Smith");
        assertThat(ann.tags()).containsExactly("vip");
        assertThat(ann.fields()).isEqualTo(Map.of("customer_id", "C-1"));
    }

    @Test
    void positionsWithoutAHeaderRowImportTheFirstRowToo() throws Exception {
        var path = file("plain.csv", "+4915112345678\tAnn\n+4915112345679\tBob\n");
        ImportReport r = run(importer().from(path)
                .mapping(ColumnMapping.builder().phone(0).name(Column.at(1)).build()));

        assertThat(r.imported()).isEqualTo(2);
        assertThat(contact("+4915112345678").displayName()).isEqualTo("Ann");
    }

    @Test
    void positionsWithAHeaderRowSkipIt() throws Exception {
        var path = file("headed.csv", "number|who\n+4915112345678|Ann\n");
        ImportReport r = run(importer().from(path).mapping(ColumnMapping.builder().phone(0).name(Column.at(1)).build()));

        assertThat(r.rowsRead()).isEqualTo(1);
        assertThat(r.imported()).isEqualTo(1);
    }

    @Test
    void badRowsAreRejectedWithTheirLineAndReasonWhileTheRestIsImported() throws Exception {
        var path = file("mixed.csv", """
                phone,name,tags
                +4915112345678,"Ann
                on two lines",ok
                not a number,Bob,
                ,Carl,
                +4915112345678,Ann again,
                +4915112345670,Dora,bad!tag
                +4915112345671,%s,

                +4915112345672
                +4915112345673,Eve,
                """.formatted("x".repeat(300)));
        ImportReport r = run(importer().from(path).mapping(ColumnMapping.builder().phone("phone").name("name")
                .tags("tags").build()));

        assertThat(r.rejected()).extracting(RejectedRow::line, RejectedRow::reason).containsExactly(
                org.assertj.core.groups.Tuple.tuple(4L, Reason.INVALID_NUMBER),
                org.assertj.core.groups.Tuple.tuple(5L, Reason.MISSING_PHONE),
                org.assertj.core.groups.Tuple.tuple(6L, Reason.DUPLICATE_IN_FILE),
                org.assertj.core.groups.Tuple.tuple(7L, Reason.INVALID_VALUE),
                org.assertj.core.groups.Tuple.tuple(8L, Reason.INVALID_VALUE));
        assertThat(r.rejected().get(0).detail()).contains("not a number");
        assertThat(r.rejected().get(0).phone()).isEqualTo("not a number");
        assertThat(r.rejected().get(2).detail()).contains("same number as line 2");
        assertThat(r.rejected().get(3).detail()).contains("bad!tag");
        assertThat(r.rejected().get(4).detail()).contains("displayName");
        // line 10 has only the phone column: name and tags are simply empty
        assertThat(r.imported()).isEqualTo(3);
        assertThat(contact("+4915112345678").displayName()).isEqualTo("Ann\non two lines");
        assertThat(r.rowsRead()).isEqualTo(r.imported() + r.updated() + r.unchanged() + r.skipped() + r.rejectedCount())
                .isEqualTo(8);
    }

    @Test
    void aShortRowLacksThePhoneColumn() throws Exception {
        var path = file("short.csv", "name,phone\nAnn,+4915112345678\nBob\n");
        ImportReport r = run(importer().from(path));

        assertThat(r.rejected()).singleElement().satisfies(x -> {
            assertThat(x.line()).isEqualTo(3);
            assertThat(x.reason()).isEqualTo(Reason.MISSING_COLUMN);
            assertThat(x.detail()).contains("'phone'");
        });
    }

    @Test
    void aRowWithTenThousandColumnsIsRejectedAlone() throws Exception {
        String wide = "+4915112345679," + ",x".repeat(10_000);
        var path = file("wide.csv", "phone,name\n+4915112345678,Ann\n" + wide + "\n+4915112345670,Carl\n");
        ImportReport r = run(importer().from(path));

        assertThat(r.imported()).isEqualTo(2);
        assertThat(r.rejected()).singleElement().satisfies(x -> {
            assertThat(x.line()).isEqualTo(3);
            assertThat(x.reason()).isEqualTo(Reason.TOO_MANY_COLUMNS);
            assertThat(x.detail()).contains("10002 columns");
        });
    }

    @Test
    void invalidUtf8RejectsOnlyThatRow() throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes("phone,name\n+4915112345678,Ann\n+4915112345679,M".getBytes(StandardCharsets.UTF_8));
        b.writeBytes(new byte[] {(byte) 0xFC, 'l', 'l', 'e', 'r'}); // "Müller" in windows-1252: not UTF-8
        b.writeBytes("\n+4915112345670,Jürgen\n".getBytes(StandardCharsets.UTF_8));
        ImportReport r = run(importer().from(file("latin.csv", b.toByteArray())));

        assertThat(r.imported()).isEqualTo(2);
        assertThat(contact("+4915112345670").displayName()).isEqualTo("Jürgen");
        assertThat(r.rejected()).singleElement().satisfies(x -> {
            assertThat(x.line()).isEqualTo(3);
            assertThat(x.reason()).isEqualTo(Reason.INVALID_ENCODING);
            assertThat(x.detail()).contains("UTF-8").contains("charset");
        });
    }

    @Test
    void anotherCharsetCanBeNamed() throws Exception {
        byte[] latin = "phone;name\n+4915112345678;Müller\n".getBytes(Charset.forName("windows-1252"));
        ImportReport r = run(importer().from(file("latin.csv", latin)).charset(Charset.forName("windows-1252")));

        assertThat(r.imported()).isEqualTo(1);
        assertThat(contact("+4915112345678").displayName()).isEqualTo("Müller");
    }

    @Test
    void byteOrderMarksDecideTheEncoding() throws Exception {
        byte[] utf8 = ("\uFEFFPhone,Name\n+4915112345678,Zoë\n").getBytes(StandardCharsets.UTF_8);
        assertThat(run(importer().from(file("bom.csv", utf8))).imported()).isEqualTo(1);
        assertThat(contact("+4915112345678").displayName()).isEqualTo("Zoë");

        // Excel's "Unicode text": UTF-16LE with a byte-order mark, tab-separated
        byte[] utf16 = ("\uFEFFPhone\tName\r\n+4915112345679\tŁukasz\r\n").getBytes(StandardCharsets.UTF_16LE);
        assertThat(run(importer().from(file("unicode.txt", utf16))).imported()).isEqualTo(1);
        assertThat(contact("+4915112345679").displayName()).isEqualTo("Łukasz");
    }

    @Test
    void numbersThatLostTheirPlusAreReadAsInternational() throws Exception {
        var path = file("excel-export.csv", "phone\n4915112345678\n447911123456\n015112345670\n");
        ImportReport r = run(importer().from(path));

        assertThat(r.imported()).isEqualTo(3);
        assertThat(store.contacts().findByPhone("+447911123456")).isPresent();
        assertThat(store.contacts().findByPhone("+4915112345670")).isPresent();
    }

    @Test
    void theImportersDefaultRegionOverridesWaschedsOne() throws Exception {
        var path = file("us.csv", "phone\n(201) 555-0123\n");
        ImportReport r = run(importer().from(path).defaultRegion("US"));

        assertThat(r.imported()).isEqualTo(1);
        assertThat(store.contacts().findByPhone("+12015550123")).isPresent();
    }

    @Test
    void updateMergesIntoExistingContactsAndIsIdempotent() throws Exception {
        Contact old = wasched.contacts().create(ContactSpec.builder().name("Ann").phone("+4915112345678")
                .tag("old").field("city", "Bonn").field("level", "gold").build());
        wasched.contacts().optOut(old.id());
        var path = file("update.csv", "phone,name,city,tags\n+4915112345678,Ann Smith,Berlin,new\n+4915112345679,,,\n");
        ColumnMapping m = ColumnMapping.builder().phone("phone").name("name").field("city", "city").tags("tags").build();

        ImportReport first = run(importer().from(path).mapping(m).merge(MergeMode.UPDATE).tag("fair"));
        assertThat(first.updated()).isEqualTo(1);
        assertThat(first.imported()).isEqualTo(1);
        Contact ann = contact("+4915112345678");
        assertThat(ann.id()).isEqualTo(old.id());
        assertThat(ann.displayName()).isEqualTo("Ann Smith");
        assertThat(ann.tags()).containsExactlyInAnyOrder("old", "new", "fair");
        assertThat(ann.fields()).isEqualTo(Map.of("city", "Berlin", "level", "gold"));
        assertThat(ann.optedOut()).as("an import never opts a contact back in").isTrue();

        ImportReport again = run(importer().from(path).mapping(m).merge(MergeMode.UPDATE).tag("fair"));
        assertThat(again.unchanged()).isEqualTo(2);
        assertThat(contact("+4915112345678").version()).isEqualTo(ann.version());
    }

    @Test
    void skipLeavesExistingContactsAlone() throws Exception {
        Contact old = wasched.contacts().create(ContactSpec.builder().name("Ann").phone("+4915112345678").build());
        var path = file("skip.csv", "phone,name\n+4915112345678,Someone else\n+4915112345679,Bob\n");
        ImportReport r = run(importer().from(path).merge(MergeMode.SKIP).tag("fair"));

        assertThat(r.skipped()).isEqualTo(1);
        assertThat(r.imported()).isEqualTo(1);
        assertThat(contact("+4915112345678")).isEqualTo(old);
    }

    @Test
    void theReportIsWrittenAsCsvWithFormulasDefused() throws Exception {
        var path = file("bad.csv", "phone,name\n\"=HYPERLINK(\"\"x\"\")\",Eve\n\"12, 34\",Bob\n"
                + "\"+1+HYPERLINK(\"\"x\"\")\",Mal\n");
        ImportReport r = run(importer().from(path));
        StringWriter out = new StringWriter();
        r.writeCsv(out);

        String csv = out.toString();
        assertThat(csv).startsWith("line,reason,detail,phone\r\n");
        assertThat(csv).contains("\r\n2,INVALID_NUMBER,").contains(",\"'=HYPERLINK(\"\"x\"\")\"\r\n")
                .contains("\r\n3,INVALID_NUMBER,")
                .contains(",\"'+1+HYPERLINK(\"\"x\"\")\"\r\n"); // a + before a digit is no safer
        assertThat(csv.lines().count()).isEqualTo(4);
        assertThat(r.summary()).startsWith("COMPLETED: 3 rows, 0 imported").contains("3 rejected");
    }

    @Test
    void progressIsReportedPerBatchWithTheTotal() throws Exception {
        StringBuilder sb = new StringBuilder("phone\n");
        for (int i = 0; i < 1234; i++) {
            sb.append("+49151").append(10_000_000 + i).append('\n');
        }
        List<ImportProgress> seen = new CopyOnWriteArrayList<>();
        ImportJob job = importer().from(file("many.csv", sb.toString())).batchSize(100).onProgress(seen::add).start();
        ImportReport r = job.await(java.time.Duration.ofSeconds(30)).orElseThrow();

        assertThat(r.imported()).isEqualTo(1234);
        assertThat(seen).extracting(ImportProgress::state).contains(ImportJob.State.CHECKING,
                ImportJob.State.IMPORTING, ImportJob.State.COMPLETED);
        List<ImportProgress> importing = seen.stream().filter(p -> p.state() == ImportJob.State.IMPORTING).toList();
        assertThat(importing).allSatisfy(p -> assertThat(p.rowsTotal()).isEqualTo(1234));
        assertThat(importing.size()).isGreaterThanOrEqualTo(12);
        assertThat(importing).extracting(ImportProgress::rowsDone).isSorted();
        assertThat(importing).filteredOn(p -> p.rowsDone() == 500).singleElement()
                .satisfies(p -> assertThat(p.percent()).hasValue(40));
        assertThat(job.progress().percent()).hasValue(100);
        assertThat(wasched.contacts().importJob(job.id())).containsSame(job);
        assertThat(wasched.contacts().importJobs()).contains(job);
    }

    @Test
    void aStreamIsReadOnTheJobThreadAndClosed() throws Exception {
        boolean[] closed = {false};
        var in = new ByteArrayInputStream("phone,name\n+4915112345678,Ann\n".getBytes(StandardCharsets.UTF_8)) {
            @Override
            public void close() {
                closed[0] = true;
            }
        };
        ImportReport r = run(importer().from(in, "upload.csv"));

        assertThat(r.imported()).isEqualTo(1);
        assertThat(r.source()).isEqualTo("upload.csv");
        assertThat(closed[0]).isTrue();
    }

    @Test
    void rejectedRowsBeyondTheLimitAreCountedNotKept() throws Exception {
        var path = file("junk.csv", "phone\nx\ny\nz\n+4915112345678\n");
        ImportReport r = run(importer().from(path).maxRejectedRows(2));

        assertThat(r.rejectedCount()).isEqualTo(3);
        assertThat(r.rejected()).hasSize(2);
        assertThat(r.rejectedTruncated()).isTrue();
        assertThat(r.imported()).isEqualTo(1);
        assertThat(Set.of(r.rejected().get(0).line(), r.rejected().get(1).line())).containsExactlyInAnyOrder(2L, 3L);
    }
}
