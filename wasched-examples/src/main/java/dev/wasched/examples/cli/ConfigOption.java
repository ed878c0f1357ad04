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
        Wasched w = b.build();
        // The file's accounts are run by `run` as accounts declared in code: registered here too, so that a schedule
        // may name one before `run` has started.
        for (String account : config.accounts()) {
            if (store.store().accounts().find(account).isEmpty()) {
                try {
                    w.accounts().add(dev.wasched.account.AccountSpec.builder(account)
                            .kind(dev.wasched.account.Account.DECLARED_IN_CODE).build());
                } catch (dev.wasched.account.DuplicateAccountException e) {
                    // registered meanwhile by a running instance
                }
            }
        }
        return w;
    }
}
