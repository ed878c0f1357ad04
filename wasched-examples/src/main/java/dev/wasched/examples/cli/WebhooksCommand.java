package dev.wasched.examples.cli;

import dev.wasched.Secret;
import dev.wasched.Wasched;
import dev.wasched.webhook.OutboxEntry;
import dev.wasched.webhook.WebhookEndpoint;
import dev.wasched.webhook.WebhookSpec;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "webhooks", mixinStandardHelpOptions = true,
        description = "URLs the events are POSTed to, signed; running instances deliver them.",
        subcommands = {WebhooksCommand.ListEndpoints.class, WebhooksCommand.Add.class, WebhooksCommand.Remove.class,
                WebhooksCommand.Failed.class})
final class WebhooksCommand implements Runnable {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Opens the configured store, does one thing with the webhooks, prints to standard output. */
    abstract static class Action implements Callable<Integer> {
        @Mixin
        ConfigOption config;
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        abstract void run(Wasched w, PrintWriter out);

        @Override
        public Integer call() {
            CliConfig c = config.load();
            try (OpenStore store = OpenStore.open(c); Wasched w = ConfigOption.offline(c, store)) {
                run(w, spec.commandLine().getOut());
                return ExitCodes.OK;
            }
        }
    }

    static void print(PrintWriter out, WebhookEndpoint e) {
        out.println(e.id() + "  " + e.url() + "  " + (e.spec().events().isEmpty() ? "all events"
                : String.join(",", e.spec().events())));
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the endpoints (never their secrets).")
    static final class ListEndpoints extends Action {
        @Override
        void run(Wasched w, PrintWriter out) {
            w.webhooks().list().forEach(e -> print(out, e));
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Registers an endpoint.")
    static final class Add extends Action {
        @Parameters(index = "0", paramLabel = "URL")
        String url;
        @Option(names = "--event", paramLabel = "TYPE", description = "an event type such as DeliverySent; all when none")
        List<String> events = List.of();
        @Option(names = "--secret-env", paramLabel = "VARIABLE",
                description = "the environment variable that holds the signing secret")
        String secretEnv;
        @Option(names = "--secret-file", paramLabel = "FILE", description = "a file that holds the signing secret")
        java.nio.file.Path secretFile;

        @Override
        void run(Wasched w, PrintWriter out) {
            print(out, w.webhooks().register(WebhookSpec.of(url, secret(), events.toArray(String[]::new))));
        }

        /** Never from the command line itself, which other users of the machine can read in the process list. */
        private Secret secret() {
            if ((secretEnv == null) == (secretFile == null)) {
                throw new dev.wasched.ValidationException("secret", "give one of --secret-env or --secret-file");
            }
            if (secretEnv != null) {
                return Secret.fromEnv(secretEnv);
            }
            try {
                return Secret.of(java.nio.file.Files.readString(secretFile).strip());
            } catch (java.io.IOException e) {
                throw new dev.wasched.ValidationException("secret", "cannot read " + secretFile + ": " + e.getMessage());
            }
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true,
            description = "Removes endpoints and the events not yet delivered to them.")
    static final class Remove extends Action {
        @Parameters(arity = "1..*", paramLabel = "ID")
        List<String> ids;

        @Override
        void run(Wasched w, PrintWriter out) {
            for (String id : ids) {
                out.println((w.webhooks().remove(id) ? "removed " : "no endpoint ") + id);
            }
        }
    }

    @Command(name = "failed", mixinStandardHelpOptions = true,
            description = "Events given up on for an endpoint, newest first.")
    static final class Failed extends Action {
        @Parameters(index = "0", paramLabel = "ID")
        String id;
        @Option(names = "--limit", defaultValue = "20")
        int limit;

        @Override
        void run(Wasched w, PrintWriter out) {
            for (OutboxEntry e : w.webhooks().failed(id, limit)) {
                out.println(e.eventId() + "  " + e.eventType() + "  " + e.attempts() + " attempts  " + e.lastError());
            }
        }
    }
}
