package dev.wasched.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * {@code wasched demo} end to end, as a newcomer runs it: a real Chromium against the simulator, the embedded H2
 * store, the import, the three kinds of schedule. It exits 0 only when every message was delivered exactly once.
 */
@Tag("browser")
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

    @Test
    void withStayItServesTheConsoleOnTheDemoUntilStopped() throws Exception {
        Path work = Files.createDirectories(dir.resolve("stay"));
        ForkedCli.Started demo = ForkedCli.start(work, java.util.Map.of(), "demo", "--dir", work.resolve("data")
                .toString(), "--no-qr", "--stay", "--port", "0");
        try {
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofMinutes(3))
                    .until(() -> demo.printed("console at http://127.0.0.1:") || !demo.process().isAlive());
            String line = demo.lines().stream().filter(l -> l.contains("console at ")).findFirst()
                    .orElseThrow(() -> new AssertionError(demo.lines()));
            assertThat(demo.lines()).anyMatch(l -> l.contains("all 6 messages delivered, each exactly once"));
            java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                    "console at (\\S+) \\(user (\\S+), password (\\S+)\\)").matcher(line);
            assertThat(m.find()).as(line).isTrue();
            java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
            java.net.http.HttpResponse<String> page = http.send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(m.group(1))).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(page.body()).contains("<title>wasched</title>");
            java.net.http.HttpResponse<String> in = http.send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(m.group(1) + "api/v1/session")).header("Content-Type", "application/json")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"user\":\"" + m.group(2)
                            + "\",\"password\":\"" + m.group(3) + "\"}")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(in.statusCode()).as(in.body()).isEqualTo(200);
            assertThat(demo.process().isAlive()).as("it keeps running").isTrue();
        } finally {
            demo.process().destroy();
            assertThat(demo.process().waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        }
    }
}
