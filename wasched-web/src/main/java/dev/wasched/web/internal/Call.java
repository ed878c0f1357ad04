package dev.wasched.web.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.wasched.PageRequest;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;

/** One request as a route sees it: path parameters, the caller and the JSON body (missing when there is none). */
public record Call(HttpServletRequest request, Map<String, String> params, Principal principal, JsonNode body) {
    public String param(String name) {
        return params.get(name);
    }

    /**
     * A parameter of the query string. Read from the query string itself: {@code getParameter} would also read a form
     * body, and so consume an upload sent as {@code application/x-www-form-urlencoded}.
     */
    public String query(String name) {
        String q = request.getQueryString();
        if (q == null) {
            return null;
        }
        for (String pair : q.split("&")) {
            int eq = pair.indexOf('=');
            String key = java.net.URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq),
                    java.nio.charset.StandardCharsets.UTF_8);
            if (key.equals(name)) {
                String v = eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1),
                        java.nio.charset.StandardCharsets.UTF_8);
                return v.isBlank() ? null : v;
            }
        }
        return null;
    }

    /** The paging asked for by {@code cursor} and {@code limit} (default 50). */
    public PageRequest page() {
        String limit = query("limit");
        int n;
        try {
            n = limit == null ? 50 : Integer.parseInt(limit);
        } catch (NumberFormatException e) {
            throw ApiError.badRequest("limit", "must be a whole number, was '" + limit + "'");
        }
        if (n < 1 || n > PageRequest.MAX_LIMIT) {
            throw ApiError.badRequest("limit", "must be between 1 and " + PageRequest.MAX_LIMIT + ", was " + n);
        }
        return new PageRequest(query("cursor"), n);
    }

    /** A text field of the body: required ones must be present and not blank. */
    public String text(String field, boolean required) {
        JsonNode v = body.path(field);
        if (v.isMissingNode() || v.isNull()) {
            if (required) {
                throw ApiError.badRequest(field, "is required");
            }
            return null;
        }
        if (!v.isTextual()) {
            throw ApiError.badRequest(field, "must be a string");
        }
        if (required && v.asText().isBlank()) {
            throw ApiError.badRequest(field, "must not be blank");
        }
        return v.asText();
    }

    public boolean hasBody() {
        return !(body instanceof MissingNode);
    }
}
