package dev.wasched.examples.cli;

import dev.wasched.Wasched;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/**
 * A command that reads or changes the configured store through a wasched without transports (next to running
 * instances): it opens both, does its work, and closes them.
 */
abstract class StoreCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** The command's work; returns its exit code. */
    abstract int run(CliConfig c, OpenStore store, Wasched w) throws IOException;

    @Override
    public Integer call() throws IOException {
        CliConfig c = config.load();
        try (OpenStore store = OpenStore.open(c); Wasched w = ConfigOption.offline(c, store)) {
            return run(c, store, w);
        }
    }
}
