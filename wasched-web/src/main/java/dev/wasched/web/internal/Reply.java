package dev.wasched.web.internal;

import java.util.Map;

/**
 * A successful answer: its status, a body written as JSON (null: none) and extra headers.
 */
public record Reply(int status, Object body, Map<String, String> headers) {
    /** The route answers on its own (a stream of events kept open): nothing is written for it. */
    public static final Reply STARTED = new Reply(0, null, Map.of());

    public static Reply ok(Object body) {
        return new Reply(200, body, Map.of());
    }

    public static Reply created(Object body) {
        return new Reply(201, body, Map.of());
    }

    public static Reply noContent() {
        return new Reply(204, null, Map.of());
    }

    public Reply withHeader(String name, String value) {
        java.util.Map<String, String> h = new java.util.LinkedHashMap<>(headers);
        h.put(name, value);
        return new Reply(status, body, Map.copyOf(h));
    }
}
