package dev.wasched.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * {@code wasched demo} end to end, as a newcomer runs it: a real Chromium against the simulator, the embedded H2
 * store, the import, the three kinds of schedule. It exits 0 only when every message was delivered exactly once.
 */
@Execution(ExecutionMode.CONCURRENT) // waits most of its time for the cron minute
class DemoCommandTest {
    @TempDir
    Path dir;

    @Test
    void theDemoDeliversEveryMessageExactlyOnce() {
        CliResult r = CliResult.run("demo", "--dir", dir.toString(), "--no-qr");
        assertThat(r.code()).as(r.out() + "\n" + r.err()).isZero();
        assertThat(r.out())
                .contains("account demo: READY")
                .contains("1 rejected").contains("INVALID_NUMBER")
                .contains("scheduled 6 messages")
                .contains("all 6 messages delivered, each exactly once");
        assertThat(r.out().lines().filter(l -> l.matches("\\S{36}\\s+(DELIVERED|READ)\\s+\\+49.*"))).hasSize(6);
        assertThat(Files.exists(dir.resolve("db/wasched.mv.db"))).as("the demo kept its store in --dir").isTrue();
    }
}
