package dev.wasched.spring.boot.internal;

import dev.wasched.telegram.TelegramController;
import org.springframework.context.SmartLifecycle;

/** Runs the Telegram controller while wasched runs: it starts after wasched and stops before it. */
public final class TelegramLifecycle implements SmartLifecycle {
    private final TelegramController controller;
    private final boolean autoStartup;

    public TelegramLifecycle(TelegramController controller, boolean autoStartup) {
        this.controller = controller;
        this.autoStartup = autoStartup;
    }

    @Override
    public void start() {
        controller.start();
    }

    @Override
    public void stop() {
        controller.close();
    }

    @Override
    public boolean isRunning() {
        return controller.isRunning();
    }

    @Override
    public boolean isAutoStartup() {
        return autoStartup;
    }

    @Override
    public int getPhase() {
        return WaschedLifecycle.PHASE + 1;
    }
}
