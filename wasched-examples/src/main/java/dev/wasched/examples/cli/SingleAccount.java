package dev.wasched.examples.cli;

import dev.wasched.Wasched;
import dev.wasched.session.AccountState;
import dev.wasched.session.AccountStatus;
import dev.wasched.whatsapp.PlaywrightTransport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One configured account run on its own by a tool command ({@code link}, {@code probe}): its WhatsApp session only,
 * nothing claimed or sent. It refuses to open an account that another instance runs, because two browsers on one
 * WhatsApp login push each other out ("WhatsApp is open in another window").
 */
final class SingleAccount implements AutoCloseable {
    final String account;
    final ConsoleEvents console;
    final OpenStore store;
    final Wasched wasched;
    /** The engine creates the transport when it takes the account; it is recorded here. */
    private final AtomicReference<PlaywrightTransport> transport;

    private SingleAccount(String account, ConsoleEvents console, OpenStore store, Wasched wasched,
                          AtomicReference<PlaywrightTransport> transport) {
        this.account = account;
        this.console = console;
        this.store = store;
        this.wasched = wasched;
        this.transport = transport;
    }

    /**
     * Opens the store and builds the engine for {@code account}; empty (after saying why) when another instance runs
     * the account.
     */
    static Optional<SingleAccount> open(CliConfig c, String account, PrintWriter out, boolean headed) {
        if (!c.accounts().contains(account)) {
            throw new ConfigException("accounts: '" + account + "' is not a configured account (accounts = "
                    + String.join(", ", c.accounts()) + ")");
        }
        if (CloudAccounts.configured(c, account)) {
            throw new ConfigException("cloud." + account + ": account " + account + " runs on the Cloud API; it has no "
                    + "WhatsApp Web login to link or probe");
        }
        ConsoleEvents console = new ConsoleEvents(out, c.bool("whatsapp.redrawQr", true),
                Path.of(c.get("whatsapp.qrDirectory", "wasched-data")));
        SessionKeys keys = RunCommand.sessionKeys(c, console);
        console.deleteQr(account);
        OpenStore store = OpenStore.open(c);
        try {
            Optional<String> owner = store.store().leases().owner("session:" + account);
            if (owner.isPresent()) {
                console.line("account %s is running on instance %s: stop it there first (two browsers on one WhatsApp "
                        + "login push each other out)", account, owner.get());
                store.close();
                return Optional.empty();
            }
            AtomicReference<PlaywrightTransport> made = new AtomicReference<>();
            Wasched w = RunCommand.build(c, store, java.util.List.of(account), console, keys, false,
                    t -> {
                        if (headed) {
                            t.headless(false);
                        }
                    }, made::set, Optional.empty());
            return Optional.of(new SingleAccount(account, console, store, w, made));
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /** The transport the engine runs for the account, once it has created one. */
    Optional<PlaywrightTransport> transport() {
        return Optional.ofNullable(transport.get());
    }

    /** Waits until the account is in one of {@code settled} or the time is up; returns its status then. */
    AccountStatus await(Set<AccountState> settled, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        AccountStatus s;
        while (!settled.contains((s = wasched.sessions().status(account)).state()) && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        return s;
    }

    @Override
    public void close() {
        try {
            wasched.close();
        } finally {
            console.deleteQr(account);
            store.close();
        }
    }
}
