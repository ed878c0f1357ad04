package dev.wasched.examples.cli;

import dev.wasched.PageRequest;
import dev.wasched.Wasched;
import dev.wasched.delivery.Delivery;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "dlq", mixinStandardHelpOptions = true, description = "The dead-letter queue.",
        subcommands = {DlqCommand.ListDead.class, DlqCommand.Requeue.class})
final class DlqCommand implements Runnable {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists DEAD deliveries, newest first.")
    static final class ListDead implements Callable<Integer> {
        @Mixin
        ConfigOption config;
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;
        @Option(names = "--limit", defaultValue = "20")
        int limit;
        @Option(names = "--cursor")
        String cursor;

        @Override
        public Integer call() {
            CliConfig c = config.load();
            try (OpenStore store = OpenStore.open(c); Wasched w = ConfigOption.offline(c, store)) {
                DeliveriesCommand.print(spec.commandLine().getOut(), w.deliveries().deadLetters(new PageRequest(cursor, limit)));
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "requeue", mixinStandardHelpOptions = true,
            description = "Sends DEAD or UNCERTAIN deliveries again (a running instance picks them up).")
    static final class Requeue implements Callable<Integer> {
        @Mixin
        ConfigOption config;
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;
        @Parameters(arity = "1..*", paramLabel = "ID")
        List<String> ids;

        @Override
        public Integer call() {
            CliConfig c = config.load();
            try (OpenStore store = OpenStore.open(c); Wasched w = ConfigOption.offline(c, store)) {
                for (String id : ids) {
                    Delivery d = w.deliveries().requeue(id);
                    spec.commandLine().getOut().printf("requeued %s (%s)%n", d.id(), d.recipient().address());
                }
                return ExitCodes.OK;
            }
        }
    }
}
