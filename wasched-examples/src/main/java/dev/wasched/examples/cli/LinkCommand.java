package dev.wasched.examples.cli;

import dev.wasched.contact.PhoneNumber;
import dev.wasched.session.AccountState;
import dev.wasched.session.AccountStatus;
import java.time.Duration;
import java.time.Instant;
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
 * Links one account and stores its session, then exits; sends nothing. {@code --headed} shows the browser, which is
 * the way through WhatsApp's passkey step: a headless browser cannot answer it, a person at a desktop can, and the
 * stored session then restores on headless instances.
 */
@Command(name = "link", mixinStandardHelpOptions = true,
        description = {"Links a WhatsApp account (QR code in the terminal, or --pairing-phone for a code to type on "
                + "the phone), saves its session in the store and exits. Sends nothing.",
                "--headed opens a visible browser window: use it on a desktop when WhatsApp asks for a passkey "
                        + "(account state NEEDS_PASSKEY); instances started later restore the stored session headless.",
                "Refuses while another instance runs the account: stop it first."})
final class LinkCommand implements Callable<Integer> {
    private static final Set<AccountState> SETTLED = EnumSet.of(AccountState.READY, AccountState.NEEDS_PASSKEY,
            AccountState.LOGGED_OUT, AccountState.FAILED, AccountState.RESTRICTED);

    @Mixin
    ConfigOption config;
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;
    @Parameters(index = "0", paramLabel = "ACCOUNT", description = "a configured account (accounts = ...)")
    String account;
    @Option(names = "--headed", description = "show the browser window (needed for a passkey)")
    boolean headed;
    @Option(names = "--pairing-phone", paramLabel = "NUMBER",
            description = "log in with a code typed on this phone instead of scanning a QR code")
    String pairingPhone;
    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "300",
            description = "how long to wait for the link (default ${DEFAULT-VALUE})")
    int timeoutSeconds;

    @Override
    public Integer call() throws InterruptedException {
        CliConfig c = config.load();
        if (timeoutSeconds < 1) {
            throw new ConfigException("--timeout: must be at least 1 second, was " + timeoutSeconds);
        }
        PhoneNumber phone = pairingPhone == null ? null
                : PhoneNumber.parse(pairingPhone, c.defaultRegion().orElse(null));
        Optional<SingleAccount> opened = SingleAccount.open(c, account, spec.commandLine().getOut(), headed);
        if (opened.isEmpty()) {
            return ExitCodes.FAILED;
        }
        AccountStatus last;
        try (SingleAccount one = opened.get()) {
            one.wasched.start();
            if (phone != null) {
                RunCommand.requestPairingCode(one.wasched, account, phone, one.console);
            }
            Set<AccountState> settled = EnumSet.copyOf(SETTLED);
            if (headed) {
                settled.remove(AccountState.NEEDS_PASSKEY); // the person at the window answers it
            }
            last = one.await(settled, Duration.ofSeconds(timeoutSeconds));
        } // closing saves the session
        return outcome(c, last);
    }

    private int outcome(CliConfig c, AccountStatus last) {
        var out = spec.commandLine().getOut();
        String detail = last.detail() == null ? "" : " (" + last.detail() + ")";
        switch (last.state()) {
            case READY -> {
                Optional<Instant> saved;
                try (OpenStore store = OpenStore.open(c)) {
                    saved = store.store().sessions().savedAt(account);
                }
                if (saved.isEmpty()) {
                    out.printf("account %s was linked, but its session could not be saved; see the log%n", account);
                    return ExitCodes.FAILED;
                }
                out.printf("account %s is linked; its session is saved in the store (%s)%n", account, saved.get());
                return ExitCodes.OK;
            }
            case NEEDS_PASSKEY -> out.printf("account %s: WhatsApp asks for a passkey, which a headless browser cannot "
                    + "give. Run this on a desktop: ./wasched link %s --headed%n", account, account);
            case RESTRICTED -> out.printf("account %s is linked but restricted by WhatsApp%s; nothing can be sent until "
                    + "the restriction ends%n", account, detail);
            default -> out.printf("account %s was not linked: %s%s%n", account, last.state(), detail);
        }
        return ExitCodes.FAILED;
    }
}
