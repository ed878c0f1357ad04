package dev.wasched.spring.boot.internal;

import dev.wasched.Wasched;
import dev.wasched.spring.boot.WaschedProperties;
import org.springframework.context.SmartLifecycle;

/**
 * Starts wasched with the application context, registers the accounts the properties declare, and stops it
 * gracefully (sends in flight finish within {@code wasched.shutdown-timeout}, claims and leases are handed back).
 */
public final class WaschedLifecycle implements SmartLifecycle {
    /**
     * Below the web server's phases: wasched runs before the server takes requests and stops after the server has
     * finished them, so the console never talks to a stopped engine.
     */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

    private final Wasched wasched;
    private final WaschedProperties properties;
    private volatile boolean running;

    public WaschedLifecycle(Wasched wasched, WaschedProperties properties) {
        this.wasched = wasched;
        this.properties = properties;
    }

    @Override
    public void start() {
        wasched.start();
        running = true;
        DeclaredAccounts.register(wasched, properties);
    }

    @Override
    public void stop() {
        running = false;
        wasched.close();
    }

    @Override
    public void stop(Runnable callback) {
        running = false;
        // On its own thread so other beans of this phase stop meanwhile; Spring waits for the callback up to
        // spring.lifecycle.timeout-per-shutdown-phase (30 s by default, more than wasched's own shutdown timeout).
        Thread stopper = new Thread(() -> {
            try {
                wasched.close();
            } finally {
                callback.run();
            }
        }, "wasched-stop");
        stopper.start();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public boolean isAutoStartup() {
        return properties.isAutoStartup();
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
