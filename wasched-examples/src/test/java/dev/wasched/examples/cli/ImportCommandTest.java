package dev.wasched.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wasched.PageRequest;
import dev.wasched.Wasched;
import dev.wasched.contact.Contact;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code wasched import} on an embedded store: progress, the rejected-row report, exit codes, nothing lost. */
class ImportCommandTest {
    @TempDir
    Path dir;
    Path config;


    @BeforeEach
    void writeConfig() throws Exception {
        config = dir.resolve("wasched.properties");
        Files.writeString(config, "store.url = h2:" + dir.resolve("db/wasched") + "\ndefaultRegion = DE\n");
    }

    private static CliResult run(String... args) {
        return CliResult.run(args);
    }

    private List<Contact> contacts() {
        CliConfig c = CliConfig.load(config, java.util.Map.of());
        try (OpenStore store = OpenStore.open(c); Wasched w = ConfigOption.offline(c, store)) {
            return w.contacts().list(PageRequest.first(100)).items();
        }
    }

    @Test
    void importsReportsRejectedRowsAndExitsOneWhenSomeWereRejected() throws Exception {
        Path csv = dir.resolve("customers.csv");
        Files.write(csv, List.of("Name;Mobile;City", "Ann;0151 2345 6701;Berlin", "Bob;+49 151 23456702;Köln",
                "Typo;0151 23;Bremen", "Ann again;0151-2345-6701;Berlin"));
        Path report = dir.resolve("rejected.csv");
        CliResult r = run("import", "-c", config.toString(), csv.toString(), "--tag", "fair", "--report", report.toString());
        assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.FAILED);
        assertThat(r.out()).contains("COMPLETED: 4 rows, 2 imported").contains("2 rejected")
                .contains("line 4: INVALID_NUMBER").contains("line 5: DUPLICATE_IN_FILE");
        assertThat(Files.readAllLines(report)).first().isEqualTo("line,reason,detail,phone");
        assertThat(Files.readAllLines(report)).hasSize(3);
        assertThat(contacts()).extracting(Contact::displayName).containsExactlyInAnyOrder("Ann", "Bob");
        assertThat(contacts()).allSatisfy(c -> {
            assertThat(c.tags()).contains("fair");
            assertThat(c.fields()).containsKey("city");
        });

        Files.write(csv, List.of("Name;Mobile", "Cem;+49 151 23456703"));
        CliResult clean = run("import", "-c", config.toString(), csv.toString());
        assertThat(clean.code()).as(clean.err()).isEqualTo(ExitCodes.OK);
        assertThat(contacts()).hasSize(3);
    }

    @Test
    void aFileThatIsNotAContactListIsRefusedAndChangesNothing() throws Exception {
        Path good = dir.resolve("good.csv");
        Files.write(good, List.of("phone", "+49 151 23456701"));
        assertThat(run("import", "-c", config.toString(), good.toString()).code()).isZero();

        Path noPhone = dir.resolve("people.csv");
        Files.write(noPhone, List.of("name,city", "Ann,Berlin"));
        CliResult r = run("import", "-c", config.toString(), noPhone.toString());
        assertThat(r.code()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).contains("no phone column");

        Path binary = dir.resolve("photo.csv");
        Files.write(binary, new byte[]{(byte) 0x89, 'P', 'N', 'G', 0, 0, 0, 13, 0, 1, 2, 3});
        CliResult b = run("import", "-c", config.toString(), binary.toString());
        assertThat(b.code()).isEqualTo(ExitCodes.INVALID_INPUT);

        CliResult missing = run("import", "-c", config.toString(), dir.resolve("nope.csv").toString());
        assertThat(missing.code()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(missing.err()).contains("nope.csv");
        assertThat(contacts()).hasSize(1);
    }
}
