package dev.wasched.examples.cli;

import dev.wasched.Wasched;
import dev.wasched.delivery.Delivery;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * A command that does one thing to each delivery it names, in order, printing each one done; the first refusal (a
 * typed wasched error) stops it with exit code 4.
 */
abstract class DeliveryAction implements Callable<Integer> {
    @Mixin
    ConfigOption config;
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;
    @Parameters(arity = "1..*", paramLabel = "ID", description = "delivery ids, as `deliveries` lists them")
    List<String> ids;

    /** What the command does to one delivery; returns it as written. */
    abstract Delivery apply(Wasched w, String id);

    /** The past tense printed for each delivery done, such as "cancelled". */
    abstract String done();

    @Override
    public Integer call() {
        CliConfig c = config.load();
        try (OpenStore store = OpenStore.open(c); Wasched w = ConfigOption.offline(c, store)) {
            for (String id : ids) {
                Delivery d = apply(w, id);
                spec.commandLine().getOut().printf("%s %s (%s)%n", done(), d.id(), d.recipient().address());
            }
            return ExitCodes.OK;
        }
    }
}
