package dev.wasched.report;

import java.util.List;
import java.util.Objects;

/**
 * How one schedule (a campaign) did: its deliveries counted per occurrence and in total. A schedule with no
 * deliveries yet has no occurrences and {@link DeliveryCounts#NONE} as totals.
 *
 * @param totals      every delivery of the schedule, counted (the sum of the occurrences)
 * @param occurrences one per fire time that has deliveries, earliest first
 */
public record ScheduleReport(String scheduleId, DeliveryCounts totals, List<OccurrenceReport> occurrences) {
    public ScheduleReport {
        Objects.requireNonNull(scheduleId, "scheduleId");
        Objects.requireNonNull(totals, "totals");
        occurrences = List.copyOf(occurrences);
    }

    /** The report of the given occurrences, with their sum as totals. */
    public static ScheduleReport of(String scheduleId, List<OccurrenceReport> occurrences) {
        List<OccurrenceReport> sorted = occurrences.stream()
                .sorted(java.util.Comparator.comparing(OccurrenceReport::fireAt)).toList();
        DeliveryCounts totals = sorted.stream().map(OccurrenceReport::counts)
                .reduce(DeliveryCounts.NONE, DeliveryCounts::plus);
        return new ScheduleReport(scheduleId, totals, sorted);
    }
}
