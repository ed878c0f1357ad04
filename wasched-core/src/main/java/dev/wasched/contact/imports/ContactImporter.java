package dev.wasched.contact.imports;

import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Describes an import of contacts from a CSV or XLSX file, then {@link #start()}s it as a background job. Obtained
 * from {@code wasched.contacts().importer()}; one importer starts one job.
 *
 * <pre>{@code
 * ImportJob job = wasched.contacts().importer()
 *         .from(Path.of("customers.xlsx"))
 *         .mapping(ColumnMapping.builder().phone("Mobile").name("First name", "Last name").tags("Groups").build())
 *         .defaultRegion("DE")
 *         .tag("spring-fair")
 *         .merge(MergeMode.UPDATE)
 *         .onProgress(p -> bar.stepTo(p.rowsDone()))
 *         .start();
 * ImportReport report = job.await(Duration.ofMinutes(10)).orElseThrow();
 * }</pre>
 *
 * <p>How it runs: the file is first checked completely (format, header, structure, row count) without writing
 * anything, so a broken file changes nothing; then rows are parsed, validated and written in batches. Memory stays
 * flat whatever the file size (a stream is first copied to a temporary file; the duplicate check keeps about 24
 * bytes per row). A batch's numbers are looked up with one query and its new contacts are inserted together (in one
 * transaction where the store has them); merges into existing contacts are written row by row. An interrupted
 * import keeps the batches it wrote, and running the same file again with the same {@link MergeMode} gives the
 * same contacts as one uninterrupted run.
 *
 * <p>Defaults: format {@link ImportFormat#AUTO}, {@link ColumnMapping#auto()}, UTF-8 (a byte-order mark wins),
 * separator detected from the first line, the wasched default region, {@link MergeMode#UPDATE}, batches of 500,
 * at most 10,000 rejected rows kept in the report.
 */
public interface ContactImporter {
    /** The maximum number of columns a row may have; longer rows are rejected. */
    int MAX_COLUMNS = 1_000;
    /** The maximum length of one CSV value; a longer value makes the file {@link ImportFileException.Problem#MALFORMED}. */
    int MAX_VALUE_LENGTH = 100_000;

    /** Reads this file. Its name's extension is only a hint: the content decides the format. */
    ContactImporter from(Path file);

    /**
     * Reads this stream, on the job's thread, and closes it. {@code name} (may be null) is shown in the report and
     * its extension is a hint for the format.
     */
    ContactImporter from(InputStream stream, String name);

    ContactImporter format(ImportFormat format);

    /** The character set of a CSV file without a byte-order mark, such as {@code windows-1252}; UTF-8 by default. */
    ContactImporter charset(Charset charset);

    /** The CSV separator; detected from the first line ({@code ,} {@code ;} tab or {@code |}) by default. */
    ContactImporter separator(char separator);

    /** The XLSX sheet to read by name; the first sheet by default. */
    ContactImporter sheet(String name);

    ContactImporter mapping(ColumnMapping mapping);

    /** ISO 3166 region (such as {@code "DE"}) for numbers written without a country code. */
    ContactImporter defaultRegion(String region);

    /** Tags added to every contact the import creates or updates. */
    ContactImporter tag(String... tags);

    ContactImporter merge(MergeMode mode);

    /** Rows per batch: 1 to 10,000. */
    ContactImporter batchSize(int rows);

    /** How many rejected rows the report lists (all are counted): 0 to 1,000,000. */
    ContactImporter maxRejectedRows(int rows);

    /**
     * Called on the job's thread when the job changes state and after every batch. Keep it quick; an exception it
     * throws is logged and ignored.
     */
    ContactImporter onProgress(Consumer<ImportProgress> listener);

    /**
     * Starts the job and returns at once. Options are checked here ({@link dev.wasched.ValidationException}); a
     * missing or unreadable file throws {@link ImportFileException} with {@link ImportFileException.Problem#UNREADABLE}.
     * Everything about the file's content is reported by the job.
     */
    ImportJob start();
}
