package dev.wasched.internal.imports;

import static dev.wasched.contact.imports.ImportFileException.Problem.EMPTY;
import static dev.wasched.contact.imports.ImportFileException.Problem.UNREADABLE;

import dev.wasched.WaschedException;
import dev.wasched.contact.imports.ImportFileException;
import dev.wasched.contact.imports.ImportFormat;
import dev.wasched.contact.imports.ImportJob.State;
import dev.wasched.contact.imports.ImportProgress;
import dev.wasched.contact.imports.ImportReport;
import dev.wasched.contact.imports.RejectedRow;
import dev.wasched.spi.store.ContactRepository;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One import, start to end, on the calling thread: check the whole file (nothing is written), then map, validate
 * and write it batch by batch. Memory holds one batch, the rejected rows the report keeps, and the compact set of
 * numbers seen (for duplicates within the file).
 */
public final class ImportRun {
    private static final Logger log = LoggerFactory.getLogger(ImportRun.class);

    /** How the run reports to its job. */
    public interface Control {
        boolean cancelled();

        void progress(ImportProgress progress);
    }

    private final ImportRequest req;
    private final ContactRepository repo;
    private final Supplier<String> ids;
    private final Clock clock;
    private final String jobId;
    private final Control control;
    private final List<RejectedRow> rejected = new ArrayList<>();
    private volatile State state = State.QUEUED;
    private volatile long total = -1;
    private volatile long imported;
    private volatile long updated;
    private volatile long unchanged;
    private volatile long skipped;
    private volatile long rejectedCount;
    private volatile long currentLine;
    private Instant startedAt;

    public ImportRun(ImportRequest req, ContactRepository repo, Supplier<String> ids, Clock clock, String jobId,
                     Control control) {
        this.req = req;
        this.repo = repo;
        this.ids = ids;
        this.clock = clock;
        this.jobId = jobId;
        this.control = control;
    }

    public ImportReport run() {
        startedAt = clock.instant();
        log.atInfo().addKeyValue("jobId", jobId).log("import of {} started", req.sourceName());
        moveTo(State.CHECKING);
        try (SourceFile src = SourceFile.open(req, control::cancelled)) {
            Scan scan = check(src);
            total = scan.rows();
            moveTo(State.IMPORTING);
            write(src, scan.columns());
            return finish(control.cancelled() ? State.CANCELLED : State.COMPLETED, null);
        } catch (CancellationException e) {
            return finish(State.CANCELLED, null);
        } catch (ImportFileException e) {
            return finish(State.FAILED, e);
        } catch (IOException e) {
            return finish(State.FAILED, new ImportFileException(UNREADABLE, -1, "the file could not be read: " + e, e));
        } catch (RuntimeException e) {
            // The store failed (or something unforeseen): what was written stays, a rerun finishes the job.
            return finish(State.FAILED, new WaschedException("import stopped in the batch starting at line "
                    + currentLine + ": " + e + "; batches before it were written; import the file again to finish", e));
        }
    }

    /** A report for a run that was stopped from outside before it could finish by itself. */
    public ImportReport stopped(State finalState, WaschedException error) {
        return finish(finalState, error);
    }

    private record Scan(ResolvedColumns columns, long rows) {
    }

    /** Reads the whole file once without writing: format, header, structure, and the number of data rows. */
    private Scan check(SourceFile src) throws IOException {
        try (RowReader r = src.openReader()) {
            ResolvedColumns columns = null;
            long rows = 0;
            for (RawRow row; (row = r.next()) != null; ) {
                if (row.blank()) {
                    continue;
                }
                if (columns == null) {
                    columns = ColumnResolver.resolve(req.mapping(), row, req.region());
                    if (columns.hasHeader()) {
                        continue;
                    }
                }
                if (++rows % 10_000 == 0 && control.cancelled()) {
                    throw new CancellationException();
                }
            }
            if (columns == null) {
                throw new ImportFileException(EMPTY, "the file has no rows");
            }
            if (rows == 0) {
                throw new ImportFileException(EMPTY, "the file has a header row but no data rows");
            }
            return new Scan(columns, rows);
        }
    }

    private void write(SourceFile src, ResolvedColumns columns) throws IOException {
        RowMapper mapper = new RowMapper(columns, req.region(), req.tags(), src.format() == ImportFormat.CSV,
                src.detected().charset());
        ContactWriter writer = new ContactWriter(repo, ids, clock, req.merge());
        PhoneLines seen = new PhoneLines();
        List<RowMapper.Candidate> batch = new ArrayList<>(req.batchSize());
        int pending = 0;
        boolean headerSkipped = !columns.hasHeader();
        try (RowReader r = src.openReader()) {
            for (RawRow row; (row = r.next()) != null; ) {
                if (row.blank()) {
                    continue;
                }
                if (!headerSkipped) {
                    headerSkipped = true;
                    continue;
                }
                RowMapper.Mapped m = mapper.map(row);
                if (m instanceof RowMapper.Candidate c) {
                    long earlier = seen.putIfAbsent(Phones.key(c.phone()), c.line());
                    if (earlier >= 0) {
                        reject(new RejectedRow(c.line(), RejectedRow.Reason.DUPLICATE_IN_FILE,
                                "same number as line " + earlier + " (" + c.phone().e164() + ")", c.phone().e164()));
                    } else {
                        batch.add(c);
                    }
                } else if (m instanceof RowMapper.Rejected x) {
                    reject(x.row());
                }
                if (++pending >= req.batchSize()) {
                    flush(batch, writer);
                    pending = 0;
                    if (control.cancelled()) {
                        return;
                    }
                }
            }
            flush(batch, writer);
        }
    }

    /** Writes the batch (one lookup, new contacts together, merges row by row), then reports progress. */
    private void flush(List<RowMapper.Candidate> batch, ContactWriter writer) {
        if (batch.isEmpty() || control.cancelled()) {
            batch.clear();
            return;
        }
        currentLine = batch.get(0).line();
        List<ContactWriter.Outcome> outcomes = writer.writeBatch(batch);
        for (ContactWriter.Outcome o : outcomes) {
            switch (o.result()) {
                case IMPORTED -> imported++;
                case UPDATED -> updated++;
                case UNCHANGED -> unchanged++;
                case SKIPPED -> skipped++;
                case REJECTED -> reject(o.rejected());
            }
        }
        currentLine = batch.get(batch.size() - 1).line();
        batch.clear();
        control.progress(progress());
    }

    private synchronized void reject(RejectedRow row) {
        rejectedCount++;
        if (rejected.size() < req.maxRejected()) {
            rejected.add(row);
        }
    }

    private void moveTo(State next) {
        state = next;
        control.progress(progress());
    }

    public ImportProgress progress() {
        long done = imported + updated + unchanged + skipped + rejectedCount;
        return new ImportProgress(jobId, state, done, total, imported, updated, unchanged, skipped, rejectedCount);
    }

    private synchronized ImportReport finish(State end, WaschedException error) {
        state = end;
        ImportProgress p = progress();
        List<RejectedRow> rows = new ArrayList<>(rejected);
        rows.sort(Comparator.comparingLong(RejectedRow::line));
        Instant now = clock.instant();
        ImportReport report = new ImportReport(jobId, req.sourceName(), end, startedAt == null ? now : startedAt, now,
                p.rowsDone(), imported, updated, unchanged, skipped, rejectedCount, rows, error);
        control.progress(p);
        log.atInfo().addKeyValue("jobId", jobId).log("import {}", report.summary());
        return report;
    }
}
