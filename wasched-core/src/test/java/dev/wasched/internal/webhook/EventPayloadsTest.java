package dev.wasched.internal.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wasched.delivery.Delivery;
import dev.wasched.delivery.Recipient;
import dev.wasched.event.WaschedEvent;
import dev.wasched.inbound.InboundMessage;
import dev.wasched.message.MessageContent;
import dev.wasched.session.AccountState;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class EventPayloadsTest {
    private static final Instant AT = Instant.parse("2026-05-04T08:00:00.412Z");
    private static final Delivery D = Delivery.pending("d-1", "s-1", AT, Recipient.group("Team", ZoneId.of("UTC")),
            "shop", MessageContent.text("Grüße"), AT);

    private static JsonNode body(WaschedEvent e) throws Exception {
        return new ObjectMapper().readTree(EventPayloads.of("evt-1", e).json());
    }

    @Test
    void theBodyCarriesIdTypeTimeAndTheEventsFields() throws Exception {
        JsonNode b = body(new WaschedEvent.DeliveryDead(D, "too many attempts", AT));
        assertThat(b.get("id").asText()).isEqualTo("evt-1");
        assertThat(b.get("type").asText()).isEqualTo("DeliveryDead");
        assertThat(b.get("at").asText()).isEqualTo("2026-05-04T08:00:00.412Z");
        assertThat(b.get("data").get("reason").asText()).isEqualTo("too many attempts");
        assertThat(b.get("data").get("delivery").get("id").asText()).isEqualTo("d-1");
        assertThat(b.get("data").get("delivery").get("account").asText()).isEqualTo("shop");
        assertThat(b.get("data").has("at")).isFalse();
    }

    @Test
    void eventsAreOrderedByWhatTheyAreAbout() {
        assertThat(EventPayloads.of("e", new WaschedEvent.DeliverySent(D, AT)).orderKey()).isEqualTo("delivery:d-1");
        assertThat(EventPayloads.of("e", new WaschedEvent.DeliveryAcknowledged(D, AT)).orderKey())
                .isEqualTo("delivery:d-1");
        assertThat(EventPayloads.of("e", new WaschedEvent.ScheduleFired("s-1", AT, 3, AT)).orderKey())
                .isEqualTo("schedule:s-1");
        assertThat(EventPayloads.of("e", new WaschedEvent.AccountStateChanged("shop", AccountState.values()[0],
                AccountState.values()[1], null, AT)).orderKey()).isEqualTo("account:shop");
        InboundMessage m = new InboundMessage("i-1", "shop", "m-1", "+4915112345678", "4915112345678@c.us", null, "hi",
                null, null, AT, AT, null);
        assertThat(EventPayloads.of("e", new WaschedEvent.MessageReceived(m, AT)).orderKey()).isEqualTo("inbound:shop");
    }
}
