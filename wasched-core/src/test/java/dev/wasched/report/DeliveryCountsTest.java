package dev.wasched.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.wasched.delivery.DeliveryStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeliveryCountsTest {
    private static final DeliveryCounts CAMPAIGN = new DeliveryCounts(Map.of(DeliveryStatus.SENT, 2L,
            DeliveryStatus.DELIVERED, 3L, DeliveryStatus.READ, 5L, DeliveryStatus.DEAD, 4L,
            DeliveryStatus.UNCERTAIN, 1L, DeliveryStatus.PENDING, 6L), 2);

    @Test
    void sentCountsSentDeliveredAndReadButNotUncertain() {
        assertThat(CAMPAIGN.total()).isEqualTo(21);
        assertThat(CAMPAIGN.sent()).isEqualTo(10);
        assertThat(CAMPAIGN.delivered()).isEqualTo(8);
        assertThat(CAMPAIGN.read()).isEqualTo(5);
        assertThat(CAMPAIGN.failed()).isEqualTo(4);
        assertThat(CAMPAIGN.replied()).isEqualTo(2);
    }

    @Test
    void ratesDivideBySent() {
        assertThat(CAMPAIGN.readRate().getAsDouble()).isCloseTo(0.5, within(1e-12));
        assertThat(CAMPAIGN.deliveredRate().getAsDouble()).isCloseTo(0.8, within(1e-12));
        assertThat(CAMPAIGN.replyRate().getAsDouble()).isCloseTo(0.2, within(1e-12));
    }

    @Test
    void nothingSentHasNoRatesRatherThanNaN() {
        DeliveryCounts waiting = new DeliveryCounts(Map.of(DeliveryStatus.PENDING, 3L), 0);
        assertThat(waiting.readRate()).isEmpty();
        assertThat(waiting.deliveredRate()).isEmpty();
        assertThat(DeliveryCounts.NONE.replyRate()).isEmpty();
        assertThat(DeliveryCounts.NONE.total()).isZero();
    }

    @Test
    void everyStatusIsAKeyAndTheMapIsImmutable() {
        assertThat(DeliveryCounts.NONE.byStatus()).containsOnlyKeys(DeliveryStatus.values());
        assertThat(CAMPAIGN.count(DeliveryStatus.CANCELLED)).isZero();
        assertThatThrownBy(() -> CAMPAIGN.byStatus().put(DeliveryStatus.READ, 1L))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> new DeliveryCounts(Map.of(DeliveryStatus.READ, -1L), 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aScheduleReportSumsItsOccurrencesInFireTimeOrder() {
        Instant first = Instant.parse("2026-05-04T08:00:00Z");
        Instant second = first.plusSeconds(86_400);
        OccurrenceReport later = new OccurrenceReport("s", second,
                new DeliveryCounts(Map.of(DeliveryStatus.READ, 1L, DeliveryStatus.DEAD, 1L), 1));
        OccurrenceReport earlier = new OccurrenceReport("s", first, CAMPAIGN);

        ScheduleReport report = ScheduleReport.of("s", List.of(later, earlier));

        assertThat(report.occurrences()).extracting(OccurrenceReport::fireAt).containsExactly(first, second);
        assertThat(report.totals().read()).isEqualTo(6);
        assertThat(report.totals().failed()).isEqualTo(5);
        assertThat(report.totals().replied()).isEqualTo(3);
        assertThat(report.totals().total()).isEqualTo(23);
        assertThat(ScheduleReport.of("s", List.of()).totals()).isEqualTo(DeliveryCounts.NONE);
    }
}
