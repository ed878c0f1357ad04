package dev.wasched.examples.cli;

import com.microsoft.playwright.impl.driver.Driver;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code ./wasched ARGS} in a JVM of its own, as a shell would start it: through {@code sh} with the common umask 022,
 * so that the modes of the files it creates are the ones users get. Output goes to files, not pipes (on SIGTERM the
 * JDK closes a child's pipes, and the last lines would be lost).
 */
final class ForkedCli {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static Path driver;

    private ForkedCli() {
    }

    /** Starts {@code wasched args} in {@code dir} with {@code env} added to this JVM's environment. */
    static Started start(Path dir, Map<String, String> env, String... args) throws IOException {
        int n = COUNTER.incrementAndGet();
        Path out = dir.resolve("cli-" + n + ".out");
        Path err = dir.resolve("cli-" + n + ".err");
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of("sh", "-c", "umask 022; exec \"$0\" \"$@\"",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", classpath,
                WaschedCli.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectOutput(out.toFile())
                .redirectError(err.toFile());
        pb.environment().put("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        // Playwright runs the driver in PLAYWRIGHT_DRIVER_DIR when set; otherwise every JVM unpacks its own copy
        pb.environment().put("PLAYWRIGHT_DRIVER_DIR", playwrightDriver().toString());
        pb.environment().putAll(env);
        return new Started(pb.start(), out, err);
    }

    /** The Playwright driver this JVM unpacked (once, removed at exit), for the JVMs started here to share. */
    private static synchronized Path playwrightDriver() {
        if (driver == null) {
            driver = Driver.ensureDriverInstalled(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1"), false).driverDir();
        }
        return driver;
    }

    /** Runs {@code wasched args} to its end (at most a minute) and returns what it printed. */
    static CliResult run(Path dir, Map<String, String> env, String... args) throws Exception {
        Started s = start(dir, env, args);
        if (!s.process.waitFor(60, TimeUnit.SECONDS)) {
            s.process.destroyForcibly();
            throw new AssertionError("wasched " + String.join(" ", args) + " did not end\n" + s.describe());
        }
        return new CliResult(s.process.exitValue(), s.out(), s.err());
    }

    /** The mode of {@code p} as {@code ls} shows it, e.g. {@code rw-------}. */
    static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    record Started(Process process, Path outFile, Path errFile) {
        String out() {
            return read(outFile);
        }

        String err() {
            return read(errFile);
        }

        List<String> lines() {
            return out().lines().toList();
        }

        boolean printed(String text) {
            return out().contains(text);
        }

        String describe() {
            return out() + "\n--- stderr ---\n" + err();
        }

        private static String read(Path p) {
            try {
                return Files.readString(p, StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        }
    }
}
