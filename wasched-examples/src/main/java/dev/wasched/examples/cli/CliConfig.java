package dev.wasched.examples.cli;

import dev.wasched.Secret;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The CLI's configuration: a properties file (see {@code wasched.sample.properties}); secrets are never in the file,
 * only the names of the environment variables that hold them ({@code *.env} keys).
 */
public final class CliConfig {
    /** Where the embedded store lives when nothing else is configured. */
    public static final String DEFAULT_STORE = "h2:./wasched-data/wasched";

    private final Properties props;
    private final Map<String, String> env;
    private final String source;

    CliConfig(Properties props, Map<String, String> env, String source) {
        this.props = props;
        this.env = env;
        this.source = source;
    }

    /** Reads {@code file}; with null, the defaults (embedded H2 store, no accounts). */
    public static CliConfig load(Path file, Map<String, String> env) {
        Properties p = new Properties();
        if (file == null) {
            return new CliConfig(p, env, "defaults");
        }
        if (!Files.isRegularFile(file)) {
            throw new ConfigException("configuration file not found: " + file);
        }
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException("cannot read configuration " + file + ": " + e.getMessage());
        }
        return new CliConfig(p, env, file.toString());
    }

    /**
     * This configuration with a registered account's settings laid over it, as {@code SECTION.ACCOUNT.KEY}
     * ({@code whatsapp} or {@code cloud}): an account added at run time is configured like one in the file.
     */
    public CliConfig forAccount(String section, String account, Map<String, String> settings) {
        Properties p = new Properties();
        p.putAll(props);
        settings.forEach((k, v) -> p.setProperty(section + "." + account + "." + k, v));
        return new CliConfig(p, env, source);
    }

    public String source() {
        return source;
    }

    public Optional<String> get(String key) {
        String v = props.getProperty(key);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.strip());
    }

    public String get(String key, String fallback) {
        return get(key).orElse(fallback);
    }

    /** The keys that start with {@code prefix} and have a value (as {@link #get(String)} sees them), sorted. */
    public List<String> keysStartingWith(String prefix) {
        return props.stringPropertyNames().stream().filter(k -> k.startsWith(prefix) && get(k).isPresent()).sorted()
                .toList();
    }

    /** A secret named by {@code key + ".env"}: the value of that environment variable. */
    public Optional<Secret> secret(String key) {
        Optional<String> variable = get(key + ".env");
        if (variable.isEmpty()) {
            if (get(key).isPresent()) {
                throw new ConfigException(key + ": secrets are not read from the file; set " + key
                        + ".env to the name of an environment variable instead");
            }
            return Optional.empty();
        }
        String value = env.get(variable.get());
        if (value == null || value.isEmpty()) {
            throw new ConfigException(key + ".env names environment variable " + variable.get() + ", which is not set");
        }
        return Optional.of(Secret.of(value));
    }

    public String storeUrl() {
        return get("store.url", DEFAULT_STORE);
    }

    /**
     * Where this instance keeps its local files (the session key file): the embedded store's directory, else
     * {@code ./wasched-data}.
     */
    public Path dataDirectory() {
        String url = storeUrl();
        if (url.startsWith("h2:")) {
            Path parent = Path.of(url.substring(3)).getParent();
            return parent != null ? parent : Path.of(".");
        }
        return Path.of("wasched-data");
    }

    public Optional<String> defaultRegion() {
        return get("defaultRegion");
    }

    public ZoneId zone() {
        String z = get("zone", ZoneId.systemDefault().getId());
        try {
            return ZoneId.of(z);
        } catch (DateTimeException e) {
            throw new ConfigException("zone: unknown time zone '" + z + "'");
        }
    }

    public List<String> accounts() {
        return list("accounts");
    }

    public List<String> list(String key) {
        return get(key).map(v -> Arrays.stream(v.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList())
                .orElse(new ArrayList<>());
    }

    public Duration duration(String key, Duration fallback) {
        Optional<String> v = get(key);
        if (v.isEmpty()) {
            return fallback;
        }
        try {
            return Duration.parse(v.get());
        } catch (java.time.format.DateTimeParseException e) {
            throw new ConfigException(key + ": not an ISO-8601 duration such as PT15S: '" + v.get() + "'");
        }
    }

    public int integer(String key, int fallback) {
        Optional<String> v = get(key);
        try {
            return v.map(Integer::parseInt).orElse(fallback);
        } catch (NumberFormatException e) {
            throw new ConfigException(key + ": not a whole number: '" + v.get() + "'");
        }
    }

    public boolean bool(String key, boolean fallback) {
        Optional<String> v = get(key);
        if (v.isEmpty()) {
            return fallback;
        }
        return switch (v.get().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw new ConfigException(key + ": expected true or false, was '" + v.get() + "'");
        };
    }
}
