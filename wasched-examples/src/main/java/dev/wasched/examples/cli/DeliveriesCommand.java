package dev.wasched.examples.cli;

import dev.wasched.Page;
import dev.wasched.PageRequest;
import dev.wasched.Wasched;
import dev.wasched.delivery.Delivery;
import dev.wasched.delivery.DeliveryQuery;
import dev.wasched.delivery.DeliveryStatus;
import java.io.PrintWriter;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "deliveries", mixinStandardHelpOptions = true,
        description = "Lists delivery history, newest first, a page at a time.")
final class DeliveriesCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;
    @Option(names = "--status", split = ",", description = "only these statuses, e.g. SENT,DEAD")
    List<DeliveryStatus> statuses;
    @Option(names = "--schedule", description = "only this schedule's deliveries")
    String scheduleId;
    @Option(names = "--replied", description = "only deliveries the recipient answered")
    boolean replied;
    @Option(names = "--limit", defaultValue = "20", description = "rows per page (default ${DEFAULT-VALUE})")
    int limit;
    @Option(names = "--cursor", description = "the cursor printed under the previous page")
    String cursor;

    @Override
    public Integer call() {
        CliConfig c = config.load();
        try (OpenStore store = OpenStore.open(c); Wasched w = ConfigOption.offline(c, store)) {
            DeliveryQuery q = new DeliveryQuery(scheduleId, null, null,
                    statuses == null ? EnumSet.noneOf(DeliveryStatus.class) : EnumSet.copyOf(statuses), null, null,
                    replied);
            Page<Delivery> page = w.deliveries().history(q, new PageRequest(cursor, limit));
            print(spec.commandLine().getOut(), page);
            return ExitCodes.OK;
        }
    }

    static void print(PrintWriter out, Page<Delivery> page) {
        out.printf("%-36s  %-10s  %-20s  %-24s  %s%n", "ID", "STATUS", "RECIPIENT", "FIRE AT", "ATTEMPTS / ERROR");
        for (Delivery d : page.items()) {
            out.printf("%-36s  %-10s  %-20s  %-24s  %d%s%s%n", d.id(), d.status(), d.recipient().address(), d.fireAt(),
                    d.attempts(), d.repliedAt() == null ? "" : "  replied " + d.repliedAt(),
                    d.lastError() == null ? "" : "  " + d.lastError());
        }
        page.nextCursor().ifPresent(next -> out.println("more: --cursor " + next));
    }
}
