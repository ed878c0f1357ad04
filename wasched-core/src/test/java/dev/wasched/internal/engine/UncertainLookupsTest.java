package dev.wasched.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wasched.delivery.Delivery;
import dev.wasched.delivery.Recipient;
import dev.wasched.message.MessageContent;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class UncertainLookupsTest {
    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");
    private final UncertainLookups lookups = new UncertainLookups();

    private static Delivery uncertain(String id) {
        return Delivery.pending(id, "s1", T, Recipient.group("g", null), "acc", MessageContent.text("hi"), T)
                .claim("i1", T.plusSeconds(30), T).startSending(T).uncertain("owner died", T);
    }

    @Test
    void anAnsweredDeliveryIsNotAskedAgainUntilItChanges() {
        Delivery d = uncertain("d1");
        assertThat(lookups.due(d, T)).isTrue();
        lookups.answered(d);
        assertThat(lookups.due(d, T.plus(Duration.ofDays(30)))).isFalse();
        Delivery againLater = d.requeue(T).claim("i2", T.plusSeconds(30), T).startSending(T).uncertain("again", T);
        assertThat(lookups.due(againLater, T)).as("a new UNCERTAIN spell").isTrue();
    }

    @Test
    void anUnansweredDeliveryIsAskedAgainAfterADoublingPauseUpToAnHour() {
        Delivery d = uncertain("d1");
        assertThat(lookups.unanswered(d, T)).isEqualTo(T.plus(UncertainLookups.FIRST_RETRY));
        assertThat(lookups.due(d, T.plusSeconds(59))).isFalse();
        assertThat(lookups.due(d, T.plusSeconds(60))).isTrue();
        assertThat(lookups.unanswered(d, T)).isEqualTo(T.plus(Duration.ofMinutes(2)));
        for (int i = 0; i < 30; i++) {
            lookups.unanswered(d, T);
        }
        assertThat(lookups.unanswered(d, T)).isEqualTo(T.plus(UncertainLookups.MAX_RETRY));
    }

    @Test
    void startingOverForgetsDeliveriesNoLongerSeenAndRewindsTheCursor() {
        Delivery kept = uncertain("d1");
        Delivery settled = uncertain("d2");
        lookups.due(kept, T);
        lookups.answered(kept);
        lookups.due(settled, T);
        lookups.answered(settled);
        lookups.continueAfter("d2");
        lookups.startOver();
        assertThat(lookups.cursor()).isNull();
        lookups.due(kept, T); // only d1 is still UNCERTAIN in the next round
        lookups.startOver();
        assertThat(lookups.due(kept, T)).isFalse();
        assertThat(lookups.due(settled, T)).as("forgotten: asked afresh should it come back").isTrue();
    }
}
