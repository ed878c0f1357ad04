package dev.wasched.benchmarks;

import dev.wasched.Wasched;
import dev.wasched.contact.imports.ImportJob;
import dev.wasched.contact.imports.ImportReport;
import dev.wasched.spi.store.WaschedStore;
import dev.wasched.store.jdbc.JdbcStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** Imports a generated CSV of contacts through {@code contacts().importer()}: rows per second and peak heap. */
public final class ContactImportBenchmark {
    private static final String SCHEMA = "bench_import";
    private static final double MB = 1024.0 * 1024;

    /** Where the contacts go. */
    public enum Database {
        H2("H2 (embedded file)"),
        POSTGRESQL("PostgreSQL");

        final String label;

        Database(String label) {
            this.label = label;
        }
    }

    private final PostgresServer postgres;
    private final BenchmarkSettings settings;

    public ContactImportBenchmark(PostgresServer postgres, BenchmarkSettings settings) {
        this.postgres = postgres;
        this.settings = settings;
    }

    /**
     * @param baselineHeapMb   heap in use after a GC just before the import
     * @param peakHeapMb       highest heap in use during the import, garbage included
     * @param peakLiveHeapMb   highest heap left after a collection during the import
     */
    public record Result(Database database, int rows, long imported, long rejected, Duration duration,
                         double baselineHeapMb, double peakHeapMb, double peakLiveHeapMb) {
        public double rowsPerSecond() {
            return imported / (duration.toNanos() / 1e9);
        }

        @Override
        public String toString() {
            return String.format("import into %s: %d of %d rows in %.1f s = %.0f rows/s, %d rejected, "
                            + "heap %.0f MB before, peak %.0f MB in use, peak %.0f MB after GC", database.label,
                    imported, rows, duration.toMillis() / 1000.0, rowsPerSecond(), rejected, baselineHeapMb,
                    peakHeapMb, peakLiveHeapMb);
        }
    }

    public Result run(Database database) throws IOException {
        int rows = settings.importRows();
        Path dir = Files.createTempDirectory("wasched-import-bench");
        try {
            Path csv = ContactCsv.write(dir.resolve("contacts.csv"), rows, i -> "customer;batch-" + (i % 10));
            PostgresServer.CountedPool pool = null;
            WaschedStore store;
            if (database == Database.H2) {
                store = JdbcStore.embedded(dir.resolve("h2").resolve("wasched"));
            } else {
                postgres.freshSchema(SCHEMA);
                pool = postgres.pool(SCHEMA);
                store = JdbcStore.builder(pool.dataSource()).autoMigrate(true).build();
            }
            try (Wasched wasched = Wasched.builder().store(store).instanceId("import").defaultRegion("DE").build()) {
                System.gc();
                try (HeapPeakSampler heap = HeapPeakSampler.start()) {
                    long baseline = heap.used();
                    long t0 = System.nanoTime();
                    ImportJob job = wasched.contacts().importer().from(csv).start();
                    ImportReport report = job.await(settings.timeout()).orElseThrow(
                            () -> new IllegalStateException("the import did not finish within " + settings.timeout()));
                    report.throwIfFailed();
                    Duration took = Duration.ofNanos(System.nanoTime() - t0);
                    return new Result(database, rows, report.imported(), report.rejectedCount(), took,
                            baseline / MB, heap.peakBytes() / MB, heap.peakAfterGcBytes() / MB);
                }
            } finally {
                store.close();
                if (pool != null) {
                    pool.close();
                }
            }
        } finally {
            ContactCsv.deleteTree(dir);
        }
    }
}
