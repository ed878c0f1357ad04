package dev.wasched.examples.cli;

import dev.wasched.Wasched;
import dev.wasched.delivery.Delivery;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "cancel", mixinStandardHelpOptions = true,
        description = {"Cancels pending deliveries (one message to one recipient) before they are sent; the schedule"
                + " goes on with the others.",
                "A delivery already being sent, sent or finished is not cancelled (exit code 4, with its status)."})
final class CancelCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;
    @Parameters(arity = "1..*", paramLabel = "ID", description = "delivery ids, as `deliveries` lists them")
    List<String> ids;

    @Override
    public Integer call() {
        CliConfig c = config.load();
        try (OpenStore store = OpenStore.open(c); Wasched w = ConfigOption.offline(c, store)) {
            for (String id : ids) {
                Delivery d = w.deliveries().cancel(id);
                spec.commandLine().getOut().printf("cancelled %s (%s)%n", d.id(), d.recipient().address());
            }
            return ExitCodes.OK;
        }
    }
}
