package dev.wasched.spring.boot.internal;

import org.springframework.context.SmartLifecycle;

/**
 * Runs a part of wasched while the application context runs: started with it, stopped with it on a thread of its
 * own, so other beans of the same phase stop meanwhile (Spring waits for all of them up to
 * {@code spring.lifecycle.timeout-per-shutdown-phase}, 30 s by default).
 */
public final class ContextLifecycle implements SmartLifecycle {
    /**
     * wasched's phase, below the web server's: it runs before the server takes requests and stops after the server
     * has finished them, so the console never talks to a stopped engine.
     */
    public static final int WASCHED_PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

    /** What runs on wasched (Telegram): it starts after wasched and stops before it. */
    public static final int ON_WASCHED_PHASE = WASCHED_PHASE + 1;

    private final String name;
    private final int phase;
    private final boolean autoStartup;
    private final Runnable start;
    private final Runnable stop;
    private volatile boolean running;

    public ContextLifecycle(String name, int phase, boolean autoStartup, Runnable start, Runnable stop) {
        this.name = name;
        this.phase = phase;
        this.autoStartup = autoStartup;
        this.start = start;
        this.stop = stop;
    }

    @Override
    public void start() {
        start.run();
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        stop.run();
    }

    @Override
    public void stop(Runnable callback) {
        running = false;
        Thread stopper = new Thread(() -> {
            try {
                stop.run();
            } finally {
                callback.run();
            }
        }, name + "-stop");
        stopper.start();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public boolean isAutoStartup() {
        return autoStartup;
    }

    @Override
    public int getPhase() {
        return phase;
    }
}
