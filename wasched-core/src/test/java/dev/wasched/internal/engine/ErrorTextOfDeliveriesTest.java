package dev.wasched.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wasched.WaschedConfig;
import dev.wasched.delivery.Delivery;
import dev.wasched.delivery.DeliveryStatus;
import dev.wasched.delivery.Recipient;
import dev.wasched.internal.redact.ErrorText;
import dev.wasched.internal.time.Ids;
import dev.wasched.memory.InMemoryStore;
import dev.wasched.message.MessageContent;
import dev.wasched.metrics.MetricsRecorder;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A transport's error may quote the URL it loaded, whose query names a number or a text: no outcome of a send keeps
 * it in the delivery's {@code lastError}, which is stored, shown and published.
 */
class ErrorTextOfDeliveriesTest {
    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");
    private static final String RAW = "navigation to https://web.whatsapp.com/send?phone=4915100000001&text=Hello failed";
    private final Clock clock = Clock.fixed(T, ZoneOffset.UTC);
    private final EngineContext ctx = new EngineContext(new InMemoryStore(clock), clock,
            WaschedConfig.builder().instanceId("i1").build(), new Ids(clock), new EventBus(), () -> 42L,
            MetricsRecorder.NONE);
    private final DeliveryLedger ledger = new DeliveryLedger("acc", ctx, () -> null);

    private static Delivery sending(String id) {
        return Delivery.pending(id, "s1", T, Recipient.group("g", null), "acc", MessageContent.text("hi"), T)
                .claimForSending("i1", T);
    }

    @Test
    void everyOutcomeOfASendKeepsNoUrlOfItsError() {
        ledger.failed(sending("retried"), RAW, false);
        ledger.failed(sending("dead"), RAW, true);
        ledger.uncertain(sending("uncertain"), "outcome unknown: " + RAW);
        ledger.returnUnsent(sending("unsent"), "session lost: " + RAW, T);
        ledger.expired(sending("expired"), "expired: " + RAW, T);

        List<Delivery> outcomes = ledger.outcomes();
        assertThat(outcomes).extracting(Delivery::status).containsExactly(DeliveryStatus.PENDING,
                DeliveryStatus.DEAD, DeliveryStatus.UNCERTAIN, DeliveryStatus.PENDING, DeliveryStatus.CANCELLED);
        assertThat(outcomes).allSatisfy(d -> assertThat(d.lastError()).contains("<url>")
                .doesNotContain("4915100000001", "Hello", "https://"));
        assertThat(outcomes.get(2).lastError()).isEqualTo("outcome unknown: navigation to <url> failed");
    }

    @Test
    void aLongErrorIsCut() {
        ledger.failed(sending("long"), "x".repeat(2000), true);
        assertThat(ledger.outcomes().get(0).lastError()).hasSize(ErrorText.MAX_LENGTH);
    }
}
