package dev.wasched.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code wasched demo} end to end, as a newcomer runs it: a real Chromium against the simulator, the embedded H2
 * store, the import, the three kinds of schedule. It exits 0 only when every message was delivered exactly once.
 */
class DemoCommandTest {
    @TempDir
    Path dir;

    @Test
    void theDemoDeliversEveryMessageExactlyOnce() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = WaschedCli.execute(new String[]{"demo", "--dir", dir.toString(), "--no-qr"},
                new PrintWriter(out, true), new PrintWriter(err, true));
        assertThat(code).as(out + "\n" + err).isZero();
        assertThat(out.toString())
                .contains("account demo: READY")
                .contains("1 rejected").contains("INVALID_NUMBER")
                .contains("scheduled 6 messages")
                .contains("all 6 messages delivered, each exactly once");
        assertThat(out.toString().lines().filter(l -> l.matches("\\S{36}\\s+(DELIVERED|READ)\\s+\\+49.*"))).hasSize(6);
        assertThat(Files.exists(dir.resolve("db/wasched.mv.db"))).as("the demo kept its store in --dir").isTrue();
    }
}
