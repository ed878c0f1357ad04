package dev.wasched.whatsapp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wasched.ValidationException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Everything the transport relies on in WhatsApp Web's page, by key: CSS selectors, attribute names, status-icon
 * names, texts and the click-to-chat path. WhatsApp Web changes its DOM now and then; when it does, override the
 * affected keys from configuration instead of waiting for a release:
 *
 * <pre>{@code
 * SelectorProfile profile = SelectorProfile.defaults()
 *         .withOverride("sendButton", "button > span[data-icon=\"wds-ic-send-filled\"]");
 * }</pre>
 *
 * <p>The defaults are the versioned resource {@code dev/wasched/whatsapp/selectors-v1.json}; {@link #keys()} lists
 * every key. An override must name a known key and keep the placeholders ({@code {name}}, {@code {phone}}) of the
 * value it replaces, so a typo fails at configuration time rather than at the first send. Message text never goes
 * into a URL, so a click-to-chat path with a {@code {text}} placeholder is refused.
 * Instances are immutable.
 */
public final class SelectorProfile {
    /** The resource holding the default profile. */
    public static final String DEFAULT_RESOURCE = "/dev/wasched/whatsapp/selectors-v1.json";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{(name|phone|text)}");
    private static final int MAX_VALUE = 2_000;
    private static volatile SelectorProfile defaults;

    private final String name;
    private final int version;
    private final Map<String, String> values;
    private final Map<String, String> overridden;

    private SelectorProfile(String name, int version, Map<String, String> values, Map<String, String> overridden) {
        this.name = name;
        this.version = version;
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        this.overridden = Collections.unmodifiableMap(new LinkedHashMap<>(overridden));
    }

    /** The profile shipped with this release. */
    public static SelectorProfile defaults() {
        SelectorProfile d = defaults;
        if (d == null) {
            try (InputStream in = SelectorProfile.class.getResourceAsStream(DEFAULT_RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("selector profile resource " + DEFAULT_RESOURCE + " is missing");
                }
                JsonNode root = JSON.readTree(in);
                d = new SelectorProfile(root.path("profile").asText("whatsapp-web"), root.path("version").asInt(1),
                        flatten(root.path("selectors"), "selectors"), Map.of());
                defaults = d;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + DEFAULT_RESOURCE, e);
            }
        }
        return d;
    }

    /** This profile with one key replaced. */
    public SelectorProfile withOverride(String key, String value) {
        return withOverrides(Map.of(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value")));
    }

    /**
     * This profile with the given keys replaced; keys not given keep their value.
     *
     * @throws ValidationException naming the key, for an unknown key, a blank value or a lost placeholder
     */
    public SelectorProfile withOverrides(Map<String, String> overrides) {
        Objects.requireNonNull(overrides, "overrides");
        if (overrides.isEmpty()) {
            return this;
        }
        Map<String, String> next = new LinkedHashMap<>(values);
        Map<String, String> changed = new LinkedHashMap<>(overridden);
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            String key = e.getKey();
            String value = e.getValue();
            String field = "selectors." + key;
            if (!values.containsKey(key)) {
                throw new ValidationException(field, "unknown selector key; known keys: " + keys());
            }
            if (value == null || value.isBlank() || value.length() > MAX_VALUE) {
                throw new ValidationException(field, "needs 1 to " + MAX_VALUE + " characters");
            }
            Set<String> wanted = placeholders(values.get(key));
            if (!placeholders(value).equals(wanted)) {
                throw new ValidationException(field, "must contain exactly the placeholders "
                        + wanted.stream().map(p -> "{" + p + "}").toList());
            }
            next.put(key, value);
            changed.put(key, value);
        }
        return new SelectorProfile(name, version, next, changed);
    }

    /**
     * This profile with the overrides read from a JSON file: either a flat object of key/value pairs or one with a
     * {@code "selectors"} object, as in the default resource.
     */
    public SelectorProfile withOverrides(Path jsonFile) {
        try (InputStream in = Files.newInputStream(jsonFile)) {
            JsonNode root = JSON.readTree(in);
            JsonNode selectors = root.has("selectors") ? root.get("selectors") : root;
            return withOverrides(flatten(selectors, jsonFile.toString()));
        } catch (IOException e) {
            throw new ValidationException("selectorOverrides", "cannot read " + jsonFile + ": " + e.getMessage());
        }
    }

    /** The value of a key. */
    public String get(String key) {
        String v = values.get(key);
        if (v == null) {
            throw new IllegalArgumentException("unknown selector key '" + key + "'");
        }
        return v;
    }

    /** Every key, sorted. */
    public Set<String> keys() {
        return Collections.unmodifiableSet(new TreeSet<>(values.keySet()));
    }

    /** All keys and values, in the resource's order. */
    public Map<String, String> asMap() {
        return values;
    }

    /** The keys replaced by overrides, with their new values. */
    public Map<String, String> overrides() {
        return overridden;
    }

    /** The profile's name in the resource. */
    public String name() {
        return name;
    }

    /** The resource's format version. */
    public int version() {
        return version;
    }

    private static Map<String, String> flatten(JsonNode node, String where) {
        if (!node.isObject()) {
            throw new ValidationException("selectorOverrides", where + " is not a JSON object of key/value strings");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            if (!e.getValue().isTextual()) {
                throw new ValidationException("selectors." + e.getKey(), "must be a string");
            }
            out.put(e.getKey(), e.getValue().asText());
        }
        return out;
    }

    private static Set<String> placeholders(String value) {
        Set<String> found = new TreeSet<>();
        Matcher m = PLACEHOLDER.matcher(value);
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SelectorProfile p && values.equals(p.values) && name.equals(p.name) && version == p.version;
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return "SelectorProfile[" + name + " v" + version + ", " + values.size() + " keys, overridden=" + overridden.keySet()
                + "]";
    }
}
