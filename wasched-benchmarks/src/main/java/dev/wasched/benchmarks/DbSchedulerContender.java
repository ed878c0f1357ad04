package dev.wasched.benchmarks;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerBuilder;
import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.task.SchedulableInstance;
import com.github.kagkarlsson.scheduler.task.Task;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.PlainScheduleAndData;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTaskWithPersistentSchedule;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.Schedules;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * db-scheduler on the same PostgreSQL, with one of its two polling strategies. A job is a one-time task instance
 * (or, for cron, an instance of a recurring task with a persistent cron schedule) whose id is the job key; the task
 * does nothing but record its key.
 */
public final class DbSchedulerContender implements Contender {
    private static final int BATCH = 1_000;
    /** db-scheduler's limits for a poll, as fractions of the executor threads (its documented defaults). */
    private static final double LOWER_LIMIT = 0.5;
    private static final double UPPER_LIMIT = 3.0;

    /** The polling strategies db-scheduler offers. */
    public enum Polling {
        LOCK_AND_FETCH("db-scheduler lock-and-fetch"),
        FETCH("db-scheduler fetch");

        final String label;

        Polling(String label) {
            this.label = label;
        }
    }

    private final PostgresServer postgres;
    private final BenchmarkSettings settings;
    private final Polling polling;
    private final String schema;

    public DbSchedulerContender(PostgresServer postgres, BenchmarkSettings settings, Polling polling) {
        this.postgres = postgres;
        this.settings = settings;
        this.polling = polling;
        this.schema = "bench_dbs_" + polling.name().toLowerCase();
    }

    @Override
    public String name() {
        return polling.label;
    }

    @Override
    public String jobTable() {
        return schema + ".scheduled_tasks";
    }

    @Override
    public void prepare() {
        postgres.freshSchema(schema);
        // db-scheduler's table for PostgreSQL, as its documentation describes it.
        postgres.execute("CREATE TABLE " + schema + ".scheduled_tasks ("
                        + " task_name TEXT NOT NULL, task_instance TEXT NOT NULL, task_data BYTEA,"
                        + " execution_time TIMESTAMPTZ NOT NULL, picked BOOLEAN NOT NULL, picked_by TEXT,"
                        + " last_success TIMESTAMPTZ, last_failure TIMESTAMPTZ, consecutive_failures INT,"
                        + " last_heartbeat TIMESTAMPTZ, version BIGINT NOT NULL, priority SMALLINT,"
                        + " PRIMARY KEY (task_name, task_instance))",
                "CREATE INDEX execution_time_idx ON " + schema + ".scheduled_tasks (execution_time)",
                "CREATE INDEX last_heartbeat_idx ON " + schema + ".scheduled_tasks (last_heartbeat)",
                "CREATE INDEX priority_execution_time_idx ON " + schema + ".scheduled_tasks (priority DESC, execution_time ASC)");
    }

    @Override
    public void seedDueNow(List<String> keys) {
        JobTasks tasks = new JobTasks(new ExecutionLog());
        Instant now = Instant.now();
        withClient(tasks, client -> {
            List<TaskInstance<?>> chunk = new ArrayList<>(BATCH);
            for (int i = 0; i < keys.size(); i++) {
                chunk.add(tasks.oneTime.instance(keys.get(i)));
                if (chunk.size() == BATCH || i == keys.size() - 1) {
                    client.scheduleBatch(chunk, now);
                    chunk.clear();
                }
            }
        });
    }

    @Override
    public void seedDailyCron(List<String> keys, Instant fireAt) {
        JobTasks tasks = new JobTasks(new ExecutionLog());
        var t = fireAt.atZone(ZoneOffset.UTC);
        String expression = "0 " + t.getMinute() + " " + t.getHour() + " * * *";
        withClient(tasks, client -> {
            List<SchedulableInstance<?>> chunk = new ArrayList<>(BATCH);
            for (int i = 0; i < keys.size(); i++) {
                chunk.add(tasks.cron.schedulableInstance(keys.get(i),
                        new PlainScheduleAndData(Schedules.cron(expression, ZoneOffset.UTC))));
                if (chunk.size() == BATCH || i == keys.size() - 1) {
                    client.scheduleBatch(chunk);
                    chunk.clear();
                }
            }
        });
    }

    private void withClient(JobTasks tasks, java.util.function.Consumer<SchedulerClient> work) {
        try (PostgresServer.CountedPool pool = postgres.pool(schema)) {
            work.accept(SchedulerClient.Builder.create(pool.dataSource(), tasks.all()).build());
        }
    }

    @Override
    public Instances start(int count, ExecutionLog log) {
        JobTasks tasks = new JobTasks(log);
        List<Scheduler> schedulers = new ArrayList<>();
        List<PostgresServer.CountedPool> pools = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            PostgresServer.CountedPool pool = postgres.pool(schema);
            pools.add(pool);
            SchedulerBuilder b = Scheduler.create(pool.dataSource(), tasks.all())
                    .schedulerName(new SchedulerName.Fixed("dbs-" + i))
                    .threads(settings.dbSchedulerThreads())
                    .pollingInterval(settings.pollInterval())
                    .shutdownMaxWait(Duration.ofSeconds(5));
            b = polling == Polling.LOCK_AND_FETCH ? b.pollUsingLockAndFetch(LOWER_LIMIT, UPPER_LIMIT)
                    : b.pollUsingFetch(LOWER_LIMIT, UPPER_LIMIT);
            schedulers.add(b.build());
        }
        schedulers.forEach(Scheduler::start);
        return new RunningSchedulers(schedulers, pools, tasks);
    }

    /** The two tasks every instance knows; both only record the instance id they ran for. */
    private static final class JobTasks {
        final OneTimeTask<Void> oneTime;
        final RecurringTaskWithPersistentSchedule<PlainScheduleAndData> cron;

        JobTasks(ExecutionLog log) {
            oneTime = Tasks.oneTime("job").execute((instance, ctx) -> log.record(instance.getId(), Instant.now()));
            cron = Tasks.recurringWithPersistentSchedule("cron-job", PlainScheduleAndData.class)
                    .execute((instance, ctx) -> log.record(instance.getId(), Instant.now()));
        }

        List<Task<?>> all() {
            return List.of(oneTime, cron);
        }
    }

    private static final class RunningSchedulers implements Instances {
        private final List<Scheduler> schedulers;
        private final List<PostgresServer.CountedPool> pools;
        private final JobTasks tasks;

        RunningSchedulers(List<Scheduler> schedulers, List<PostgresServer.CountedPool> pools, JobTasks tasks) {
            this.schedulers = schedulers;
            this.pools = pools;
            this.tasks = tasks;
        }

        @Override
        public void schedule(String key, Instant at) {
            schedulers.get(0).schedule(tasks.oneTime.instance(key), at);
        }

        @Override
        public long statements() {
            return pools.stream().mapToLong(PostgresServer.CountedPool::statements).sum();
        }

        @Override
        public void close() {
            schedulers.parallelStream().forEach(Scheduler::stop);
            pools.forEach(PostgresServer.CountedPool::close);
        }
    }
}
