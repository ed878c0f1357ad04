package dev.wasched.examples.cli;

import dev.wasched.Wasched;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --config FILE}, shared by every command that opens the store. */
public final class ConfigOption {
    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "configuration file (default: ./wasched.properties when present, else an embedded store in "
                    + "./wasched-data)")
    Path file;

    CliConfig load() {
        Path f = file;
        if (f == null && java.nio.file.Files.isRegularFile(Path.of("wasched.properties"))) {
            f = Path.of("wasched.properties");
        }
        return CliConfig.load(f, System.getenv());
    }

    /** A wasched on the configured store without transports: enough to read and change data. */
    static Wasched offline(CliConfig config, OpenStore store) {
        var b = Wasched.builder().store(store.store()).defaultZone(config.zone());
        config.defaultRegion().ifPresent(b::defaultRegion);
        return b.build();
    }
}
