package dev.wasched.testkit.telegram.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** A small multipart/form-data parser for request bodies held in memory. Internal. */
public final class MultipartParser {
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] HEADER_END = {'\r', '\n', '\r', '\n'};

    /** One part: its form field name, optional file name and content type, and its body. */
    public record Part(String name, String fileName, String contentType, byte[] body) {
    }

    private MultipartParser() {
    }

    /**
     * Splits a multipart body into parts.
     *
     * @throws BotApiError 400 when the boundary is missing or the body is malformed
     */
    public static List<Part> parse(String contentType, byte[] body) {
        String boundary = boundaryOf(contentType);
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        byte[] nextDelimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        List<Part> parts = new ArrayList<>();
        int pos = indexOf(body, delimiter, 0);
        if (pos < 0) {
            throw BotApiError.badRequest("malformed multipart body: boundary not found");
        }
        pos += delimiter.length;
        while (true) {
            if (startsWith(body, pos, new byte[] {'-', '-'})) {
                return parts; // closing delimiter
            }
            // skip transport padding and the CRLF after the delimiter
            while (pos < body.length && (body[pos] == ' ' || body[pos] == '\t')) {
                pos++;
            }
            if (!startsWith(body, pos, CRLF)) {
                throw BotApiError.badRequest("malformed multipart body: expected CRLF after boundary");
            }
            pos += CRLF.length;
            int headersEnd = indexOf(body, HEADER_END, pos);
            String headers;
            int contentStart;
            if (startsWith(body, pos, CRLF)) { // a part without headers
                headers = "";
                contentStart = pos + CRLF.length;
            } else if (headersEnd >= 0) {
                headers = new String(body, pos, headersEnd - pos, StandardCharsets.UTF_8);
                contentStart = headersEnd + HEADER_END.length;
            } else {
                throw BotApiError.badRequest("malformed multipart body: part headers not terminated");
            }
            int contentEnd = indexOf(body, nextDelimiter, contentStart);
            if (contentEnd < 0) {
                throw BotApiError.badRequest("malformed multipart body: closing boundary not found");
            }
            parts.add(toPart(headers, Arrays.copyOfRange(body, contentStart, contentEnd)));
            pos = contentEnd + nextDelimiter.length;
        }
    }

    private static Part toPart(String headers, byte[] content) {
        String name = null;
        String fileName = null;
        String contentType = null;
        for (String line : headers.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String header = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            if (header.equals("content-disposition")) {
                for (String param : splitParams(value)) {
                    int eq = param.indexOf('=');
                    if (eq < 0) {
                        continue;
                    }
                    String key = param.substring(0, eq).trim().toLowerCase(Locale.ROOT);
                    String val = unquote(param.substring(eq + 1).trim());
                    if (key.equals("name")) {
                        name = val;
                    } else if (key.equals("filename")) {
                        fileName = val;
                    }
                }
            } else if (header.equals("content-type")) {
                contentType = value;
            }
        }
        if (name == null) {
            throw BotApiError.badRequest("malformed multipart body: a part has no name");
        }
        return new Part(name, fileName, contentType, content);
    }

    private static String boundaryOf(String contentType) {
        for (String param : splitParams(contentType)) {
            int eq = param.indexOf('=');
            if (eq > 0 && param.substring(0, eq).trim().equalsIgnoreCase("boundary")) {
                String boundary = unquote(param.substring(eq + 1).trim());
                if (!boundary.isEmpty()) {
                    return boundary;
                }
            }
        }
        throw BotApiError.badRequest("multipart/form-data request without a boundary");
    }

    /** Splits on ';' outside double quotes. */
    private static List<String> splitParams(String value) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' && (i == 0 || value.charAt(i - 1) != '\\')) {
                quoted = !quoted;
            }
            if (c == ';' && !quoted) {
                out.add(current.toString().trim());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        out.add(current.toString().trim());
        return out;
    }

    private static String unquote(String s) {
        if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")) {
            return s.substring(1, s.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
        }
        return s;
    }

    private static boolean startsWith(byte[] data, int pos, byte[] prefix) {
        if (pos < 0 || pos + prefix.length > data.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (data[pos + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(byte[] data, byte[] pattern, int from) {
        outer:
        for (int i = Math.max(from, 0); i <= data.length - pattern.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
