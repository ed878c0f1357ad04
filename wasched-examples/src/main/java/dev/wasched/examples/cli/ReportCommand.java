package dev.wasched.examples.cli;

import dev.wasched.Wasched;
import dev.wasched.delivery.DeliveryStatus;
import dev.wasched.report.DeliveryCounts;
import dev.wasched.report.OccurrenceReport;
import dev.wasched.report.ScheduleReport;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"How a schedule did: its deliveries per occurrence and in total, by status, with the answered"
                + " ones and the delivered and read rates.",
                "Rates (%%) are of the sent deliveries (SENT, DELIVERED or READ); \"-\" while none was sent."})
final class ReportCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;
    @Parameters(index = "0", paramLabel = "SCHEDULE_ID", description = "as `schedule` printed it")
    String scheduleId;
    @Option(names = "--fire-at", paramLabel = "INSTANT",
            description = "only this occurrence, e.g. 2026-05-04T08:00:00Z (as the report prints it)")
    Instant fireAt;

    @Override
    public Integer call() {
        CliConfig c = config.load();
        try (OpenStore store = OpenStore.open(c); Wasched w = ConfigOption.offline(c, store)) {
            ScheduleReport report = fireAt == null ? w.deliveries().report(scheduleId)
                    : ScheduleReport.of(scheduleId, List.of(w.deliveries().report(scheduleId, fireAt)));
            print(spec.commandLine().getOut(), report);
            return ExitCodes.OK;
        }
    }

    /** One row per occurrence and a total; a column for each status that any delivery is in. */
    static void print(PrintWriter out, ScheduleReport report) {
        DeliveryCounts totals = report.totals();
        List<DeliveryStatus> shown = Arrays.stream(DeliveryStatus.values()).filter(s -> totals.count(s) > 0).toList();
        out.printf("schedule %s: %d deliveries in %d occurrences%n", report.scheduleId(), totals.total(),
                report.occurrences().size());
        StringBuilder head = new StringBuilder(String.format("%-24s  %7s", "FIRE AT", "TOTAL"));
        shown.forEach(s -> head.append(String.format("  %9s", s)));
        out.println(head.append(String.format("  %7s  %10s  %7s  %8s", "REPLIED", "DELIVERED%", "READ%", "REPLIED%")));
        for (OccurrenceReport o : report.occurrences()) {
            out.println(row(o.fireAt().toString(), o.counts(), shown));
        }
        out.println(row("TOTAL", totals, shown));
    }

    private static String row(String label, DeliveryCounts n, List<DeliveryStatus> shown) {
        StringBuilder line = new StringBuilder(String.format("%-24s  %7d", label, n.total()));
        shown.forEach(s -> line.append(String.format("  %9d", n.count(s))));
        return line.append(String.format("  %7d  %10s  %7s  %8s", n.replied(), percent(n.deliveredRate()),
                percent(n.readRate()), percent(n.replyRate()))).toString();
    }

    static String percent(OptionalDouble rate) {
        return rate.isPresent() ? String.format(Locale.ROOT, "%.1f%%", rate.getAsDouble() * 100) : "-";
    }
}
