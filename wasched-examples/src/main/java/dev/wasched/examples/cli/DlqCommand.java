package dev.wasched.examples.cli;

import dev.wasched.Page;
import dev.wasched.PageRequest;
import dev.wasched.Wasched;
import dev.wasched.delivery.Delivery;
import dev.wasched.delivery.DeliveryStatus;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "dlq", mixinStandardHelpOptions = true,
        description = "The dead-letter queue and the UNCERTAIN deliveries that wait for a decision.",
        subcommands = {DlqCommand.ListDead.class, DlqCommand.ListUncertain.class, DlqCommand.Requeue.class,
                DlqCommand.Dismiss.class})
final class DlqCommand implements Runnable {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** A page of deliveries from the store, newest first, and how to go on. */
    abstract static class Listing implements Callable<Integer> {
        @Mixin
        ConfigOption config;
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;
        @Option(names = "--limit", defaultValue = "20")
        int limit;
        @Option(names = "--cursor")
        String cursor;

        abstract Page<Delivery> page(Wasched w, PageRequest request);

        abstract void print(PrintWriter out, Page<Delivery> page);

        @Override
        public Integer call() {
            CliConfig c = config.load();
            try (OpenStore store = OpenStore.open(c); Wasched w = ConfigOption.offline(c, store)) {
                print(spec.commandLine().getOut(), page(w, new PageRequest(cursor, limit)));
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists DEAD deliveries, newest first.")
    static final class ListDead extends Listing {
        @Override
        Page<Delivery> page(Wasched w, PageRequest request) {
            return w.deliveries().deadLetters(request);
        }

        @Override
        void print(PrintWriter out, Page<Delivery> page) {
            DeliveriesCommand.print(out, page);
        }
    }

    @Command(name = "uncertain", mixinStandardHelpOptions = true,
            description = "Lists UNCERTAIN deliveries (the message may or may not have left) with their evidence.")
    static final class ListUncertain extends Listing {
        @Override
        Page<Delivery> page(Wasched w, PageRequest request) {
            return w.deliveries().uncertain(request);
        }

        @Override
        void print(PrintWriter out, Page<Delivery> page) {
            for (Delivery d : page.items()) {
                out.println(d.id() + "  " + d.recipient().address());
                out.println(evidence(d));
            }
            page.nextCursor().ifPresent(next -> out.println("more: --cursor " + next));
        }
    }

    /** What is known about an UNCERTAIN delivery's last attempt; never the message text. */
    static String evidence(Delivery d) {
        return "  uncertain since " + d.updatedAt() + ", attempt " + d.attempts() + ": "
                + (d.lastError() == null ? "no reason recorded" : d.lastError()) + "\n"
                + "  WhatsApp id seen before confirmation: " + (d.transportMessageId() != null ? "yes" : "no")
                + "; chat marker recorded before sending: " + (d.sendMarker() != null ? "yes" : "no");
    }

    @Command(name = "requeue", mixinStandardHelpOptions = true,
            description = {"Sends DEAD deliveries again (a running instance picks them up).",
                    "An UNCERTAIN delivery may already have reached the recipient: it is only requeued with"
                            + " --resend-uncertain, after its evidence was shown (dlq uncertain)."})
    static final class Requeue implements Callable<Integer> {
        @Mixin
        ConfigOption config;
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;
        @Option(names = "--resend-uncertain",
                description = "Also requeue UNCERTAIN deliveries; the recipient may get the message twice.")
        boolean resendUncertain;
        @Parameters(arity = "1..*", paramLabel = "ID")
        List<String> ids;

        @Override
        public Integer call() {
            CliConfig c = config.load();
            PrintWriter out = spec.commandLine().getOut();
            int refused = 0;
            try (OpenStore store = OpenStore.open(c); Wasched w = ConfigOption.offline(c, store)) {
                for (String id : ids) {
                    Delivery current = w.deliveries().get(id);
                    if (current.status() == DeliveryStatus.UNCERTAIN && !resendUncertain) {
                        refused++;
                        spec.commandLine().getErr().printf("not requeued %s: it is UNCERTAIN and may already have"
                                + " reached %s%n%s%nrequeue it with --resend-uncertain if it did not%n", id,
                                current.recipient().address(), evidence(current));
                        continue;
                    }
                    // Bound to the version just read: a delivery settled meanwhile is not sent again.
                    Delivery d = w.deliveries().requeue(id, current.version());
                    out.printf("requeued %s (%s)%n", d.id(), d.recipient().address());
                }
                return refused == 0 ? ExitCodes.OK : ExitCodes.INVALID_INPUT;
            }
        }
    }

    @Command(name = "dismiss", mixinStandardHelpOptions = true,
            description = {"Closes DEAD or UNCERTAIN deliveries without sending them again: they leave these lists"
                    + " for good and stay in the history (status DISMISSED).",
                    "A dismissed UNCERTAIN delivery may still have reached the recipient; it is never looked up or"
                            + " sent again."})
    static final class Dismiss extends DeliveryAction {
        @Override
        Delivery apply(Wasched w, String id) {
            // Bound to the version just read: a delivery requeued or settled meanwhile is left as it is.
            return w.deliveries().dismiss(id, w.deliveries().get(id).version());
        }

        @Override
        String done() {
            return "dismissed";
        }
    }
}
