package dev.wasched.report;

import java.time.Instant;
import java.util.Objects;

/**
 * The deliveries of one occurrence of a schedule (all made for the same fire time), counted.
 *
 * @param fireAt the occurrence's fire time
 */
public record OccurrenceReport(String scheduleId, Instant fireAt, DeliveryCounts counts) {
    public OccurrenceReport {
        Objects.requireNonNull(scheduleId, "scheduleId");
        Objects.requireNonNull(fireAt, "fireAt");
        Objects.requireNonNull(counts, "counts");
    }
}
