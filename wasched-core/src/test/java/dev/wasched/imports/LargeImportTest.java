package dev.wasched.imports;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * 100,000 rows in a JVM with a 64 MB heap: the importer streams, so memory stays flat whatever the file size. Each
 * file is imported by {@link LargeImportMain} in a forked {@code java -Xmx64m} on this test's class path.
 */
class LargeImportTest {
    private static final int ROWS = 100_000;

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aHundredThousandCsvRowsInSixtyFourMegabytes() throws Exception {
        Path csv = dir.resolve("large.csv");
        try (BufferedWriter w = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
            w.write("Phone,Name,City,Customer number,Tags\n");
            for (int i = 0; i < ROWS; i++) {
                w.write("+49151" + (10_000_000 + i) + ",Customer " + i + ",City " + (i % 500) + ",C-" + i
                        + ",\"imported, bulk\"\n");
            }
        }
        forkAndImport(csv);
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aHundredThousandXlsxRowsInSixtyFourMegabytes() throws Exception {
        // Phones as numbers (as Excel keeps them), names and cities as shared strings: a workbook as Excel writes it.
        Path xlsx = XlsxFiles.writeLarge(dir.resolve("large.xlsx"), ROWS + 1, r -> r == 0
                        ? List.of(new XlsxFiles.Shared(0), new XlsxFiles.Shared(1), new XlsxFiles.Shared(2))
                        : List.of(4915110000000L + r, new XlsxFiles.Shared(3 + r - 1), new XlsxFiles.Shared(3 + ROWS + r % 500)),
                3 + ROWS + 500, k -> k == 0 ? "Mobile" : k == 1 ? "Name" : k == 2 ? "City"
                        : k < 3 + ROWS ? "Customer " + (k - 3) : "City " + (k - 3 - ROWS));
        forkAndImport(xlsx);
    }

    private static void forkAndImport(Path file) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx64m", "-XX:+UseSerialGC", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-cp", System.getProperty("java.class.path"), LargeImportMain.class.getName(), file.toString(),
                Integer.toString(ROWS)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(90, TimeUnit.SECONDS)).isTrue();
        System.out.println(file.getFileName() + ": " + out.strip());
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("rows=" + ROWS + " imported=" + ROWS + " rejected=0");
    }
}
