package dev.wasched.imports;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wasched.contact.Contact;
import dev.wasched.contact.imports.ColumnMapping;
import dev.wasched.contact.imports.ImportFileException;
import dev.wasched.contact.imports.ImportFormat;
import dev.wasched.contact.imports.ImportJob;
import dev.wasched.contact.imports.ImportProgress;
import dev.wasched.contact.imports.ImportReport;
import dev.wasched.contact.imports.MergeMode;
import dev.wasched.contact.imports.RejectedRow;
import dev.wasched.internal.imports.ImportRequest;
import dev.wasched.internal.imports.ImportRun;
import dev.wasched.internal.time.Ids;
import dev.wasched.memory.InMemoryStore;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * Generated files through the whole import pipeline (on the calling thread, without a job): whatever the rows hold,
 * the import completes, the counts add up, and every row ends up exactly where the rules say; whatever the bytes,
 * the result is a report, with a typed error when the file cannot be imported.
 */
class ImportPropertiesTest {
    private static final List<String> NUMBERS = List.of("+4915112345678", "+4915112345679", "+447911123456",
            "+12015550123", "+5511987654321", "+4930123456");

    record Row(String phone, String name) {
    }

    @Property(tries = 300)
    void everyRowIsImportedOrRejectedAsTheRulesSay(@ForAll("rows") @Size(max = 40) List<Row> rows,
                                                   @ForAll boolean update) {
        StringBuilder csv = new StringBuilder("phone,name\r\n");
        for (Row r : rows) {
            csv.append(quote(r.phone())).append(',').append(quote(r.name())).append("\r\n");
        }
        InMemoryStore store = new InMemoryStore();
        ImportReport report = run(store, csv.toString().getBytes(StandardCharsets.UTF_8),
                update ? MergeMode.UPDATE : MergeMode.SKIP);

        // the model: blank rows are not counted, the first acceptable row of a number wins
        Map<String, String> expected = new HashMap<>();
        Set<String> seen = new HashSet<>();
        long counted = 0;
        long rejected = 0;
        for (Row r : rows) {
            if (r.phone().isBlank() && r.name().isBlank()) {
                continue;
            }
            counted++;
            String name = r.name().strip();
            boolean ok = NUMBERS.contains(r.phone()) && name.length() <= 256;
            if (ok && seen.add(r.phone())) {
                expected.put(r.phone(), name);
            } else {
                rejected++;
            }
        }
        if (counted == 0) {
            assertThat(report.state()).isEqualTo(ImportJob.State.FAILED);
            assertThat(((ImportFileException) report.error()).problem()).isEqualTo(ImportFileException.Problem.EMPTY);
            return;
        }
        assertThat(report.state()).as(report.summary()).isEqualTo(ImportJob.State.COMPLETED);
        assertThat(report.rowsRead()).isEqualTo(counted);
        assertThat(report.imported()).isEqualTo(expected.size());
        assertThat(report.rejectedCount()).isEqualTo(rejected);
        assertThat(report.rejected()).extracting(RejectedRow::line).isSorted();
        assertThat(report.rowsRead()).isEqualTo(report.imported() + report.updated() + report.unchanged()
                + report.skipped() + report.rejectedCount());
        assertThat(store.contacts().count()).isEqualTo(expected.size());
        expected.forEach((phone, name) -> {
            Contact c = store.contacts().findByPhone(phone).orElseThrow();
            assertThat(c.displayName()).isEqualTo(name);
        });
    }

    @Property(tries = 500)
    void anyBytesGiveAReportNeverAnException(@ForAll("bytes") byte[] content, @ForAll ImportFormat format) {
        ImportReport report = run(new InMemoryStore(), content, MergeMode.UPDATE, format);
        assertThat(report.state()).isIn(ImportJob.State.COMPLETED, ImportJob.State.FAILED);
        if (report.state() == ImportJob.State.FAILED) {
            assertThat(report.error()).isInstanceOf(ImportFileException.class);
        }
    }

    private static ImportReport run(InMemoryStore store, byte[] content, MergeMode merge) {
        return run(store, content, merge, ImportFormat.AUTO);
    }

    private static ImportReport run(InMemoryStore store, byte[] content, MergeMode merge, ImportFormat format) {
        ImportRequest req = new ImportRequest(null, new ByteArrayInputStream(content), "generated.csv", format, null,
                null, null, ColumnMapping.auto(), "DE", Set.of(), merge, 7, 10_000, null);
        Ids ids = new Ids(Clock.systemUTC());
        return new ImportRun(req, store.contacts(), ids::next, Clock.systemUTC(), "job", new ImportRun.Control() {
            @Override
            public boolean cancelled() {
                return false;
            }

            @Override
            public void progress(ImportProgress progress) {
            }
        }).run();
    }

    private static String quote(String s) {
        return '"' + s.replace("\"", "\"\"") + '"';
    }

    @Provide
    Arbitrary<List<Row>> rows() {
        Arbitrary<String> phone = Arbitraries.oneOf(Arbitraries.of(NUMBERS), Arbitraries.of("", " ", "12", "abc",
                "+49", "0000000000", "+999123456789", "=1+1"));
        Arbitrary<String> name = Arbitraries.oneOf(
                Arbitraries.strings().withCharRange(' ', '~').withChars("\n\r\t\"äöüßé漢字").ofMaxLength(20),
                Arbitraries.strings().withChars("ab ").ofMinLength(250).ofMaxLength(270));
        return Combinators.combine(phone, name).as(Row::new).list();
    }

    @Provide
    Arbitrary<byte[]> bytes() {
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(3000);
        Arbitrary<byte[]> textish = Arbitraries.strings().withChars("phone,name;\t\"\n\r+49151 0123456789abc\u00e4\uFEFF")
                .ofMaxLength(400).map(s -> s.getBytes(StandardCharsets.UTF_8));
        Arbitrary<byte[]> zipLike = random.map(b -> {
            byte[] z = new byte[b.length + 4];
            z[0] = 'P';
            z[1] = 'K';
            z[2] = 3;
            z[3] = 4;
            System.arraycopy(b, 0, z, 4, b.length);
            return z;
        });
        return Arbitraries.oneOf(random, textish, zipLike);
    }
}
