package dev.wasched.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wasched.delivery.DeliveryQuery;
import dev.wasched.delivery.DeliveryStatus;
import dev.wasched.report.OccurrenceReport;
import dev.wasched.report.ScheduleReport;
import dev.wasched.schedule.Schedule;
import dev.wasched.schedule.ScheduleSpec;
import dev.wasched.schedule.Target;
import dev.wasched.schedule.Trigger;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report and export example of docs/deliveries.md, on a campaign sent to two contacts. */
class DocSnippetsDeliveriesTest extends EngineFixture {
    @TempDir
    Path dir;

    @Test
    void aCampaignIsReportedPerOccurrenceAndExportedAsCsv() throws Exception {
        build();
        contact("Ann", "+4915111111111", "fair");
        contact("Bob", "+4915122222222", "fair");
        Schedule campaign = wasched.schedules().create(ScheduleSpec.builder().account(ACCOUNT).to(Target.tag("fair"))
                .text("Hello {{name}}").trigger(Trigger.once(clock.instant())).build());
        wasched.runDue();
        transport.ack(log.entries().get(0).messageId(), DeliveryStatus.READ);
        wasched.runDue();   // takes the ack in

        // docs:docs/deliveries.md#reports-and-export:begin
        ScheduleReport report = wasched.deliveries().report(campaign.id());
        for (OccurrenceReport o : report.occurrences()) {
            System.out.printf("%s: %d sent, read %s%n", o.fireAt(), o.counts().sent(), o.counts().readRate());
        }
        // Every delivery of the campaign as CSV, any number of them, newest first:
        try (Writer csv = Files.newBufferedWriter(dir.resolve("campaign.csv"))) {
            long rows = wasched.deliveries().exportCsv(DeliveryQuery.all().forSchedule(campaign.id()), csv);
        }
        // docs:docs/deliveries.md#reports-and-export:end

        assertThat(report.occurrences()).singleElement().satisfies(o -> {
            assertThat(o.fireAt()).isEqualTo(((Trigger.Once) campaign.trigger()).at());
            assertThat(o.counts().sent()).isEqualTo(2);
            assertThat(o.counts().readRate()).hasValue(0.5);
        });
        List<String> csv = Files.readAllLines(dir.resolve("campaign.csv"));
        assertThat(csv.get(0)).startsWith("id,schedule_id,fire_at,");
        assertThat(csv).hasSize(3).allSatisfy(line -> assertThat(line).isNotBlank());
    }
}
