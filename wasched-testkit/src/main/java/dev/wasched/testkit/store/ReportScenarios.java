package dev.wasched.testkit.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wasched.NotFoundException;
import dev.wasched.Wasched;
import dev.wasched.delivery.Delivery;
import dev.wasched.delivery.DeliveryQuery;
import dev.wasched.delivery.DeliveryStatus;
import dev.wasched.delivery.Recipient;
import dev.wasched.message.MessageContent;
import dev.wasched.report.DeliveryCounts;
import dev.wasched.report.OccurrenceReport;
import dev.wasched.report.ScheduleReport;
import dev.wasched.spi.store.DeliveryRepository;
import dev.wasched.spi.store.OccurrenceCount;
import dev.wasched.spi.store.WaschedStore;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Reports and CSV export, as every store must answer them: {@code DeliveryRepository.countByOccurrence} grouped by
 * occurrence and status with the answered ones, the same numbers as the repository's default built from history
 * pages, and an export that pages through the history; run by {@link StoreCompatibilityKit} on each store, through
 * the public services of a wasched on the store under test.
 */
public abstract class ReportScenarios {
    private static final String ACCOUNT = "acc-report";
    private static final Instant FIRST = Instant.parse("2026-05-04T08:00:00.123456Z");
    private static final Instant SECOND = FIRST.plus(1, ChronoUnit.DAYS);

    /** The store under test, empty at the start of each test. */
    protected abstract WaschedStore store();

