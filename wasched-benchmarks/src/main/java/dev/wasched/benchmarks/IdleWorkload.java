package dev.wasched.benchmarks;

import java.time.Duration;

/** W5: instances with nothing to do; the statements each one still executes per second. */
public final class IdleWorkload {
    private final BenchmarkSettings settings;

    public IdleWorkload(BenchmarkSettings settings) {
        this.settings = settings;
    }

    public record Result(String contender, int instances, Duration window, long statements) implements ContenderResult {
        public double perSecondPerInstance() {
            return statements / (window.toNanos() / 1e9) / instances;
        }
    }

    public Result run(Contender contender) throws InterruptedException {
        int n = settings.w5Instances();
        contender.prepare();
        try (Contender.Instances running = contender.start(n, new ExecutionLog())) {
            // Start-up work (schema checks, taking leases, first polls) is not idle work.
            Thread.sleep(settings.w5Warmup().toMillis());
            long before = running.statements();
            long t0 = System.nanoTime();
            Thread.sleep(settings.w5Window().toMillis());
            long statements = running.statements() - before;
            return new Result(contender.name(), n, Duration.ofNanos(System.nanoTime() - t0), statements);
        }
    }
}
