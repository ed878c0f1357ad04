package dev.wasched.whatsapp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wasched.ValidationException;
import dev.wasched.whatsapp.internal.ProfilePacks;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Everything the transport relies on in WhatsApp Web's page, by key: CSS selectors, attribute names, status names,
 * texts and the click-to-chat path. Each key holds an ordered list of <em>candidates</em>; on the page the first
 * candidate that matches wins, so one profile serves WhatsApp Web releases (and user cohorts) that differ. The
 * shipped profile holds the older forms and the ones seen in 2025-26 side by side.
 *
 * <p>WhatsApp Web changes its DOM now and then; when it does, put the new form in front of the shipped ones instead
 * of waiting for a release, or replace a key outright:
 *
 * <pre>{@code
 * SelectorProfile profile = SelectorProfile.defaults()
 *         .withPrepended("sendButton", "button[aria-label=\"Send message\"]")   // tried first, shipped ones after
 *         .withOverride("searchBox", "#side input[role=\"textbox\"]");           // the only candidate
 * }</pre>
 *
 * <p>A profile is a versioned <em>pack</em>: a JSON document with a name, a version, optionally the range of WhatsApp
 * Web builds it is known to work with, and the candidates per key. Load one with {@link #fromClasspath(String)},
 * {@link #fromFile(Path)} or {@link #fromUrl(URI, String)} (pinned by SHA-256); {@link #defaults()} is the pack
 * shipped with this release ({@value #DEFAULT_RESOURCE}). Keys a pack leaves out keep the shipped candidates. Files
 * of the first format, one string per key, still load: each string is a one-candidate list.
 *
 * <p>Every candidate of an override or a pack must name a known key and keep the placeholders ({@code {name}},
 * {@code {phone}}) of the shipped value, so a typo fails at configuration time rather than at the first send.
 * Message text never goes into a URL, so a click-to-chat path with a {@code {text}} placeholder is refused.
 * Instances are immutable.
 */
public final class SelectorProfile {
    /** The resource holding the default profile. */
    public static final String DEFAULT_RESOURCE = "/dev/wasched/whatsapp/selectors-v2.json";

    /** Most candidates one key may hold. */
    public static final int MAX_CANDIDATES = 16;

    /**
     * Keys whose candidates are not CSS selectors (attribute names, status names, texts, a storage key, a path):
     * they are read by the transport's extractors, not matched as selectors.
     */
    private static final Set<String> NOT_SELECTORS = Set.of("qrCodeAttribute", "linkWithPhoneText",
            "pairingCodeAttribute", "linkedNumberStorageKey", "clickToChatPath", "invalidNumberText",
            "messageIdAttribute", "messageMediaNameAttribute", "statusIconAttribute", "iconPending", "iconSent",
            "iconDelivered", "iconRead", "iconReadWhenBlue", "chatIdAttribute", "senderAndTimeAttribute",
            "chatSearchSectionText", "dismissText", "whatsNewText", "passkeyText", "conflictText",
            "useHereText", "restrictedText", "offlineText", "stayLoggedInText");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{(name|phone|text)}");
    private static final int MAX_VALUE = 2_000;
    private static volatile SelectorProfile defaults;

    private final String name;
    private final String packVersion;
    private final int format;
    private final String minimumWebBuild;
    private final String maximumWebBuild;
    private final String source;
    private final Map<String, List<String>> candidates;
    private final Map<String, List<String>> overridden;

    private SelectorProfile(ProfilePacks.Pack pack, Map<String, List<String>> candidates,
                            Map<String, List<String>> overridden) {
        this.name = pack.name();
        this.packVersion = pack.version();
        this.format = pack.format();
        this.minimumWebBuild = pack.minimumWebBuild();
        this.maximumWebBuild = pack.maximumWebBuild();
        this.source = pack.source();
        this.candidates = freeze(candidates);
        this.overridden = freeze(overridden);
    }

    /** The profile shipped with this release. */
    public static SelectorProfile defaults() {
        SelectorProfile d = defaults;
        if (d == null) {
            try (InputStream in = SelectorProfile.class.getResourceAsStream(DEFAULT_RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("selector profile resource " + DEFAULT_RESOURCE + " is missing");
                }
                ProfilePacks.Pack pack = ProfilePacks.parse(in.readAllBytes(), "classpath:" + DEFAULT_RESOURCE);
                d = new SelectorProfile(pack, pack.candidates(), Map.of());
                defaults = d;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + DEFAULT_RESOURCE, e);
            }
        }
        return d;
    }

    /**
     * A pack from the classpath, for example one shipped in the host application's own jar.
     *
     * @param resource an absolute resource name such as {@code /com/example/whatsapp-2027.json}
     * @throws ValidationException when it is missing or not a valid pack
     */
    public static SelectorProfile fromClasspath(String resource) {
        Objects.requireNonNull(resource, "resource");
        String name = resource.startsWith("/") ? resource : "/" + resource;
        try (InputStream in = SelectorProfile.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new ValidationException("selectorProfile", "no classpath resource " + name);
            }
            return fromPack(ProfilePacks.parse(ProfilePacks.readCapped(in, name), "classpath:" + name));
        } catch (IOException e) {
            throw new ValidationException("selectorProfile", "cannot read classpath resource " + name + ": "
                    + e.getMessage());
        }
    }

    /**
     * A pack from a file (either format).
     *
     * @throws ValidationException when it cannot be read or is not a valid pack, naming the problem
     */
    public static SelectorProfile fromFile(Path file) {
        Objects.requireNonNull(file, "file");
        try (InputStream in = Files.newInputStream(file)) {
            return fromPack(ProfilePacks.parse(ProfilePacks.readCapped(in, file.toString()), "file:" + file));
        } catch (IOException e) {
            throw new ValidationException("selectorProfile", "cannot read " + file + ": " + e.getMessage());
        }
    }

    /**
     * A pack downloaded from {@code uri} and accepted only when its bytes have the given SHA-256, so a pack published
     * once cannot be swapped under a running installation. Only {@code https} is accepted, or plain {@code http} to
     * a loopback address; the download is capped in size ({@value ProfilePacks#MAX_BYTES} bytes) and time (10 s to
     * connect, 20 s in all), and redirects are not followed.
     *
     * @param sha256 the expected SHA-256 of the pack's bytes, 64 hex digits
     * @throws ValidationException for a refused address, a malformed pin, a pack whose hash differs from the pin, an
     *                             oversized or invalid pack
     * @throws UncheckedIOException when the download fails (unreachable, timeout, a status other than 200)
     */
    public static SelectorProfile fromUrl(URI uri, String sha256) {
        return fromPack(ProfilePacks.download(uri, sha256));
    }

    private static SelectorProfile fromPack(ProfilePacks.Pack pack) {
        Map<String, List<String>> shipped = defaults().candidates;
        Map<String, List<String>> merged = new LinkedHashMap<>(shipped);
        for (Map.Entry<String, List<String>> e : pack.candidates().entrySet()) {
            merged.put(e.getKey(), checked(shipped, e.getKey(), e.getValue()));
        }
        return new SelectorProfile(pack, merged, Map.of());
    }

    /** This profile with one key's candidates replaced by the single {@code value}. */
    public SelectorProfile withOverride(String key, String value) {
        return withOverrides(Map.of(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value")));
    }

    /** This profile with one key's candidates replaced by {@code values}, tried in that order. */
    public SelectorProfile withCandidates(String key, List<String> values) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(values, "values");
        return with(Map.of(key, List.copyOf(values)), false);
    }

    /** This profile with {@code value} tried before the key's current candidates (dropped from them if present). */
    public SelectorProfile withPrepended(String key, String value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        return with(Map.of(key, List.of(value)), true);
    }

    /**
     * This profile with the given keys replaced, each by a single candidate; keys not given keep their candidates.
     *
     * @throws ValidationException naming the key, for an unknown key, a blank value or a lost placeholder
     */
    public SelectorProfile withOverrides(Map<String, String> overrides) {
        Objects.requireNonNull(overrides, "overrides");
        Map<String, List<String>> lists = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            List<String> one = new ArrayList<>(1);
            one.add(e.getValue());
            lists.put(e.getKey(), one);
        }
        return with(lists, false);
    }

    /**
     * This profile with the overrides read from a JSON file: either a flat object of keys or one with a
     * {@code "selectors"} object, as in a pack. A key's value is a string (the only candidate), an array (the
     * candidates, in order) or {@code {"prepend": "..."}} / {@code {"prepend": [...]}} (tried before the current
     * candidates).
     */
    public SelectorProfile withOverrides(Path jsonFile) {
        JsonNode root;
        try (InputStream in = Files.newInputStream(jsonFile)) {
            root = JSON.readTree(ProfilePacks.readCapped(in, jsonFile.toString()));
        } catch (IOException e) {
            throw new ValidationException("selectorOverrides", "cannot read " + jsonFile + ": " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new ValidationException("selectorOverrides", jsonFile + " is not a JSON object");
        }
        JsonNode selectors = root.has("selectors") ? root.get("selectors") : root;
        if (!selectors.isObject()) {
            throw new ValidationException("selectorOverrides", jsonFile + ": selectors is not a JSON object");
        }
        SelectorProfile p = this;
        Map<String, List<String>> replaced = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : selectors.properties()) {
            JsonNode v = e.getValue();
            if (v.isObject() && v.has("prepend")) {
                List<String> front = ProfilePacks.strings(v.get("prepend"), e.getKey());
                p = p.with(Map.of(e.getKey(), front), true);
            } else {
                replaced.put(e.getKey(), ProfilePacks.strings(v, e.getKey()));
            }
        }
        return p.with(replaced, false);
    }

    private SelectorProfile with(Map<String, List<String>> changes, boolean prepend) {
        if (changes.isEmpty()) {
            return this;
        }
        Map<String, List<String>> next = new LinkedHashMap<>(candidates);
        Map<String, List<String>> changed = new LinkedHashMap<>(overridden);
        for (Map.Entry<String, List<String>> e : changes.entrySet()) {
            String key = e.getKey();
            List<String> values = e.getValue();
            if (prepend && candidates.containsKey(key)) {
                List<String> joined = new ArrayList<>(values);
                for (String old : candidates.get(key)) {
                    if (!joined.contains(old)) {
                        joined.add(old);
                    }
                }
                values = joined;
            }
            List<String> ok = checked(candidates, key, values);
            next.put(key, ok);
            changed.put(key, ok);
        }
        return new SelectorProfile(packInfo(), next, changed);
    }

    private ProfilePacks.Pack packInfo() {
        return new ProfilePacks.Pack(format, name, packVersion, minimumWebBuild, maximumWebBuild, source, Map.of());
    }

    /** Validates a key's candidates against the reference map, which holds every known key. */
    private static List<String> checked(Map<String, List<String>> reference, String key, List<String> values) {
        String field = "selectors." + key;
        if (!reference.containsKey(key)) {
            throw new ValidationException(field, "unknown selector key; known keys: " + new TreeSet<>(reference.keySet()));
        }
        if (values == null || values.isEmpty() || values.size() > MAX_CANDIDATES) {
            throw new ValidationException(field, "needs 1 to " + MAX_CANDIDATES + " candidates");
        }
        Set<String> wanted = placeholders(reference.get(key).get(0));
        List<String> out = new ArrayList<>(values.size());
        for (int i = 0; i < values.size(); i++) {
            String value = values.get(i);
            String where = values.size() == 1 ? field : field + "[" + i + "]";
            if (value == null || value.isBlank() || value.length() > MAX_VALUE) {
                throw new ValidationException(where, "needs 1 to " + MAX_VALUE + " characters");
            }
            if (!placeholders(value).equals(wanted)) {
                throw new ValidationException(where, "must contain exactly the placeholders "
                        + wanted.stream().map(p -> "{" + p + "}").toList());
            }
            if (!out.contains(value)) {
                out.add(value);
            }
        }
        return List.copyOf(out);
    }

    /** The first candidate of a key (what a one-value profile held). */
    public String get(String key) {
        return candidates(key).get(0);
    }

    /** The candidates of a key, in the order they are tried. */
    public List<String> candidates(String key) {
        List<String> v = candidates.get(key);
        if (v == null) {
            throw new IllegalArgumentException("unknown selector key '" + key + "'");
        }
        return v;
    }

    /** Every key, sorted. */
    public Set<String> keys() {
        return Collections.unmodifiableSet(new TreeSet<>(candidates.keySet()));
    }

    /** The keys whose candidates are CSS selectors (the others are names, texts or a path read by extractors). */
    public Set<String> selectorKeys() {
        Set<String> out = new TreeSet<>(candidates.keySet());
        out.removeAll(NOT_SELECTORS);
        return Collections.unmodifiableSet(out);
    }

    /** Whether a key's candidates are CSS selectors. */
    public boolean isSelectorKey(String key) {
        candidates(key);
        return !NOT_SELECTORS.contains(key);
    }

    /** Every key with its first candidate, in the pack's order. */
    public Map<String, String> asMap() {
        Map<String, String> out = new LinkedHashMap<>();
        candidates.forEach((k, v) -> out.put(k, v.get(0)));
        return Collections.unmodifiableMap(out);
    }

    /** Every key with its candidates, in the pack's order. */
    public Map<String, List<String>> asCandidateMap() {
        return candidates;
    }

    /** The keys changed by overrides, with their new first candidate. */
    public Map<String, String> overrides() {
        Map<String, String> out = new LinkedHashMap<>();
        overridden.forEach((k, v) -> out.put(k, v.get(0)));
        return Collections.unmodifiableMap(out);
    }

    /** The keys changed by overrides, with all their candidates. */
    public Map<String, List<String>> overriddenCandidates() {
        return overridden;
    }

    /** The pack's name. */
    public String name() {
        return name;
    }

    /** The pack's own version, such as {@code 2026.12.0} (for health and probe output). */
    public String packVersion() {
        return packVersion;
    }

    /** The pack's format: 1 for one value per key, 2 for candidate lists. */
    public int formatVersion() {
        return format;
    }

    /**
     * The pack's format.
     *
     * @deprecated use {@link #formatVersion()}; the pack's own version is {@link #packVersion()}
     */
    @Deprecated
    public int version() {
        return format;
    }

    /** The oldest WhatsApp Web build the pack says it was checked against, if it says. */
    public Optional<String> minimumWebBuild() {
        return Optional.ofNullable(minimumWebBuild);
    }

    /** The newest WhatsApp Web build the pack says it was checked against, if it says. */
    public Optional<String> maximumWebBuild() {
        return Optional.ofNullable(maximumWebBuild);
    }

    /** Where the pack came from: {@code classpath:...}, {@code file:...} or the URL. */
    public String source() {
        return source;
    }

    /** Name and version, with a mark when overrides changed it, e.g. {@code whatsapp-web 2026.12.0 (+2 overrides)}. */
    public String describe() {
        return name + " " + packVersion + (overridden.isEmpty() ? "" : " (+" + overridden.size() + " overrides)");
    }

    private static Map<String, List<String>> freeze(Map<String, List<String>> m) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, List.copyOf(v)));
        return Collections.unmodifiableMap(out);
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
        return o instanceof SelectorProfile p && candidates.equals(p.candidates) && name.equals(p.name)
                && packVersion.equals(p.packVersion) && format == p.format;
    }

    @Override
    public int hashCode() {
        return candidates.hashCode();
    }

    @Override
    public String toString() {
        return "SelectorProfile[" + name + " " + packVersion + " (format " + format + "), " + candidates.size()
                + " keys, overridden=" + overridden.keySet() + "]";
    }
}
