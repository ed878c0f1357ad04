package dev.wasched.internal.jobs;

import dev.wasched.WaschedException;
import dev.wasched.internal.engine.Threads;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs contact jobs (imports, registration checks) on a few wasched-owned daemon threads, never on the caller's,
 * and remembers them so they can be looked up by id. Closing cancels every job and waits a bounded time.
 */
public final class JobRunner {
    private static final Logger log = LoggerFactory.getLogger(JobRunner.class);
    /** Jobs are long and mostly wait on I/O or pacing; a few at a time keeps the store and the accounts calm. */
    private static final int THREADS = 4;
    private static final int KEEP_FINISHED = 50;

    private final ThreadPoolExecutor executor;
    private final Map<String, BackgroundJob<?, ?>> jobs = new LinkedHashMap<>();
    private volatile boolean closed;

    public JobRunner() {
        executor = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                Threads.named("wasched-contact-job"));
        // Threads exist only while jobs do: an instance that never imports holds no thread for it.
        executor.allowCoreThreadTimeOut(true);
    }

    /** Queues the job; it starts as soon as a job thread is free. */
    public <J extends BackgroundJob<?, ?>> J submit(J job) {
        synchronized (jobs) {
            if (closed) {
                throw new WaschedException("this wasched instance is closed; jobs cannot start");
            }
            jobs.put(job.id(), job);
            prune(job.getClass());
        }
        try {
            executor.execute(job::runSafely);
        } catch (RejectedExecutionException e) {
            job.abort("wasched is closing", null);
        }
        return job;
    }

    /** Forgets the oldest finished jobs of one kind beyond {@link #KEEP_FINISHED}. */
    private void prune(Class<?> kind) {
        long finished = jobs.values().stream().filter(j -> j.getClass() == kind && j.finished()).count();
        for (Iterator<BackgroundJob<?, ?>> it = jobs.values().iterator(); it.hasNext() && finished > KEEP_FINISHED; ) {
            BackgroundJob<?, ?> j = it.next();
            if (j.getClass() == kind && j.finished()) {
                it.remove();
                finished--;
            }
        }
    }

    public <J> Optional<J> find(String id, Class<J> type) {
        synchronized (jobs) {
            BackgroundJob<?, ?> j = id == null ? null : jobs.get(id);
            return type.isInstance(j) ? Optional.of(type.cast(j)) : Optional.empty();
        }
    }

    public <J> List<J> list(Class<J> type) {
        synchronized (jobs) {
            List<J> out = new ArrayList<>();
            jobs.values().stream().filter(type::isInstance).map(type::cast).forEach(out::add);
            return out;
        }
    }

    /** Cancels every job, waits up to {@code timeout} for them to stop, then completes any that did not. */
    public void close(Duration timeout) {
        List<BackgroundJob<?, ?>> all;
        synchronized (jobs) {
            if (closed) {
                return;
            }
            closed = true;
            all = new ArrayList<>(jobs.values());
        }
        all.forEach(j -> j.cancel("wasched is closing"));
        executor.shutdown();
        try {
            if (!executor.awaitTermination(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS)) {
                log.warn("contact jobs still busy after {}; interrupting them", timeout);
                executor.shutdownNow();
                executor.awaitTermination(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            executor.shutdownNow();
        }
        for (BackgroundJob<?, ?> j : all) {
            if (!j.finished()) {
                j.abort("wasched is closing", null);
            }
        }
    }
}
