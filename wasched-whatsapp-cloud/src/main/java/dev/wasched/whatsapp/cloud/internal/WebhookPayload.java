package dev.wasched.whatsapp.cloud.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One webhook notification, read from its {@code entry[].changes[]} with {@code field} "messages": per change the
 * business number's {@code metadata.phone_number_id}, its {@code statuses[]} and its {@code messages[]}. Other fields
 * (template status updates, account updates) are skipped.
 */
public record WebhookPayload(List<Change> changes) {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** One status update of a message the business sent. */
    public record Status(String messageId, String status, String recipient, Instant at, String callbackData,
                         Integer errorCode, String errorTitle) {
    }

    /** One message a customer sent the business. */
    public record Incoming(String messageId, String from, String profileName, String type, String text,
                           String quotedMessageId, Instant at) {
    }

    public record Change(String phoneNumberId, List<Status> statuses, List<Incoming> messages) {
    }

    /** Parses the raw body; a body that is not a WhatsApp notification is an {@link IllegalArgumentException}. */
    public static WebhookPayload parse(byte[] body) {
        JsonNode root;
        try {
            root = MAPPER.readTree(body);
        } catch (IOException e) {
            throw new IllegalArgumentException("the body is not JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (root == null || !root.path("entry").isArray()) {
            throw new IllegalArgumentException("the body has no entry[] array");
        }
        List<Change> changes = new ArrayList<>();
        for (JsonNode entry : root.path("entry")) {
            for (JsonNode change : entry.path("changes")) {
                if (!"messages".equals(change.path("field").asText("messages"))) {
                    continue;
                }
                JsonNode value = change.path("value");
                String phoneNumberId = value.path("metadata").path("phone_number_id").asText(null);
                if (phoneNumberId == null || phoneNumberId.isBlank()) {
                    throw new IllegalArgumentException("a change has no value.metadata.phone_number_id");
                }
                changes.add(new Change(phoneNumberId, statuses(value), messages(value)));
            }
        }
        return new WebhookPayload(List.copyOf(changes));
    }

    private static List<Status> statuses(JsonNode value) {
        List<Status> out = new ArrayList<>();
        for (JsonNode s : value.path("statuses")) {
            JsonNode error = s.path("errors").path(0);
            out.add(new Status(required(s, "id"), required(s, "status"), s.path("recipient_id").asText(null),
                    seconds(s.path("timestamp")), s.path("biz_opaque_callback_data").asText(null),
                    error.isObject() ? error.path("code").asInt() : null,
                    error.isObject() ? error.path("title").asText(error.path("message").asText(null)) : null));
        }
        return out;
    }

    private static List<Incoming> messages(JsonNode value) {
        List<Incoming> out = new ArrayList<>();
        for (JsonNode m : value.path("messages")) {
            String from = required(m, "from");
            String name = null;
            for (JsonNode c : value.path("contacts")) {
                if (from.equals(c.path("wa_id").asText())) {
                    name = c.path("profile").path("name").asText(null);
                }
            }
            String type = m.path("type").asText("text");
            String text = switch (type) {
                case "text" -> m.path("text").path("body").asText("");
                case "button" -> m.path("button").path("text").asText("");
                default -> m.path(type).path("caption").asText("");
            };
            out.add(new Incoming(required(m, "id"), from, name, type, text,
                    m.path("context").path("id").asText(null), seconds(m.path("timestamp"))));
        }
        return out;
    }

    private static String required(JsonNode n, String field) {
        String v = n.path(field).asText(null);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("a status or message has no " + field);
        }
        return v;
    }

    private static Instant seconds(JsonNode ts) {
        if (ts.isMissingNode() || ts.isNull()) {
            throw new IllegalArgumentException("a status or message has no timestamp");
        }
        try {
            return Instant.ofEpochSecond(Long.parseLong(ts.asText()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("timestamp '" + ts.asText() + "' is not epoch seconds");
        }
    }
}
