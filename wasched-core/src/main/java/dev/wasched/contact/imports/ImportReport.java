package dev.wasched.contact.imports;

import dev.wasched.WaschedException;
import dev.wasched.report.CsvField;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What an import did. For a finished job {@code rowsRead = imported + updated + unchanged + skipped + rejectedCount}.
 *
 * @param source            the file name (or the name given with a stream)
 * @param rowsRead          data rows handled (blank rows and the header are not counted)
 * @param imported          new contacts created
 * @param updated           existing contacts changed ({@link MergeMode#UPDATE})
 * @param unchanged         existing contacts the row would not have changed ({@link MergeMode#UPDATE})
 * @param skipped           existing contacts left alone ({@link MergeMode#SKIP})
 * @param rejectedCount     rows not imported
 * @param rejected          the rejected rows by line, at most the importer's {@code maxRejectedRows} of them
 * @param error             why the job FAILED (an {@link ImportFileException} for a file problem), else null
 */
public record ImportReport(String jobId, String source, ImportJob.State state, Instant startedAt, Instant finishedAt,
                           long rowsRead, long imported, long updated, long unchanged, long skipped,
                           long rejectedCount, List<RejectedRow> rejected, WaschedException error) {
    public ImportReport {
        Objects.requireNonNull(state, "state");
        rejected = List.copyOf(rejected == null ? List.of() : rejected);
    }

    public boolean completed() {
        return state == ImportJob.State.COMPLETED;
    }

    /** True when more rows were rejected than the report keeps. */
    public boolean rejectedTruncated() {
        return rejectedCount > rejected.size();
    }

    public Duration duration() {
        return startedAt == null || finishedAt == null ? Duration.ZERO : Duration.between(startedAt, finishedAt);
    }

    /** Throws {@link #error()} when the job failed; returns this report otherwise. */
    public ImportReport throwIfFailed() {
        if (error != null) {
            throw error;
        }
        return this;
    }

    /** One line for a log, a terminal or a chat: {@code "COMPLETED: 1200 rows, 1150 imported, …"}. */
    public String summary() {
        StringBuilder sb = new StringBuilder().append(state).append(": ").append(rowsRead).append(" rows, ")
                .append(imported).append(" imported, ").append(updated).append(" updated, ")
                .append(unchanged).append(" unchanged, ").append(skipped).append(" skipped, ")
                .append(rejectedCount).append(" rejected");
        if (error != null) {
            sb.append(" (").append(error.getMessage()).append(')');
        }
        return sb.toString();
    }

    /**
     * Writes the rejected rows as CSV ({@code line,reason,detail,phone}, RFC 4180 quoting, one row per line), ready
     * to open in a spreadsheet next to the original file. A value that a spreadsheet would run as a formula (starting
     * with {@code =}, {@code +}, {@code -}, {@code @}, a tab or a carriage return) gets a leading {@code '}. The writer
     * is not closed.
     */
    public void writeCsv(Writer out) {
        try {
            out.write("line,reason,detail,phone\r\n");
            for (RejectedRow r : rejected) {
                out.write(Long.toString(r.line()));
                out.write(',');
                out.write(r.reason().name());
                out.write(',');
                out.write(CsvField.of(r.detail()));
                out.write(',');
                out.write(CsvField.of(r.phone()));
                out.write("\r\n");
            }
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
