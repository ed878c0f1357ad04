package dev.wasched.benchmarks;

/**
 * Counters of one PostgreSQL database from {@code pg_stat_database}: committed transactions (an autocommit
 * SELECT is one too) and rows returned.
 */
public record DatabaseActivity(long commits, long rowsReturned) {
    public DatabaseActivity minus(DatabaseActivity earlier) {
        return new DatabaseActivity(commits - earlier.commits, rowsReturned - earlier.rowsReturned);
    }
}
