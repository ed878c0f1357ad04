package dev.wasched.benchmarks;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * What was written to one table and its indexes, from PostgreSQL's statistics views: row writes and dead versions
 * ({@code pg_stat_user_tables}), index block accesses ({@code pg_statio_user_indexes}), and the indexes themselves
 * ({@code pg_index}). Take one {@link #read snapshot} before a run and one after, and subtract.
 *
 * <p>PostgreSQL counts no index insertions ({@code pg_stat_user_indexes} has scans and reads only), so index entries
 * are derived: an insert, or an update that is not HOT, adds an entry to every index of the table, except to a partial
 * index whose predicate the new row version does not match. Which versions match is not counted anywhere, so partial
 * indexes give only an upper bound. Index block accesses are measured, not derived: every page of an index that a
 * scan read or an insertion wrote, found in shared buffers (hit) or not (read).
 *
 * @param inserts         rows inserted ({@code n_tup_ins})
 * @param updates         rows updated, HOT ones included ({@code n_tup_upd})
 * @param hotUpdates      updates that wrote no index entry ({@code n_tup_hot_upd})
 * @param deletes         rows deleted ({@code n_tup_del})
 * @param deadTuples      dead row versions not yet vacuumed ({@code n_dead_tup}, an estimate, and autovacuum lowers
 *                        it: a difference says how many a run left behind)
 * @param indexBlocks     index pages accessed, over all the table's indexes ({@code idx_blks_hit + idx_blks_read})
 * @param fullIndexes     indexes without a predicate (primary and unique keys included)
 * @param partialIndexes  indexes with a {@code WHERE} predicate
 */
public record TableWrites(long inserts, long updates, long hotUpdates, long deletes, long deadTuples, long indexBlocks,
                          int fullIndexes, int partialIndexes) {
    private static final String SQL = "SELECT t.n_tup_ins, t.n_tup_upd, t.n_tup_hot_upd, t.n_tup_del, t.n_dead_tup,"
            + " (SELECT COALESCE(sum(s.idx_blks_hit + s.idx_blks_read), 0) FROM pg_statio_user_indexes s"
            + " WHERE s.relid = t.relid),"
            + " (SELECT count(*) FILTER (WHERE i.indpred IS NULL) FROM pg_index i WHERE i.indrelid = t.relid),"
            + " (SELECT count(*) FILTER (WHERE i.indpred IS NOT NULL) FROM pg_index i WHERE i.indrelid = t.relid)"
            + " FROM pg_stat_user_tables t WHERE t.relid = ?::regclass";

    /**
     * The counters of {@code table} (schema-qualified) as the statistics show them now, on any connection to its
     * database. A backend sends its counts at the end of a transaction at most every half second, and the rest when
     * its connection ends: read them after the measured connections are closed.
     */
    public static TableWrites read(Connection c, String table) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(SQL)) {
            s.setString(1, table);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("no statistics for table " + table);
                }
                return new TableWrites(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
                        rs.getLong(6), rs.getInt(7), rs.getInt(8));
            }
        }
    }

    /** The counts since {@code earlier}; the indexes are this snapshot's. */
    public TableWrites minus(TableWrites earlier) {
        return new TableWrites(inserts - earlier.inserts, updates - earlier.updates, hotUpdates - earlier.hotUpdates,
                deletes - earlier.deletes, deadTuples - earlier.deadTuples, indexBlocks - earlier.indexBlocks,
                fullIndexes, partialIndexes);
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
