package dev.wasched.whatsapp.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wasched.ValidationException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reading selector profile packs: the JSON formats, the size cap, and the pinned download. Checking the keys and
 * candidates against the shipped profile is left to {@link dev.wasched.whatsapp.SelectorProfile}.
 */
public final class ProfilePacks {
    /** The largest pack accepted, from any source. Packs are a few kilobytes; this leaves ample room. */
    public static final int MAX_BYTES = 256 * 1024;

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    static final Duration DOWNLOAD_TIMEOUT = Duration.ofSeconds(20);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SHA256 = Pattern.compile("[0-9a-fA-F]{64}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private ProfilePacks() {
    }

    /**
     * A pack as read: its identity and the candidates it lists (not yet checked against the known keys).
     *
     * @param format          1 (one string per key) or 2 (candidate lists)
     * @param version         the pack's own version ({@code "1"} for a format-1 file without one)
     * @param minimumWebBuild oldest WhatsApp Web build the pack was checked against, or null
     * @param maximumWebBuild newest WhatsApp Web build the pack was checked against, or null
     */
    public record Pack(int format, String name, String version, String minimumWebBuild, String maximumWebBuild,
                       String source, Map<String, List<String>> candidates) {
    }

    /**
     * Parses a pack of either format. Format 2: {@code {"format": 2, "name", "version", "webBuilds": {"minimum",
     * "maximum"}, "selectors": {key: [candidates]}}}. Format 1: {@code {"profile", "version": 1, "selectors": {key:
     * "value"}}}.
     */
    public static Pack parse(byte[] bytes, String source) {
        JsonNode root;
        try {
            root = JSON.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new ValidationException("selectorProfile", source + " is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (root == null || !root.isObject()) {
            throw new ValidationException("selectorProfile", source + " is not a JSON object");
        }
        int format = root.has("format") ? root.get("format").asInt(-1) : 1;
        if (format != 1 && format != 2) {
            throw new ValidationException("selectorProfile", source + ": unknown format " + root.get("format")
                    + "; this release reads formats 1 and 2");
        }
        String name = text(root, format == 1 && !root.has("name") ? "profile" : "name", "whatsapp-web");
        if (!NAME.matcher(name).matches()) {
            throw new ValidationException("selectorProfile.name", "needs 1 to 64 letters, digits, '.', '_' or '-'");
        }
        JsonNode v = root.get("version");
        String version = v == null || v.isNull() ? "1" : v.asText();
        if (version.isBlank() || version.length() > 64) {
            throw new ValidationException("selectorProfile.version", "needs 1 to 64 characters");
        }
        JsonNode builds = root.path("webBuilds");
        String min = builds.hasNonNull("minimum") ? builds.get("minimum").asText() : null;
        String max = builds.hasNonNull("maximum") ? builds.get("maximum").asText() : null;
        JsonNode selectors = root.get("selectors");
        if (selectors == null || !selectors.isObject()) {
            throw new ValidationException("selectorProfile", source + " has no \"selectors\" object");
        }
        Map<String, List<String>> candidates = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : selectors.properties()) {
            candidates.put(e.getKey(), strings(e.getValue(), e.getKey()));
        }
        return new Pack(format, name, version, min, max, source, candidates);
    }

    /** A string (one candidate) or an array of strings (the candidates) as a list. */
    public static List<String> strings(JsonNode node, String key) {
        String field = "selectors." + key;
        if (node != null && node.isTextual()) {
            return List.of(node.asText());
        }
        if (node == null || !node.isArray()) {
            throw new ValidationException(field, "must be a string or an array of strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode c : node) {
            if (!c.isTextual()) {
                throw new ValidationException(field, "must be a string or an array of strings");
            }
            out.add(c.asText());
        }
        return out;
    }

    /** Reads at most {@link #MAX_BYTES}; more is refused rather than cut off. */
    public static byte[] readCapped(InputStream in, String what) throws IOException {
        byte[] bytes = in.readNBytes(MAX_BYTES + 1);
        if (bytes.length > MAX_BYTES) {
            throw new ValidationException("selectorProfile", what + " is larger than " + MAX_BYTES + " bytes");
        }
        return bytes;
    }

    /** Downloads and parses a pack, refusing it unless its SHA-256 is {@code sha256}. */
    public static Pack download(URI uri, String sha256) {
        if (uri == null) {
            throw new ValidationException("selectorProfileUrl", "is required");
        }
        if (sha256 == null || !SHA256.matcher(sha256.strip()).matches()) {
            throw new ValidationException("selectorProfileSha256", "needs the pack's SHA-256 as 64 hex digits");
        }
        checkAddress(uri);
        HttpClient client = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER).build();
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(DOWNLOAD_TIMEOUT).GET().build();
        byte[] bytes;
        try {
            HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                if (response.statusCode() != 200) {
                    throw new UncheckedIOException(new IOException("selector profile download from " + uri
                            + " answered HTTP " + response.statusCode()));
                }
                long declared = response.headers().firstValueAsLong("content-length").orElse(-1);
                if (declared > MAX_BYTES) {
                    throw new ValidationException("selectorProfileUrl", uri + " is larger than " + MAX_BYTES + " bytes");
                }
                bytes = readCapped(body, uri.toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot download the selector profile from " + uri + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new IOException("interrupted while downloading " + uri));
        }
        String actual = sha256(bytes);
        if (!actual.equalsIgnoreCase(sha256.strip())) {
            throw new ValidationException("selectorProfileSha256", "the pack at " + uri + " has SHA-256 " + actual
                    + ", not the pinned " + sha256.strip().toLowerCase(Locale.ROOT) + "; refusing it");
        }
        return parse(bytes, uri.toString());
    }

    /** Only https, or http to a loopback address; no credentials in the address. */
    static void checkAddress(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (uri.getHost() == null || uri.getRawUserInfo() != null) {
            throw new ValidationException("selectorProfileUrl", "must be an http(s) address with a host and no "
                    + "user name: " + uri);
        }
        if (scheme.equals("https")) {
            return;
        }
        if (scheme.equals("http") && isLoopback(uri.getHost())) {
            return;
        }
        throw new ValidationException("selectorProfileUrl", scheme.equals("http")
                ? "plain http is only accepted for a loopback address; use https for " + uri.getHost()
                : "must be an https address, not " + uri);
    }

    /** {@code localhost} or a loopback IP literal; other names are not resolved (DNS could say anything). */
    static boolean isLoopback(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (h.equalsIgnoreCase("localhost")) {
            return true;
        }
        if (!h.matches("[0-9.]+") && !h.contains(":")) {
            return false;
        }
        try {
            return InetAddress.getByName(h).isLoopbackAddress(); // a literal: parsed, not looked up
        } catch (UnknownHostException e) {
            return false;
        }
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String text(JsonNode root, String field, String fallback) {
        JsonNode n = root.get(field);
        return n == null || n.isNull() ? fallback : n.asText();
    }
}
