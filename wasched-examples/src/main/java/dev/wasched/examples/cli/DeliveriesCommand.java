package dev.wasched.examples.cli;

import dev.wasched.Page;
import dev.wasched.PageRequest;
import dev.wasched.Wasched;
import dev.wasched.delivery.Delivery;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "deliveries", mixinStandardHelpOptions = true,
        description = "Lists delivery history, newest first, a page at a time.")
final class DeliveriesCommand extends StoreCommand {
    @Mixin
    DeliveryFilter filter;
    @Option(names = "--limit", defaultValue = "20", description = "rows per page (default ${DEFAULT-VALUE})")
    int limit;
    @Option(names = "--cursor", description = "the cursor printed under the previous page")
    String cursor;

    @Override
    int run(CliConfig c, OpenStore store, Wasched w) {
        Page<Delivery> page = w.deliveries().history(filter.query(), new PageRequest(cursor, limit));
        print(spec.commandLine().getOut(), page);
        return ExitCodes.OK;
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
