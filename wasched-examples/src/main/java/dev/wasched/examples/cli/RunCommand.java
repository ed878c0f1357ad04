package dev.wasched.examples.cli;

import dev.wasched.Secret;
import dev.wasched.ValidationException;
import dev.wasched.Wasched;
import dev.wasched.WaschedBuilder;
import dev.wasched.contact.PhoneNumber;
import dev.wasched.inbound.ReplyKeywords;
import dev.wasched.policy.PacingPolicy;
import dev.wasched.session.AccountState;
import dev.wasched.spi.store.TemplateRepository;
import dev.wasched.telegram.TelegramController;
import dev.wasched.telegram.TelegramControllerConfig;
import dev.wasched.whatsapp.PageLayer;
import dev.wasched.whatsapp.PlaywrightTransport;
import dev.wasched.whatsapp.PlaywrightTransportConfig;
import dev.wasched.whatsapp.SelectorProfile;
import dev.wasched.whatsapp.cloud.CloudApiConfig;
import dev.wasched.whatsapp.cloud.CloudApiTransport;
import dev.wasched.whatsapp.cloud.CloudWebhook;
import dev.wasched.whatsapp.cloud.CloudWebhookServer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/**
 * The real thing: the configured store, one WhatsApp Web browser per account (QR in the terminal), optionally the
 * Telegram controller, until SIGTERM or Ctrl-C, which shut down gracefully and save the sessions.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Runs wasched until stopped: sends what is due through WhatsApp Web for every configured "
                + "account, shows login QR codes in the terminal, and starts the Telegram controller when configured.",
                "SIGTERM or Ctrl-C shuts down gracefully: sends in flight finish, work is handed to other instances "
                        + "and the WhatsApp sessions are saved (the JVM then exits with 143 for SIGTERM, 130 for Ctrl-C)."})
final class RunCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(RunCommand.class);
    @Mixin
    ConfigOption config;
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        CliConfig c = config.load();
        List<String> accounts = c.accounts();
        if (accounts.isEmpty()) {
            throw new ConfigException("accounts: name at least one WhatsApp account, e.g. accounts = shop");
        }
        PrintWriter out = spec.commandLine().getOut();
        ConsoleEvents console = new ConsoleEvents(out, c.bool("whatsapp.redrawQr", true),
                Path.of(c.get("whatsapp.qrDirectory", "wasched-data")));
        SessionKeys keys = sessionKeys(c, console);
        accounts.forEach(console::deleteQr); // a code left by a run that was killed is stale
        OpenStore store = OpenStore.open(c);
        Wasched wasched;
        TelegramController telegram;
        WebServer webServer;
        CloudWebhookServer cloudWebhook = null;
        try {
            Optional<CloudWebhook> webhook = CloudAccounts.webhook(c);
            wasched = build(c, store, accounts, console, keys, true, t -> { }, null, webhook);
            telegram = telegram(c, wasched, accounts);
            ConfiguredWebhooks.apply(c, wasched);
            if (webhook.isPresent()) {
                cloudWebhook = CloudAccounts.serve(c, webhook.get());
            }
            webServer = WebServer.start(c, wasched, store);
        } catch (RuntimeException e) {
            closeQuietly(cloudWebhook);
            store.close();
            throw e;
        }
        CloudWebhookServer cloudWebhookServer = cloudWebhook;
        CountDownLatch stopped = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicBoolean stopping = new java.util.concurrent.atomic.AtomicBoolean();
        Runnable stop = () -> {
            if (!stopping.compareAndSet(false, true)) {
                return;
            }
            console.line("stopping: finishing sends in flight and saving the WhatsApp sessions");
            closeQuietly(webServer);
            closeQuietly(cloudWebhookServer);
            closeQuietly(telegram);
            closeQuietly(wasched);
            closeQuietly(store);
            console.deleteQrCodes();
            console.line("stopped");
            stopped.countDown();
        };
        Runtime.getRuntime().addShutdownHook(new Thread(stop, "wasched-shutdown"));
        java.util.concurrent.atomic.AtomicInteger exitCode = new java.util.concurrent.atomic.AtomicInteger(ExitCodes.OK);
        stopBeforeJvmShutdown(stop, exitCode);
        wasched.start();
        if (telegram != null) {
            telegram.start();
        }
        console.line("wasched %s running as instance %s for %s on %s%s; Ctrl-C or SIGTERM stops it",
                Wasched.version(), wasched.instanceId(), String.join(", ", accounts), redacted(c.storeUrl()),
                telegram != null ? ", with Telegram" : "");
        if (webServer != null) {
            console.line("web API at %s (users: wasched user add NAME --role admin)", webServer.url());
        }
        if (cloudWebhookServer != null) {
            console.line("Cloud API webhook at %s (expose it to Meta through your HTTPS proxy)", cloudWebhookServer.url());
        }
        requestPairingCodes(c, wasched, accounts, console);
        stopped.await();
        return exitCode.get();
    }

    /**
     * SIGTERM and Ctrl-C stop wasched first and only then let the JVM shut down: {@code run} returns 143 or 130, the
     * exit codes of a JVM ended by those signals. Were the stop left to a shutdown hook, it would run beside the
     * embedded database's own hook, which may close the database while the sessions are still being saved. Where the
     * JVM offers no signal handling, the shutdown hook does the work.
     */
    private static void stopBeforeJvmShutdown(Runnable stop, java.util.concurrent.atomic.AtomicInteger exitCode) {
        for (String[] signal : new String[][]{{"TERM", "143"}, {"INT", "130"}}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(signal[0]), sig -> {
                    exitCode.set(Integer.parseInt(signal[1]));
                    new Thread(stop, "wasched-signal-" + signal[0]).start();
                });
            } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
                log.debug("no handler for SIG{} ({}); the shutdown hook stops wasched", signal[0], e.toString());
            }
        }
    }

    /**
     * The session keys (see {@link SessionKeys}): says when a key file was just created, and warns at every start
     * when encryption was turned off.
     */
    static SessionKeys sessionKeys(CliConfig c, ConsoleEvents console) {
        SessionKeys keys = SessionKeys.resolve(c, c.dataDirectory());
        if (!keys.encrypted()) {
            log.warn("session.encryption is off: the WhatsApp logins are stored unencrypted, and anyone who can read "
                    + "the store can take over these accounts");
        }
        keys.created().ifPresent(file -> console.line("created a new session key in %s (readable by you only): the "
                + "stored WhatsApp logins are encrypted with it; keep a copy, without it the accounts must be linked "
                + "again%s", file, c.storeUrl().startsWith("h2:") ? ""
                : "; every instance on this store needs the same key (copy the file, or set session.key.env)"));
        return keys;
    }

    /**
     * The engine for {@code accounts} on the configured store. {@code sending} false makes an instance that runs the
     * sessions but claims nothing ({@code link}, {@code probe}); {@code tune} adjusts each transport's settings, and
     * {@code created} (when not null) is told of each transport the engine creates.
     */
    static Wasched build(CliConfig c, OpenStore store, List<String> accounts, ConsoleEvents console, SessionKeys keys,
                         boolean sending, java.util.function.Consumer<PlaywrightTransportConfig.Builder> tune,
                         java.util.function.Consumer<PlaywrightTransport> created, Optional<CloudWebhook> webhook) {
        WaschedBuilder b = Wasched.builder().store(store.store()).defaultZone(c.zone()).listener(console)
                .pacing(pacing(c)).sendingEnabled(sending).webhooks(ConfiguredWebhooks.options(c));
        c.defaultRegion().ifPresent(b::defaultRegion);
        c.get("instanceId").ifPresent(b::instanceId);
        if (c.get("fallbackPoll").isPresent()) {
            b.fallbackPoll(c.duration("fallbackPoll", null));
        }
        b.replyKeywords(replyKeywords(c));
        keys.current().ifPresent(b::sessionKey);
        keys.previous().ifPresent(b::previousSessionKey);
        if (keys.encrypted()) {
            b.adoptUnencryptedSessions(c.bool("session.adoptUnencrypted", false));
        }
        TemplateRepository templates = store.store().templates();
        for (String account : accounts) {
            if (CloudAccounts.configured(c, account)) {
                CloudApiConfig cloud = CloudAccounts.config(c, account, templates, webhook);
                b.transport(account, () -> new CloudApiTransport(cloud)).pacing(account, CloudApiTransport.PACING);
                continue;
            }
            PlaywrightTransportConfig.Builder t = transportBuilder(c, account);
            tune.accept(t);
            PlaywrightTransportConfig transport = t.build();
            b.transport(account, () -> made(new PlaywrightTransport(transport), created));
        }
        if (sending) {
            // Accounts added at run time (`wasched accounts add NAME`), configured by their settings over the file's;
            // not for the tools (link, probe), which run just the account they were asked for.
            b.transportFactory(WHATSAPP_WEB, a -> {
                PlaywrightTransportConfig.Builder t = transportBuilder(c.forAccount("whatsapp", a.name(), a.settings()), a.name());
                tune.accept(t);
                return made(new PlaywrightTransport(t.build()), created);
            });
            b.transportFactory(CloudAccounts.KIND, a -> new CloudApiTransport(CloudAccounts.config(
                    c.forAccount("cloud", a.name(), a.settings()), a.name(), templates, webhook)));
        }
        return b.build();
    }

    /** The transport kind of registered WhatsApp Web accounts. */
    static final String WHATSAPP_WEB = "whatsapp-web";

    private static PlaywrightTransport made(PlaywrightTransport t,
                                            java.util.function.Consumer<PlaywrightTransport> created) {
        if (created != null) {
            created.accept(t);
        }
        return t;
    }

    /** {@code whatsapp.*} for every account, {@code whatsapp.ACCOUNT.*} for one. */
    static PlaywrightTransportConfig transport(CliConfig c, String account) {
        return transportBuilder(c, account).build();
    }

    private static PlaywrightTransportConfig.Builder transportBuilder(CliConfig c, String account) {
        PlaywrightTransportConfig.Builder t = PlaywrightTransportConfig.builder(account)
                .workDirectory(Path.of(c.get("whatsapp.workDirectory", "wasched-data/browser")))
                .headless(c.bool(key(c, account, "headless"), true));
        c.get(key(c, account, "webUrl")).ifPresent(t::webUrl);
        c.get(key(c, account, "browser")).map(Path::of).ifPresent(t::browserExecutable);
        // unset: the browser's own, learnt from a throwaway launch
        c.get(key(c, account, "userAgent")).ifPresent(t::userAgent);
        String poll = key(c, account, "pollInterval");
        if (c.get(poll).isPresent()) {
            t.pollInterval(c.duration(poll, null));
        }
        String layer = key(c, account, "pageLayer");
        c.get(layer).ifPresent(v -> {
            try {
                t.pageLayer(PageLayer.valueOf(v.strip().toUpperCase(java.util.Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(layer + ": AUTO, UI_ONLY or IN_PAGE_ONLY, not '" + v + "'");
            }
        });
        t.selectors(selectors(c, account));
        return t;
    }

    /**
     * {@code replies.optOut} and {@code replies.optIn}: comma-separated words; unset, the defaults
     * ({@link ReplyKeywords#DEFAULT}); {@code none}, no word. {@code replies.optOutConfirmation} and
     * {@code replies.optInConfirmation}: the text sent back once to confirm; unset, none.
     */
    static ReplyKeywords replyKeywords(CliConfig c) {
        Set<String> out = words(c, "replies.optOut", ReplyKeywords.DEFAULT.optOut());
        Set<String> in = words(c, "replies.optIn", ReplyKeywords.DEFAULT.optIn());
        ReplyKeywords words = configured("replies.optOut / replies.optIn", () -> new ReplyKeywords(out, in));
        ReplyKeywords confirmed = configured("replies.optOutConfirmation",
                () -> words.withOptOutConfirmation(c.get("replies.optOutConfirmation").orElse(null)));
        return configured("replies.optInConfirmation",
                () -> confirmed.withOptInConfirmation(c.get("replies.optInConfirmation").orElse(null)));
    }

    private static Set<String> words(CliConfig c, String key, Set<String> fallback) {
        if (c.get(key).isEmpty()) {
            return fallback;
        }
        return "none".equalsIgnoreCase(c.get(key).get()) ? Set.of() : new java.util.LinkedHashSet<>(c.list(key));
    }

    /**
     * The built-in selector profile, then {@code whatsapp.selectorsFile} (a JSON file as
     * {@link SelectorProfile#withOverrides(Path)} reads it), then every {@code whatsapp.selector.KEY}; the account's own
     * {@code whatsapp.ACCOUNT.selectorsFile} and {@code whatsapp.ACCOUNT.selector.KEY} win over the shared ones. Each
     * is checked here, so a wrong key or value fails with the configuration key that holds it.
     */
    static SelectorProfile selectors(CliConfig c, String account) {
        SelectorProfile profile = SelectorProfile.defaults();
        String file = key(c, account, "selectorsFile");
        Optional<String> path = c.get(file);
        if (path.isPresent()) {
            profile = configured(file, () -> SelectorProfile.defaults().withOverrides(Path.of(path.get())));
        }
        Map<String, String> configKeys = new TreeMap<>(); // selector key -> the configuration key that sets it
        for (String prefix : List.of("whatsapp.selector.", "whatsapp." + account + ".selector.")) {
            for (String configKey : c.keysStartingWith(prefix)) {
                configKeys.put(configKey.substring(prefix.length()), configKey);
            }
        }
        for (Map.Entry<String, String> k : configKeys.entrySet()) {
            SelectorProfile base = profile;
            String value = c.get(k.getValue()).orElseThrow();
            profile = configured(k.getValue(), () -> base.withOverride(k.getKey(), value));
        }
        return profile;
    }

    /** The profile the step makes, or a configuration error naming the key that holds the rejected value. */
    /** What {@code step} makes from the value of {@code configKey}; a value it refuses fails naming the key. */
    static <T> T configured(String configKey, Supplier<T> step) {
        try {
            return step.get();
        } catch (ValidationException | IllegalArgumentException e) {
            throw new ConfigException(configKey + ": " + e.getMessage());
        }
    }

    /** The per-account key when it is set, else the shared one. */
    private static String key(CliConfig c, String account, String option) {
        String own = "whatsapp." + account + "." + option;
        return c.get(own).isPresent() ? own : "whatsapp." + option;
    }

    static PacingPolicy pacing(CliConfig c) {
        PacingPolicy d = PacingPolicy.DEFAULT;
        return new PacingPolicy(c.duration("pacing.minGap", d.minGap()), c.duration("pacing.jitter", d.jitter()),
                c.integer("pacing.hourlyCap", d.hourlyCap()), c.integer("pacing.dailyCap", d.dailyCap()),
                c.integer("pacing.newContactsDailyCap", d.newContactDailyCap()), d.quietHours(),
                c.bool("pacing.simulateTyping", d.simulateTyping()), c.zone());
    }

    private static TelegramController telegram(CliConfig c, Wasched wasched, List<String> accounts) {
        Optional<Secret> token = c.secret("telegram.token");
        if (token.isEmpty()) {
            return null;
        }
        Set<Long> chats = new HashSet<>();
        for (String id : c.list("telegram.chats")) {
            try {
                chats.add(Long.parseLong(id));
            } catch (NumberFormatException e) {
                throw new ConfigException("telegram.chats: not a chat id: '" + id + "'");
            }
        }
        if (chats.isEmpty()) {
            throw new ConfigException("telegram.chats: list the chat ids allowed to control wasched");
        }
        TelegramControllerConfig.Builder t = TelegramControllerConfig.builder().token(token.get()).allowChats(chats)
                .zone(c.zone()).account(c.get("telegram.account", accounts.get(0)));
        c.get("telegram.baseUrl").ifPresent(t::baseUrl);
        return new TelegramController(wasched, t.build());
    }

    /** {@code whatsapp.ACCOUNT.pairingPhone}: log in by a code typed on that phone instead of a QR code. */
    private static void requestPairingCodes(CliConfig c, Wasched wasched, List<String> accounts, ConsoleEvents console)
            throws InterruptedException {
        for (String account : accounts) {
            Optional<String> phone = c.get("whatsapp." + account + ".pairingPhone");
            if (phone.isPresent()) {
                requestPairingCode(wasched, account, PhoneNumber.parse(phone.get(), c.defaultRegion().orElse(null)),
                        console);
            }
        }
    }

    /** Once the account shows its login screen, asks for a pairing code for {@code number} instead of the QR code. */
    static void requestPairingCode(Wasched wasched, String account, PhoneNumber number, ConsoleEvents console)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        AccountState state;
        while ((state = wasched.sessions().status(account).state()) != AccountState.QR && state != AccountState.READY
                && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        if (state == AccountState.QR) {
            wasched.sessions().requestPairingCode(account, number);
        } else if (state != AccountState.READY) {
            console.line("account %s: no login screen to ask for a pairing code (state %s)", account, state);
        }
    }

    static String redacted(String url) {
        return url.replaceAll("//[^@/]*@", "//***@");
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            System.err.println("while stopping: " + e);
        }
    }
}