    private Wasched wasched() {
        return Wasched.builder().store(store()).instanceId("kit-reports").build();
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    private String schedule() {
        String id = "s-report-" + UUID.randomUUID();
        store().schedules().insert(StoreCompatibilityKit.schedule(id, SECOND.plus(1, ChronoUnit.DAYS)));
        return id;
    }

    /** A delivery of {@code scheduleId}'s occurrence at {@code fireAt}, written through to {@code status}. */
    private Delivery delivered(String scheduleId, Instant fireAt, DeliveryStatus status, boolean replied) {
        Instant now = now();
        Delivery d = Delivery.pending(UUID.randomUUID().toString(), scheduleId, fireAt,
                Recipient.number(StoreCompatibilityKit.newPhone(), ZoneId.of("UTC")), ACCOUNT, MessageContent.text("hi"),
                now);
        store().deliveries().insertAll(List.of(d));
        if (status != DeliveryStatus.PENDING) {
            Delivery sending = written(written(d.claim("kit", now.plusSeconds(30), now)).startSending(now));
            d = switch (status) {
                case SENT -> written(sending.sent("wamid." + d.id(), now, now));
                case DELIVERED, READ -> written(written(sending.sent("wamid." + d.id(), now, now))
                        .acknowledged(status, now));
                case DEAD -> written(sending.dead("invalid number", now));
                case UNCERTAIN -> written(sending.uncertain("owner died", now));
                default -> throw new IllegalArgumentException(status.name());
            };
        }
        if (replied) {
            assertThat(store().deliveries().markReplied(d.id(), now)).isTrue();
        }
        return d;
    }

    private Delivery written(Delivery d) {
        assertThat(store().deliveries().update(d)).as("write %s", d.status()).isTrue();
        return d;
    }

    /** Two occurrences: the first 1 SENT, 2 DELIVERED, 3 READ (2 answered), 1 DEAD; the second 1 READ, 2 PENDING. */
    private String campaign() {
        String id = schedule();
        delivered(id, FIRST, DeliveryStatus.SENT, false);
        for (int i = 0; i < 2; i++) {
            delivered(id, FIRST, DeliveryStatus.DELIVERED, false);
        }
        for (int i = 0; i < 3; i++) {
            delivered(id, FIRST, DeliveryStatus.READ, i < 2);
        }
        delivered(id, FIRST, DeliveryStatus.DEAD, false);
        delivered(id, SECOND, DeliveryStatus.READ, true);
        delivered(id, SECOND, DeliveryStatus.PENDING, false);
        delivered(id, SECOND, DeliveryStatus.PENDING, false);
        // Another schedule's deliveries of the same time never count.
        delivered(schedule(), FIRST, DeliveryStatus.READ, true);
        return id;
    }

    @Test
    void aScheduleReportCountsEachOccurrenceByStatusWithRepliesAndRates() {
        String id = campaign();
        try (Wasched w = wasched()) {
            ScheduleReport report = w.deliveries().report(id);

            assertThat(report.scheduleId()).isEqualTo(id);
            assertThat(report.occurrences()).extracting(OccurrenceReport::fireAt)
                    .containsExactly(FIRST.truncatedTo(ChronoUnit.MILLIS), SECOND.truncatedTo(ChronoUnit.MILLIS));
            DeliveryCounts first = report.occurrences().get(0).counts();
            assertThat(first.count(DeliveryStatus.SENT)).isEqualTo(1);
            assertThat(first.count(DeliveryStatus.DELIVERED)).isEqualTo(2);
            assertThat(first.count(DeliveryStatus.READ)).isEqualTo(3);
            assertThat(first.failed()).isEqualTo(1);
            assertThat(first.replied()).isEqualTo(2);
            assertThat(first.total()).isEqualTo(7);
            assertThat(first.readRate()).hasValue(0.5);
            DeliveryCounts second = report.occurrences().get(1).counts();
            assertThat(second.count(DeliveryStatus.PENDING)).isEqualTo(2);
            assertThat(second.readRate()).hasValue(1.0);
            assertThat(report.totals().total()).isEqualTo(10);
            assertThat(report.totals().sent()).isEqualTo(7);
            assertThat(report.totals().read()).isEqualTo(4);
            assertThat(report.totals().replied()).isEqualTo(3);

            assertThat(w.deliveries().report(id, SECOND).counts()).isEqualTo(second);
            assertThat(w.deliveries().report(id, SECOND.plusSeconds(60)).counts()).isEqualTo(DeliveryCounts.NONE);
        }
    }

    @Test
    void theStoresGroupedCountsAreWhatTheDefaultCountsFromHistoryPages() {
        String id = campaign();
        DeliveryRepository repo = store().deliveries();
        // The SPI's default, on a repository that answers nothing but the history (from the store under test).
        DeliveryRepository byPages = (DeliveryRepository) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[]{DeliveryRepository.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "history" -> method.invoke(repo, args);
                    case "countByOccurrence" -> InvocationHandler.invokeDefault(proxy, method, args);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        for (Instant at : Arrays.asList(null, FIRST, SECOND, SECOND.plusSeconds(1))) {
            assertThat(repo.countByOccurrence(id, at)).as("occurrence %s", at)
                    .containsExactlyInAnyOrderElementsOf(byPages.countByOccurrence(id, at));
        }
        assertThat(repo.countByOccurrence(id, SECOND)).containsExactlyInAnyOrder(
                new OccurrenceCount(SECOND, DeliveryStatus.READ, 1, 1),
                new OccurrenceCount(SECOND, DeliveryStatus.PENDING, 2, 0));
    }

    @Test
    void aScheduleWithoutDeliveriesReportsZerosAndAnUnknownOneIsNotFound() {
        String empty = schedule();
        try (Wasched w = wasched()) {
            ScheduleReport report = w.deliveries().report(empty);
            assertThat(report.occurrences()).isEmpty();
            assertThat(report.totals()).isEqualTo(DeliveryCounts.NONE);
            assertThat(report.totals().readRate()).isEmpty();
            assertThat(w.deliveries().report(empty, FIRST).counts().total()).isZero();

            assertThatThrownBy(() -> w.deliveries().report("no-such-schedule"))
                    .isInstanceOfSatisfying(NotFoundException.class, e -> assertThat(e.key()).isEqualTo("no-such-schedule"));
            assertThatThrownBy(() -> w.deliveries().report("no-such-schedule", FIRST))
                    .isInstanceOf(NotFoundException.class);
        }
    }

    @Test
    void aDeletedSchedulesKeptDeliveriesAreStillReported() {
        String id = schedule();
        delivered(id, FIRST, DeliveryStatus.READ, false);
        assertThat(store().schedules().delete(id)).isTrue();
        try (Wasched w = wasched()) {
            assertThat(w.deliveries().report(id).totals().read()).isEqualTo(1);
            assertThat(w.deliveries().report(id, SECOND).counts()).isEqualTo(DeliveryCounts.NONE);
        }
    }

    @Test
    void anExportWritesEveryMatchingDeliveryOnceAcrossPages() throws Exception {
        String id = schedule();
        Instant now = now();
        List<Delivery> many = new ArrayList<>();
        for (int i = 0; i < 1_234; i++) {
            many.add(Delivery.pending(UUID.randomUUID().toString(), id, FIRST,
                    Recipient.number(StoreCompatibilityKit.newPhone(), ZoneId.of("UTC")), ACCOUNT,
                    MessageContent.text("hi"), now));
        }
        store().deliveries().insertAll(many);
        delivered(schedule(), FIRST, DeliveryStatus.SENT, false);
        StringBuilder csv = new StringBuilder();
        try (Wasched w = wasched()) {
            long rows = w.deliveries().exportCsv(DeliveryQuery.all().forSchedule(id), csv);

            assertThat(rows).isEqualTo(many.size());
        }
        List<String> lines = List.of(csv.toString().split("\r\n"));
        assertThat(lines).hasSize(many.size() + 1);
        assertThat(lines.get(0)).startsWith("id,schedule_id,fire_at,");
        Set<String> ids = new HashSet<>();
        lines.subList(1, lines.size()).forEach(l -> assertThat(ids.add(l.substring(0, l.indexOf(',')))).isTrue());
        assertThat(ids).containsExactlyInAnyOrderElementsOf(many.stream().map(Delivery::id).toList());
    }
}
