package dev.wasched.testkit.telegram.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The parameters of one Bot API request, whatever way they were sent: URL query,
 * {@code application/json}, {@code application/x-www-form-urlencoded} or
 * {@code multipart/form-data}. Body parameters override query parameters of the same name.
 * A JSON {@code null} counts as absent. Internal.
 */
public final class RequestParams {
    private static final String ATTACH_PREFIX = "attach://";

    private final Map<String, JsonNode> values;
    private final Map<String, FilePart> files;
    private final ObjectMapper mapper;

    private RequestParams(Map<String, JsonNode> values, Map<String, FilePart> files, ObjectMapper mapper) {
        this.values = values;
        this.files = files;
        this.mapper = mapper;
    }

    /**
     * Parses a request.
     *
     * @param rawQuery    the URI's raw (still encoded) query, or {@code null}
     * @param contentType the Content-Type header, or {@code null}
     * @param body        the request body (possibly empty)
     * @throws BotApiError 400 when the body cannot be parsed
     */
    public static RequestParams parse(String rawQuery, String contentType, byte[] body, ObjectMapper mapper) {
        Map<String, JsonNode> values = new LinkedHashMap<>();
        Map<String, FilePart> files = new LinkedHashMap<>();
        if (rawQuery != null && !rawQuery.isEmpty()) {
            parseUrlEncoded(rawQuery, values);
        }
        if (body != null && body.length > 0) {
            String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT).trim();
            if (type.startsWith("multipart/form-data")) {
                for (MultipartParser.Part part : MultipartParser.parse(contentType, body)) {
                    if (part.fileName() != null) {
                        files.put(part.name(), new FilePart(part.name(), part.fileName(), part.contentType(), part.body()));
                    } else {
                        values.put(part.name(), TextNode.valueOf(new String(part.body(), StandardCharsets.UTF_8)));
                    }
                }
            } else if (type.startsWith("application/x-www-form-urlencoded")) {
                parseUrlEncoded(new String(body, StandardCharsets.UTF_8), values);
            } else if (type.startsWith("application/json") || type.isEmpty() || looksLikeJson(body)) {
                parseJson(body, values, mapper);
            } else {
                throw BotApiError.badRequest("unsupported Content-Type " + contentType);
            }
        }
        return new RequestParams(values, files, mapper);
    }

    private static boolean looksLikeJson(byte[] body) {
        for (byte b : body) {
            if (!Character.isWhitespace(b)) {
                return b == '{';
            }
        }
        return false;
    }

    private static void parseJson(byte[] body, Map<String, JsonNode> values, ObjectMapper mapper) {
        JsonNode root;
        try {
            root = mapper.readTree(body);
        } catch (JsonProcessingException e) {
            throw BotApiError.badRequest("can't parse JSON request body: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw BotApiError.badRequest("can't read JSON request body: " + e.getMessage());
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return;
        }
        if (!root.isObject()) {
            throw BotApiError.badRequest("JSON request body must be an object");
        }
        root.fields().forEachRemaining(e -> values.put(e.getKey(), e.getValue()));
    }

    private static void parseUrlEncoded(String text, Map<String, JsonNode> values) {
        for (String pair : text.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            values.put(decode(name), TextNode.valueOf(decode(value)));
        }
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw BotApiError.badRequest("malformed URL encoding in '" + s + "'");
        }
    }

    /** Whether the parameter is present and not JSON null. */
    public boolean has(String name) {
        JsonNode node = values.get(name);
        return node != null && !node.isNull() || files.containsKey(name);
    }

    /** The parameter as text, or {@code null} when absent; objects and arrays come back as JSON text. */
    public String string(String name) {
        JsonNode node = values.get(name);
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        return node.isValueNode() ? node.asText() : node.toString();
    }

    /** The parameter as non-empty text, or a 400 naming it. */
    public String requiredString(String name) {
        String value = string(name);
        if (value == null || value.isEmpty()) {
            throw BotApiError.missing(name);
        }
        return value;
    }

    /** The parameter as a long, {@code null} when absent, 400 when not a number. */
    public Long optionalLong(String name) {
        String value = string(name);
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw BotApiError.badRequest("invalid " + name + " '" + value + "': expected an integer");
        }
    }

    /** The parameter as an int, {@code null} when absent, 400 when not a number. */
    public Integer optionalInt(String name) {
        Long value = optionalLong(name);
        if (value == null) {
            return null;
        }
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            throw BotApiError.badRequest("invalid " + name + " '" + value + "': out of range");
        }
        return value.intValue();
    }

    /** A required int parameter. */
    public int requiredInt(String name) {
        Integer value = optionalInt(name);
        if (value == null) {
            throw BotApiError.missing(name);
        }
        return value;
    }

    /** A boolean parameter; absent means {@code false}. */
    public boolean bool(String name) {
        String value = string(name);
        return value != null && (value.equalsIgnoreCase("true") || value.equals("1"));
    }

    /**
     * The required {@code chat_id} as a numeric id. Usernames ({@code @channel}) are not known
     * to the fake and answer "chat not found", as the real API does for unknown chats.
     */
    public long requiredChatId() {
        String value = string("chat_id");
        if (value == null || value.isBlank()) {
            throw BotApiError.missing("chat_id");
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw BotApiError.badRequest("chat not found (chat_id '" + value + "' is not a numeric chat id)");
        }
    }

    /**
     * A parameter that holds a JSON value: given as a JSON object/array in a JSON body, or as
     * JSON text in form and multipart bodies. {@code null} when absent.
     */
    public JsonNode json(String name) {
        JsonNode node = values.get(name);
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isContainerNode()) {
            return node;
        }
        String text = node.asText();
        if (text.isBlank()) {
            return null;
        }
        try {
            return mapper.readTree(text);
        } catch (JsonProcessingException e) {
            throw BotApiError.badRequest("can't parse " + name + " JSON object");
        }
    }

    /**
     * The file uploaded for a parameter: either a file part with that name, or, as
     * TelegramBots sends it, a text value {@code attach://<part>} naming another file part.
     */
    public Optional<FilePart> upload(String name) {
        FilePart direct = files.get(name);
        if (direct != null) {
            return Optional.of(direct);
        }
        String value = string(name);
        if (value != null && value.startsWith(ATTACH_PREFIX)) {
            String partName = value.substring(ATTACH_PREFIX.length());
            FilePart attached = files.get(partName);
            if (attached == null) {
                throw BotApiError.badRequest(name + " refers to " + value + " but the request has no file part '" + partName + "'");
            }
            return Optional.of(attached);
        }
        return Optional.empty();
    }

    /** Names of all text parameters, for diagnostics. */
    public Map<String, JsonNode> values() {
        return Collections.unmodifiableMap(values);
    }
}
