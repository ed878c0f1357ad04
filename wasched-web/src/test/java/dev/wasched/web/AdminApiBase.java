package dev.wasched.web;

import dev.wasched.WaschedBuilder;
import dev.wasched.access.Role;
import dev.wasched.memory.InMemoryStore;
import dev.wasched.policy.PacingPolicy;
import dev.wasched.testkit.SettableClock;
import dev.wasched.testkit.transport.RecordingTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A fresh API for each test over an in-memory store, with the account {@code shop} on a recording transport (no
 * pacing, numbers read as German), on a settable clock, and an administrator's machine ({@code api}) calling it.
 */
abstract class AdminApiBase {
    protected final SettableClock clock = SettableClock.at("2026-06-01T08:00:00Z");
    protected final RecordingTransport transport = new RecordingTransport("shop");
    protected WebFixture web;
    protected WebFixture.Caller api;

    @BeforeEach
    void start() throws Exception {
        web = new WebFixture(new InMemoryStore(), clock, b -> configure(b.transport(transport)
                .pacing(PacingPolicy.unlimited()).defaultRegion("DE")));
        api = web.machine(Role.ADMIN);
    }

    /** More configuration for a test class; none by default. */
    protected WaschedBuilder configure(WaschedBuilder b) {
        return b;
    }

    @AfterEach
    void stop() throws Exception {
        web.close();
    }
}
