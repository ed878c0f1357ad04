package dev.wasched.whatsapp.cloud.internal;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The Graph API's error object ({@code {"error":{"message","type","code","error_subcode","error_data":{"details"},
 * "fbtrace_id"}}}), or what stood in for it when the answer had none (a proxy's 502, say: code {@link #NONE}).
 */
public record GraphError(int httpStatus, int code, int subcode, String type, String message, String details,
                         String fbtraceId) {
    /** The code of an answer without a Graph error object (Graph's own code 0 is an authentication error). */
    public static final int NONE = -1;

    /** Reads the error from an answer's body; a body without one gives code 0 and the status alone. */
    public static GraphError of(int httpStatus, JsonNode body) {
        JsonNode e = body == null ? null : body.get("error");
        if (e == null || !e.isObject()) {
            return new GraphError(httpStatus, NONE, 0, null, "HTTP " + httpStatus + " without a Graph error object",
                    null, null);
        }
        JsonNode data = e.path("error_data");
        return new GraphError(httpStatus, e.path("code").asInt(NONE), e.path("error_subcode").asInt(0),
                e.path("type").asText(null), e.path("message").asText(""),
                data.isObject() ? data.path("details").asText(null) : null, e.path("fbtrace_id").asText(null));
    }

    /** For messages and logs: code, message, details and trace id (never the request). */
    public String describe() {
        StringBuilder b = new StringBuilder("Graph error ").append(code);
        if (subcode != 0) {
            b.append('/').append(subcode);
        }
        b.append(" (HTTP ").append(httpStatus).append("): ").append(message);
        if (details != null && !details.isBlank()) {
            b.append(" - ").append(details);
        }
        if (fbtraceId != null) {
            b.append(" [fbtrace_id ").append(fbtraceId).append(']');
        }
        return b.toString();
    }
}
