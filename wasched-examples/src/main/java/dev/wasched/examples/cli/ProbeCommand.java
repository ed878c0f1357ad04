package dev.wasched.examples.cli;

import dev.wasched.session.AccountState;
import dev.wasched.session.AccountStatus;
import dev.wasched.spi.transport.TransportException;
import dev.wasched.whatsapp.PlaywrightTransport;
import dev.wasched.whatsapp.ProbeReport;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Opens one account's WhatsApp Web with its stored session and checks the page against the selector profile: the
 * first thing to run when WhatsApp changes its page. Sends nothing unless {@code --send-to-self}.
 */
@Command(name = "probe", mixinStandardHelpOptions = true,
        description = {"Opens the account's WhatsApp Web with its stored session and checks every selector the current "
                + "screen needs: which candidate matched, an outline of the page where none did, the page's build "
                + "version, blocking screens, and that the account's own chat opens inside the page.",
                "Exits 0 when everything passed, 1 otherwise. Sends nothing, unless --send-to-self sends one short "
                        + "message to the account's own chat. Refuses while another instance runs the account."})
final class ProbeCommand implements Callable<Integer> {
    /** States in which the page has settled: there is something to check. */
    private static final Set<AccountState> SETTLED = EnumSet.complementOf(EnumSet.of(AccountState.STOPPED,
            AccountState.STARTING, AccountState.LOADING, AccountState.DISCONNECTED));

    @Mixin
    ConfigOption config;
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;
    @Parameters(index = "0", paramLabel = "ACCOUNT", description = "a configured account (accounts = ...)")
    String account;
    @Option(names = "--send-to-self", description = "also send one short message to the account's own chat")
    boolean sendToSelf;
    @Option(names = "--headed", description = "show the browser window")
    boolean headed;
    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "120",
            description = "how long to wait for the page (default ${DEFAULT-VALUE})")
    int timeoutSeconds;

    @Override
    public Integer call() throws InterruptedException {
        CliConfig c = config.load();
        if (timeoutSeconds < 1) {
            throw new ConfigException("--timeout: must be at least 1 second, was " + timeoutSeconds);
        }
        var out = spec.commandLine().getOut();
        Optional<SingleAccount> opened = SingleAccount.open(c, account, out, headed);
        if (opened.isEmpty()) {
            return ExitCodes.FAILED;
        }
        try (SingleAccount one = opened.get()) {
            one.wasched.start();
            AccountStatus status = one.await(SETTLED, Duration.ofSeconds(timeoutSeconds));
            Optional<PlaywrightTransport> transport = one.transport();
            if (transport.isEmpty() || !SETTLED.contains(status.state())) {
                out.printf("account %s: the page did not settle within %d s (state %s%s)%n", account, timeoutSeconds,
                        status.state(), status.detail() == null ? "" : ": " + status.detail());
                return ExitCodes.FAILED;
            }
            ProbeReport report;
            try {
                report = transport.get().probe(sendToSelf);
            } catch (TransportException e) {
                out.printf("account %s: the probe could not run: %s%n", account, e.getMessage());
                return ExitCodes.FAILED;
            }
            out.print(report.format());
            if (status.state() == AccountState.QR) {
                out.printf("account %s is not linked: ./wasched link %s%n", account, account);
            }
            return report.ok() ? ExitCodes.OK : ExitCodes.FAILED;
        }
    }
}
