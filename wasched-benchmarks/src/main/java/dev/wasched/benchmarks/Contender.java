package dev.wasched.benchmarks;

import java.time.Instant;
import java.util.List;

/**
 * A scheduler under test, set up the same way for every workload: a fresh schema, jobs seeded without any instance
 * running, then instances started on pools of their own. A job is identified by a key; whichever instance runs it
 * records the key in the run's {@link ExecutionLog}.
 */
public interface Contender {
    String name();

    /** The schema-qualified table that holds a job's row, for counting its writes. */
    String jobTable();

    /** A fresh schema with the scheduler's tables, and what the scheduler needs before jobs can be seeded. */
    void prepare();

    /** Seeds one job per key, all due now, and ends the setup (its connections are closed before a measurement). */
    void seedDueNow(List<String> keys);

    /** Seeds one daily cron job per key, each firing at {@code fireAt} (a whole minute, UTC), and ends the setup. */
    void seedDailyCron(List<String> keys, Instant fireAt);

    /** Starts {@code count} instances that record executions into {@code log}. */
    Instances start(int count, ExecutionLog log);

    /** The running instances of a contender. */
    interface Instances extends AutoCloseable {
        /** Schedules one job through the first instance, as an application on it would. */
        void schedule(String key, Instant at);

        /** Statements all instances executed so far. */
        long statements();

        /** Stops every instance and closes its pool. */
        @Override
        void close();
    }
}
