package dev.wasched.internal.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.wasched.event.WaschedEvent;
import dev.wasched.webhook.WebhookEventTypes;

/**
 * An event as a webhook body, {@code {"id", "type", "at", "data"}} with {@code data} the event's fields, and the key
 * that orders it (see {@link #orderKey}).
 */
final class EventPayloads {
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    /** The body and the order key of one event. */
    record Payload(String json, String orderKey) {
    }

    private EventPayloads() {
    }

    static Payload of(String eventId, WaschedEvent event) {
        ObjectNode data = JSON.valueToTree(event);
        data.remove("at");
        ObjectNode body = JSON.createObjectNode();
        body.put("id", eventId);
        body.put("type", WebhookEventTypes.of(event));
        body.put("at", event.at().toString());
        body.set("data", data);
        try {
            return new Payload(JSON.writeValueAsString(body), orderKey(event, data));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("event not serialisable: " + WebhookEventTypes.of(event), e);
        }
    }

    /**
     * What the event is about, read from its fields: its delivery, else its schedule, else the received messages of
     * its account, else its account. Events of one key reach an endpoint in order; a kind with none of these fields
     * is ordered by its type.
     */
    static String orderKey(WaschedEvent event, JsonNode data) {
        if (data.hasNonNull("delivery")) {
            return "delivery:" + data.get("delivery").path("id").asText();
        }
        if (data.hasNonNull("scheduleId")) {
            return "schedule:" + data.get("scheduleId").asText();
        }
        if (data.hasNonNull("message")) {
            return "inbound:" + data.get("message").path("account").asText();
        }
        if (data.hasNonNull("account")) {
            return "account:" + data.get("account").asText();
        }
        return "type:" + WebhookEventTypes.of(event);
    }
}
