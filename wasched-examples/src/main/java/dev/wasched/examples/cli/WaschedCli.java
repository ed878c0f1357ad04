package dev.wasched.examples.cli;

import dev.wasched.NotFoundException;
import dev.wasched.WaschedException;
import dev.wasched.ValidationException;
import dev.wasched.spi.store.StoreException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ./wasched}: the command line of the example application. */
@Command(name = "wasched", mixinStandardHelpOptions = true, versionProvider = WaschedCli.Version.class,
        description = "Schedules and sends WhatsApp messages reliably.",
        subcommands = {DemoCommand.class, RunCommand.class, LinkCommand.class, ProbeCommand.class, ImportCommand.class, ScheduleCommand.class, EditScheduleCommand.class, StatusCommand.class, DeliveriesCommand.class, CancelCommand.class, DlqCommand.class, AccountsCommand.class, WebhooksCommand.class, ReportCommand.class, ExportCommand.class, UserCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done", "1:the work ran but did not succeed (demo: not all delivered)",
                "2:wrong command line", "3:configuration error", "4:input rejected (invalid number, unknown id, bad file)",
                "5:store unreachable or failing"})
/** The {@code wasched} command line: its sub-commands run, demo and manage an instance from a shell. */
public final class WaschedCli implements Runnable {
    private static final String LOG_LEVEL = "org.slf4j.simpleLogger.defaultLogLevel";
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        // A command's own output tells the story; engine INFO logs are for the long-running "run" (and for whoever
        // sets org.slf4j.simpleLogger.defaultLogLevel). Set before the first logger exists.
        if (System.getProperty(LOG_LEVEL) == null && (args.length == 0 || !args[0].equals("run"))) {
            System.setProperty(LOG_LEVEL, "warn");
        }
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs a command line and returns its exit code (tests call this instead of main). */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new WaschedCli());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, line, parsed) -> {
            line.getErr().println("error: " + e.getMessage());
            if (e instanceof ConfigException) {
                return ExitCodes.CONFIG;
            }
            if (e instanceof StoreException) {
                return ExitCodes.STORE;
            }
            if (e instanceof ValidationException || e instanceof NotFoundException || e instanceof WaschedException) {
                return ExitCodes.INVALID_INPUT;
            }
            line.getErr().println("(unexpected; run with --verbose for details)");
            if (Boolean.getBoolean("wasched.verbose")) {
                e.printStackTrace(line.getErr());
            }
            return ExitCodes.FAILED;
        });
        return cli.execute(args);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[]{"wasched " + dev.wasched.Wasched.version()};
        }
    }
}
