package dev.wasched.benchmarks;

/**
 * Row writes to one table from {@code pg_stat_user_tables}, and its indexes from {@code pg_index}. PostgreSQL counts
 * no index insertions (pg_stat_user_indexes has only scans and reads), so index entries are derived: an insert, or an
 * update that is not HOT, adds an entry to every index of the table, except to a partial index whose predicate the new
 * row version does not match. Which versions match is not counted anywhere, so partial indexes give only an upper
 * bound.
 *
 * @param inserts         rows inserted ({@code n_tup_ins})
 * @param updates         rows updated, HOT ones included ({@code n_tup_upd})
 * @param hotUpdates      updates that wrote no index entry ({@code n_tup_hot_upd})
 * @param deletes         rows deleted ({@code n_tup_del})
 * @param fullIndexes     indexes without a predicate (primary and unique keys included)
 * @param partialIndexes  indexes with a {@code WHERE} predicate
 */
public record TableWrites(long inserts, long updates, long hotUpdates, long deletes, int fullIndexes,
                          int partialIndexes) {
    /** The counts since {@code earlier}; the indexes are this snapshot's. */
    public TableWrites minus(TableWrites earlier) {
        return new TableWrites(inserts - earlier.inserts, updates - earlier.updates, hotUpdates - earlier.hotUpdates,
                deletes - earlier.deletes, fullIndexes, partialIndexes);
    }

    /** Row versions written: every insert and every update makes one (a delete marks a version, it writes none). */
    public long rowVersions() {
        return inserts + updates;
    }

    /** Row versions that went into the indexes: inserts and updates that were not HOT. */
    public long indexedVersions() {
        return inserts + updates - hotUpdates;
    }

    /** Index entries written into the indexes without a predicate: exact. */
    public long fullIndexEntries() {
        return indexedVersions() * fullIndexes;
    }

    /** Index entries written, at most: as if every row version matched every partial index's predicate. */
    public long indexEntriesAtMost() {
        return indexedVersions() * (fullIndexes + partialIndexes);
    }
}
