package dev.wasched.imports;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wasched.contact.Contact;
import dev.wasched.contact.ContactSpec;
import dev.wasched.contact.imports.ColumnMapping;
import dev.wasched.contact.imports.ImportJob;
import dev.wasched.contact.imports.ImportReport;
import dev.wasched.contact.imports.MergeMode;
import java.io.Writer;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The import example of docs/contacts.md, run on a small workbook. */
class DocSnippetsImportTest extends ImportTestSupport {
    private static final Logger log = LoggerFactory.getLogger(DocSnippetsImportTest.class);

    @Test
    void importsMapsMergesAndReportsAsShown() throws Exception {
        wasched.contacts().create(ContactSpec.builder().name("Bob").phone("+4915122222222").build());
        XlsxFiles.write(dir.resolve("customers.xlsx"), List.of(
                List.of("Mobile", "First name", "Last name", "Groups", "Town"),
                List.of("0151 11111111", "Ann", "Lee", "vip, bakery", "Berlin"),
                List.of("0151 22222222", "Bob", "Brown", "", "Hamburg"),
                List.of("12", "Nobody", "", "", "")));

        // docs:docs/contacts.md#importing-contacts-from-spreadsheets:begin
        ImportJob job = wasched.contacts().importer()
                .from(dir.resolve("customers.xlsx"))                 // or .from(inputStream, "upload.csv")
                .mapping(ColumnMapping.builder()
                        .phone("Mobile")                             // by header text (case, spaces, accents ignored) …
                        .name("First name", "Last name")             // … joined with a space
                        .tags("Groups")                              // "vip, bakery" → two tags
                        .field("city", "Town")                       // custom field for templates: {{city}}
                        .build())                                    // default: ColumnMapping.auto()
                .defaultRegion("DE")                                 // numbers without +49 are German
                .tag("spring-fair")                                  // added to every imported contact
                .merge(MergeMode.UPDATE)                             // or SKIP: leave existing contacts alone
                .onProgress(p -> log.info("{} rows", p.rowsDone()))  // p.percent() once the total is known
                .start();

        ImportReport report = job.await(Duration.ofMinutes(10)).orElseThrow();
        System.out.println(report.summary());   // COMPLETED: 50000 rows, 49210 imported, 612 updated, 0 unchanged, 0 skipped, 178 rejected
        try (Writer out = Files.newBufferedWriter(dir.resolve("rejected.csv"))) {
            report.writeCsv(out);               // line,reason,detail,phone — one row per rejected line
        }
        // docs:docs/contacts.md#importing-contacts-from-spreadsheets:end

        assertThat(report.summary())
                .isEqualTo("COMPLETED: 3 rows, 1 imported, 1 updated, 0 unchanged, 0 skipped, 1 rejected");
        Contact ann = contact("+4915111111111");
        assertThat(ann.displayName()).isEqualTo("Ann Lee");
        assertThat(ann.tags()).containsExactlyInAnyOrder("vip", "bakery", "spring-fair");
        assertThat(ann.fields()).isEqualTo(Map.of("city", "Berlin"));
        Contact bob = contact("+4915122222222");
        assertThat(bob.displayName()).isEqualTo("Bob Brown");
        assertThat(bob.tags()).contains("spring-fair");
        List<String> rejected = Files.readAllLines(dir.resolve("rejected.csv"));
        assertThat(rejected.get(0)).isEqualTo("line,reason,detail,phone");
        assertThat(rejected).hasSize(2);
        assertThat(rejected.get(1)).startsWith("4,");
    }
}
