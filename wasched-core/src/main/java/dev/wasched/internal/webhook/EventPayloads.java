package dev.wasched.internal.webhook;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.wasched.event.WaschedEvent;
import dev.wasched.webhook.WebhookEventTypes;

/**
 * An event as a webhook body, {@code {"id", "type", "at", "data"}} with {@code data} the event's fields, and the key
 * that orders it: events about one delivery, schedule or account reach an endpoint in order.
 */
final class EventPayloads {
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private EventPayloads() {
    }

    static String json(String eventId, WaschedEvent event) {
        ObjectNode data = JSON.valueToTree(event);
        data.remove("at");
        ObjectNode body = JSON.createObjectNode();
        body.put("id", eventId);
        body.put("type", WebhookEventTypes.of(event));
        body.put("at", event.at().toString());
        body.set("data", data);
        try {
            return JSON.writeValueAsString(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("event not serialisable: " + WebhookEventTypes.of(event), e);
        }
    }

    /** What the event is about; events of one key are delivered in order. */
    static String orderKey(WaschedEvent event) {
        if (event instanceof WaschedEvent.DeliverySent e) {
            return delivery(e.delivery());
        } else if (event instanceof WaschedEvent.DeliveryRetryScheduled e) {
            return delivery(e.delivery());
        } else if (event instanceof WaschedEvent.DeliveryDead e) {
            return delivery(e.delivery());
        } else if (event instanceof WaschedEvent.DeliveryUncertain e) {
            return delivery(e.delivery());
        } else if (event instanceof WaschedEvent.DeliveryAcknowledged e) {
            return delivery(e.delivery());
        } else if (event instanceof WaschedEvent.DeliveryCancelled e) {
            return delivery(e.delivery());
        } else if (event instanceof WaschedEvent.DeliveryDismissed e) {
            return delivery(e.delivery());
        } else if (event instanceof WaschedEvent.ScheduleFired e) {
            return "schedule:" + e.scheduleId();
        } else if (event instanceof WaschedEvent.OccurrenceSkipped e) {
            return "schedule:" + e.scheduleId();
        } else if (event instanceof WaschedEvent.AccountStateChanged e) {
            return "account:" + e.account();
        } else if (event instanceof WaschedEvent.LoginQrCode e) {
            return "account:" + e.account();
        } else if (event instanceof WaschedEvent.LoginPairingCode e) {
            return "account:" + e.account();
        } else if (event instanceof WaschedEvent.SessionQuarantined e) {
            return "account:" + e.account();
        } else if (event instanceof WaschedEvent.MessageReceived e) {
            return "inbound:" + e.message().account();
        }
        return "type:" + WebhookEventTypes.of(event);
    }

    private static String delivery(dev.wasched.delivery.Delivery d) {
        return "delivery:" + d.id();
    }
}
