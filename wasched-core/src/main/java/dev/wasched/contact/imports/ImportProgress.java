package dev.wasched.contact.imports;

import java.util.OptionalInt;

/**
 * How far an import is. Reported to the progress callback after every batch and readable any time from
 * {@link ImportJob#progress()}.
 *
 * @param rowsDone  data rows handled so far (written, merged, skipped or rejected); blank rows are not counted
 * @param rowsTotal data rows in the file, or -1 while the file is still being checked
 */
public record ImportProgress(String jobId, ImportJob.State state, long rowsDone, long rowsTotal, long imported,
                             long updated, long unchanged, long skipped, long rejected) {
    public boolean totalKnown() {
        return rowsTotal >= 0;
    }

    /** Whole percent done (0 to 100), when the total is known. */
    public OptionalInt percent() {
        if (!totalKnown()) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(rowsTotal == 0 ? 100 : (int) Math.min(100, rowsDone * 100 / rowsTotal));
    }
}
