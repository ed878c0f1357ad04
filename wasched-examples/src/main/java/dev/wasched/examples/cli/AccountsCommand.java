package dev.wasched.examples.cli;

import dev.wasched.Wasched;
import dev.wasched.account.Account;
import dev.wasched.account.AccountSpec;
import dev.wasched.whatsapp.cloud.CloudApiTransport;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "accounts", mixinStandardHelpOptions = true,
        description = {"Lists, adds, pauses, resumes and removes WhatsApp accounts while instances run: each running"
                + " instance sees a change within one heartbeat, no restart.",
                "An added account of kind whatsapp-web is configured like one in the file, its settings (--set KEY=VALUE)"
                + " standing for whatsapp.NAME.KEY; it is linked with `wasched link NAME`. One of kind cloud runs on"
                + " the Cloud API, its settings standing for cloud.NAME.KEY (phoneNumberId, accessToken.env, ...)."},
        subcommands = {AccountsCommand.Add.class, AccountsCommand.Pause.class, AccountsCommand.Resume.class,
                AccountsCommand.Remove.class})
final class AccountsCommand extends StoreCommand {
    @Override
    int run(CliConfig c, OpenStore store, Wasched w) {
        var out = spec.commandLine().getOut();
        for (Account a : w.accounts().list()) {
            String owner = store.store().leases().owner("session:" + a.name()).orElse("nobody");
            out.printf("%-20s %-8s %-13s run by %s%n", a.name(), a.status(), a.kind(), owner);
        }
        return ExitCodes.OK;
    }

    /** One change to one account, printed as the registry holds it afterwards. */
    abstract static class Change extends StoreCommand {
        @Parameters(index = "0", paramLabel = "NAME", description = "the account's name")
        String name;

        abstract BiFunction<Wasched, String, Account> change();

        @Override
        int run(CliConfig c, OpenStore store, Wasched w) {
            Account a = change().apply(w, name);
            spec.commandLine().getOut().printf("%s %s%n", a.name(), a.status());
            return ExitCodes.OK;
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Registers an account (or restores a removed one).")
    static final class Add extends Change {
        @Option(names = "--kind", defaultValue = RunCommand.WHATSAPP_WEB,
                description = "the transport kind (default ${DEFAULT-VALUE})")
        String kind;
        @Option(names = "--set", paramLabel = "KEY=VALUE", description = "a transport setting, such as headless=false")
        Map<String, String> settings = new LinkedHashMap<>();

        @Override
        BiFunction<Wasched, String, Account> change() {
            AccountSpec.Builder spec = AccountSpec.builder(name).kind(kind).settings(settings);
            if (CloudAccounts.KIND.equals(kind)) {
                spec.pacing(CloudApiTransport.PACING); // the API's own limits, not a browser's ban-avoidance gaps
            }
            return (w, n) -> w.accounts().add(spec.build());
        }
    }

    @Command(name = "pause", mixinStandardHelpOptions = true,
            description = "Stops the account sending everywhere; its session stays logged in and hears replies.")
    static final class Pause extends Change {
        @Override
        BiFunction<Wasched, String, Account> change() {
            return (w, n) -> w.accounts().pause(n);
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true, description = "Lets a paused account send again.")
    static final class Resume extends Change {
        @Override
        BiFunction<Wasched, String, Account> change() {
            return (w, n) -> w.accounts().resume(n);
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true,
            description = "Stops the account everywhere and cancels its pending messages; its history stays.")
    static final class Remove extends Change {
        @Override
        BiFunction<Wasched, String, Account> change() {
            return (w, n) -> w.accounts().remove(n);
        }
    }
}
