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

    /**
     * A real crash: the import runs in its own JVM on the H2 file and is killed with SIGKILL mid-file. Running the
     * same file again gives exactly the contacts of one uninterrupted import.
     */
    @Test
    void anImportKilledMidFileAndRunAgainGivesTheContactsOfOneUninterruptedRun() throws Exception {
        int rows = 30_000;
        Path csv = dir.resolve("big.csv");
        List<String> lines = new java.util.ArrayList<>(rows + 1);
        lines.add("name,phone,tags");
        for (int i = 0; i < rows; i++) {
            lines.add("Person " + i + ",+49151" + (20_000_000 + i) + "," + (i % 3 == 0 ? "vip" : "std"));
        }
        Files.write(csv, lines);
        Path out = dir.resolve("import.out");
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classpath, WaschedCli.class.getName(), "import", "-c", config.toString(), csv.toString())
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        try {
            long deadline = System.nanoTime() + java.time.Duration.ofSeconds(120).toNanos();
            java.util.regex.Pattern writing = java.util.regex.Pattern.compile("\\b[1-9][0-9]*/" + rows + "\\b.*IMPORTING");
            while (!writing.matcher(Files.readString(out)).find()) {
                assertThat(child.isAlive()).as("still importing: " + Files.readString(out)).isTrue();
                assertThat(System.nanoTime()).as("the import started writing").isLessThan(deadline);
                Thread.sleep(20);
            }
        } finally {
            child.destroyForcibly().waitFor();
        }
        long kept = count();
        assertThat(kept).as("killed mid-file: some contacts written, not all").isBetween(1L, rows - 1L);

        CliResult rerun = run("import", "-c", config.toString(), csv.toString());
        assertThat(rerun.code()).as(rerun.out() + rerun.err()).isEqualTo(ExitCodes.OK);
        assertThat(rerun.out()).contains("COMPLETED: " + rows + " rows, " + (rows - kept) + " imported, 0 updated, "
                + kept + " unchanged");

        Path cleanConfig = dir.resolve("clean.properties");
        Files.writeString(cleanConfig, "store.url = h2:" + dir.resolve("clean/wasched") + "\ndefaultRegion = DE\n");
        assertThat(run("import", "-c", cleanConfig.toString(), csv.toString()).code()).isEqualTo(ExitCodes.OK);
        assertThat(snapshot(config)).isEqualTo(snapshot(cleanConfig));
    }

    private long count() {
        CliConfig c = CliConfig.load(config, java.util.Map.of());
        try (OpenStore store = OpenStore.open(c)) {
            return store.store().contacts().count();
        }
    }

    /** Every contact as number, name and tags: what two imports of one file must agree on. */
    private static java.util.Map<String, String> snapshot(Path configFile) {
        CliConfig c = CliConfig.load(configFile, java.util.Map.of());
        java.util.Map<String, String> all = new java.util.HashMap<>();
        try (OpenStore store = OpenStore.open(c)) {
            dev.wasched.PageRequest page = dev.wasched.PageRequest.first(1000);
            while (true) {
                dev.wasched.Page<Contact> p = store.store().contacts().list(page);
                p.items().forEach(x -> all.put(x.phone().e164(), x.displayName() + " " + new java.util.TreeSet<>(x.tags())));
                if (p.nextCursor().isEmpty()) {
                    return all;
                }
                page = dev.wasched.PageRequest.after(p.nextCursor().get(), 1000);
            }
        }
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
