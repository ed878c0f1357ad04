package dev.wasched.whatsapp.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Finds the browser to run and, when closing, every process it left behind. */
public final class BrowserProcesses {
    private static final Logger log = LoggerFactory.getLogger(BrowserProcesses.class);
    private static final List<String> PATH_CANDIDATES = List.of("chromium", "chromium-browser", "google-chrome");
    private static final Pattern USER_DATA_DIR = Pattern.compile("--user-data-dir=(\\S+)");
    private static final Path PROC = Path.of("/proc");

    private BrowserProcesses() {
    }

    /**
     * The Chromium to launch: the configured one, else {@code WASCHED_CHROMIUM}, else one on PATH; empty means
     * Playwright's managed browser.
     */
    public static Optional<Path> resolveExecutable(Path configured, Map<String, String> env) {
        if (configured != null) {
            return Optional.of(configured);
        }
        String fromEnv = env.get("WASCHED_CHROMIUM");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return Optional.of(Path.of(fromEnv.strip()));
        }
        String path = env.getOrDefault("PATH", "");
        for (String name : PATH_CANDIDATES) {
            for (String dir : path.split(java.io.File.pathSeparator)) {
                if (dir.isBlank()) {
                    continue;
                }
                Path candidate = Path.of(dir, name);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    /** Whether this JVM runs as root, where Chromium refuses its sandbox. */
    public static boolean runningAsRoot() {
        if ("root".equals(System.getProperty("user.name"))) {
            return true;
        }
        try {
            Object uid = Files.getAttribute(PROC.resolve("self"), "unix:uid");
            return uid instanceof Integer i && i == 0;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | SecurityException e) {
            return false;
        }
    }

    /**
     * A process's full command line. Chromium's child processes rewrite their arguments in a way
     * {@link ProcessHandle.Info#commandLine()} cannot parse, so on Linux {@code /proc/PID/cmdline} is read directly.
     */
    public static String commandLine(ProcessHandle p) {
        Path cmdline = PROC.resolve(Long.toString(p.pid())).resolve("cmdline");
        try {
            byte[] raw = Files.readAllBytes(cmdline);
            if (raw.length > 0) {
                return new String(raw, StandardCharsets.UTF_8).replace('\0', ' ').strip();
            }
        } catch (IOException | SecurityException e) {
            // not Linux, or the process is gone: fall back to what the JDK knows
        }
        return p.info().commandLine().orElse("");
    }

    /** Live processes whose command line contains {@code marker}. */
    public static List<ProcessHandle> withMarker(String marker) {
        return matching(cmd -> cmd.contains(marker));
    }

    private static List<ProcessHandle> matching(java.util.function.Predicate<String> test) {
        long self = ProcessHandle.current().pid();
        try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
            return all.filter(p -> p.pid() != self && p.isAlive()).filter(p -> test.test(commandLine(p))).toList();
        }
    }

    /**
     * Kills the browser started with {@code marker} on its command line: that process, everything below it, and every
     * process naming its profile directory (zygotes and renderers that outlived their parent).
     *
     * @return how many processes had to be killed
     */
    public static int killBrowser(String marker) {
        List<ProcessHandle> roots = withMarker(marker);
        if (roots.isEmpty()) {
            return 0;
        }
        Set<String> profiles = profileDirectories(roots);
        Set<ProcessHandle> victims = new LinkedHashSet<>();
        for (ProcessHandle root : roots) {
            victims.add(root);
            try (Stream<ProcessHandle> below = root.descendants()) {
                below.forEach(victims::add);
            }
        }
        if (!profiles.isEmpty()) {
            victims.addAll(matching(cmd -> profiles.stream().anyMatch(cmd::contains)));
        }
        return killAll(new ArrayList<>(victims));
    }

    /**
     * The profile directories ({@code --user-data-dir}) on the processes' command lines: the browser's own processes
     * name it, even those that left its process tree.
     */
    public static Set<String> profileDirectories(List<ProcessHandle> processes) {
        Set<String> profiles = new LinkedHashSet<>();
        for (ProcessHandle p : processes) {
            Matcher m = USER_DATA_DIR.matcher(commandLine(p));
            if (m.find()) {
                profiles.add(m.group(1));
            }
        }
        return profiles;
    }

    /** Kills a process and everything below it. */
    public static int killTree(ProcessHandle root) {
        List<ProcessHandle> victims = new ArrayList<>();
        try (Stream<ProcessHandle> below = root.descendants()) {
            below.forEach(victims::add);
        }
        victims.add(root);
        return killAll(victims);
    }

    private static int killAll(List<ProcessHandle> victims) {
        int killed = 0;
        for (ProcessHandle p : victims) {
            if (p.isAlive() && p.destroyForcibly()) {
                killed++;
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        for (ProcessHandle p : victims) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            try {
                p.onExit().get(left, TimeUnit.NANOSECONDS);
            } catch (Exception e) {
                log.debug("process {} did not report its exit: {}", p.pid(), e.toString());
            }
        }
        return killed;
    }

    /** Direct children of this JVM whose command line passes {@code test}, by pid. */
    public static Map<Long, ProcessHandle> jvmChildren(Function<String, Boolean> test) {
        Map<Long, ProcessHandle> out = new java.util.HashMap<>();
        try (Stream<ProcessHandle> children = ProcessHandle.current().children()) {
            children.filter(ProcessHandle::isAlive).filter(p -> test.apply(commandLine(p)))
                    .forEach(p -> out.put(p.pid(), p));
        }
        return out;
    }
}
