package dev.wasched.whatsapp.internal;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.PlaywrightException;
import com.microsoft.playwright.TimeoutError;
import dev.wasched.contact.PhoneNumber;
import dev.wasched.delivery.DeliveryStatus;
import dev.wasched.message.MediaAttachment;
import dev.wasched.session.AccountState;
import dev.wasched.spi.transport.LookupResult;
import dev.wasched.spi.transport.OutcomeUnknownException;
import dev.wasched.spi.transport.OutgoingMessage;
import dev.wasched.spi.transport.PermanentTransportException;
import dev.wasched.spi.transport.RetryableTransportException;
import dev.wasched.spi.transport.SendReceipt;
import dev.wasched.spi.transport.SentMessage;
import dev.wasched.spi.transport.SessionLostException;
import dev.wasched.spi.transport.TransportContext;
import dev.wasched.spi.transport.TransportEvent;
import dev.wasched.spi.transport.TransportException;
import dev.wasched.whatsapp.PageCapability;
import dev.wasched.whatsapp.PlaywrightTransportConfig;
import dev.wasched.whatsapp.ProbeReport;
import dev.wasched.whatsapp.SelectorProfile;
import dev.wasched.whatsapp.internal.WhatsAppWebPage.Bubble;
import dev.wasched.whatsapp.internal.WhatsAppWebPage.Followed;
import dev.wasched.whatsapp.internal.WhatsAppWebPage.Match;
import dev.wasched.whatsapp.internal.WhatsAppWebPage.Opened;
import dev.wasched.whatsapp.internal.WhatsAppWebPage.Progress;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one owner of one account's browser: Playwright driver, Chromium (a persistent context on a fresh profile folder
 * of its own, restored from the stored profile snapshot, see {@link ProfileArchive}), its page, and the thread that
 * alone touches them (Playwright is single-threaded). A periodic check of the page drives the state machine (STARTING, QR,
 * LOADING, READY, DISCONNECTED, LOGGED_OUT, FAILED), emits QR and pairing codes and acks, saves the session and
 * reconnects with backoff; public calls run as tasks on the same thread. {@link #close()} is the single exit and
 * always ends the browser process: politely within the close timeout, then by force.
 */
public final class BrowserSession {
    private static final Logger log = LoggerFactory.getLogger(BrowserSession.class);
    /** Driver start-ups are serialised so the new driver process can be told apart from other transports'. */
    private static final Object DRIVER_START = new Object();
    private static final int CHATS_PER_SWEEP = 3;
    /** How many messages sent earlier one check looks up in the page. */
    private static final int FOLLOW_BATCH = 200;
    /** The sandbox note is the same for every transport in the JVM: say it once. */
    private static final AtomicBoolean ROOT_NOTED = new AtomicBoolean();
    private static final String DRIVER_MESSAGE = "message='";
    /** A URL's query (or a path's), which may carry a phone number: never part of an error text or a log line. */
    private static final Pattern QUERY = Pattern.compile("\\?[^\\s\"'<>?]*=[^\\s\"'<>]*");

    /** Seams for the module's tests; the defaults do nothing. */
    public interface TestHooks {
        /** On the browser thread, with the new message's id once it shows, before WhatsApp accepted it. */
        default void submitted(String messageId) {
        }

        /** On the browser thread, after the send marker was stored and right before the send action. */
        default void beforeSendAction() {
        }

        /** How long {@code send} waits for its task; null for the budget derived from the time-outs. */
        default Duration sendCallTimeout() {
            return null;
        }
    }

    private final PlaywrightTransportConfig config;
    private final TransportContext ctx;
    private final String account;
    private final ScheduledExecutorService thread;
    private final AtomicBoolean closing = new AtomicBoolean();
    private final AckTracker acks;
    private final InPageLayer layer;
    private final Reconnects reconnects;
    private final TestHooks hooks;
    private final Path workDir;
    /** Unique per start; on the browser's command line, so its processes can be found and killed. */
    private final String marker;
    private volatile AccountState state = AccountState.STOPPED;
    private volatile Thread browserThread;

    // Browser thread only.
    private Playwright playwright;
    private volatile ProcessHandle driver;
    /** The profile folder of the running browser: fresh for every launch, deleted when the next one starts. */
    private Path profileDir;
    private int profiles;
    /** The fingerprint of the profile as last saved; null when this profile was not saved yet. */
    private volatile String savedFingerprint;
    /** Packs and stores session snapshots, so the browser thread (and a send) never waits for one. */
    private final ExecutorService snapshots;
    private volatile Future<?> snapshotInFlight;
    private static final Duration SNAPSHOT_RETRY = Duration.ofSeconds(5);
    /** The browser restored an old storage-state snapshot: if it does not log in, a new link is needed. */
    private volatile boolean legacyRestore;
    /** A send is running on the browser thread: no snapshot is taken meanwhile. */
    private boolean sending;
    private BrowserContext context;
    private Page page;
    private WhatsAppWebPage web;
    private final Consumer<BrowserContext> onBrowserGone = c -> connectionLost = "the browser exited";
    private final Consumer<Page> onPageCrash = p -> connectionLost = "the page crashed";
    private final Consumer<Page> onPageClose = p -> connectionLost = "the page was closed";
    private final PageCounters counters = new PageCounters();
    private final Consumer<Page> onPageLoad = this::pageLoaded;
    private volatile String connectionLost;
    private boolean fatal;
    private boolean linked;
    private boolean restoring;
    /** The restricted banner was seen; sticky until an open chat shows its compose box again. */
    private boolean restricted;
    /** When "Use here" took the page back from another window (nanoTime), for the hourly limit. */
    private final java.util.ArrayDeque<Long> takeBacks = new java.util.ArrayDeque<>();
    private PageScreens screens;
    private volatile boolean skipRestore;
    private long restoreDeadline;
    private boolean connectPending;
    private long connectStartedAt;
    private long nextConnectAt;
    private long notMainSince = -1;
    private String lastQr;
    private String lastPairingCode;
    private long nextSaveAt;
    private long nextSweepAt;
    private long numberUnreadSince = -1;
    /** WhatsApp Web's own connection state, as the in-page layer last read it (null without it). */
    private volatile String inPageConnection;

    public BrowserSession(PlaywrightTransportConfig config, TransportContext ctx, TestHooks hooks) {
        this.config = config;
        this.ctx = ctx;
        this.account = config.account();
        this.hooks = hooks == null ? new TestHooks() { } : hooks;
        this.acks = new AckTracker(config.selectors().get("iconDelivered"), config.selectors().get("iconRead"));
        this.reconnects = new Reconnects(config.reconnect());
        this.layer = new InPageLayer(config.pageLayer(), account, config.moduleSettle(),
                !config.unreadCheckInterval().isZero());
        try {
            Files.createDirectories(config.workDirectory());
            this.workDir = Files.createTempDirectory(config.workDirectory(), "wasched-" + safe(account) + "-");
        } catch (IOException e) {
            throw new IllegalStateException("cannot create a work directory in " + config.workDirectory(), e);
        }
        this.marker = workDir.resolve("cache").toString();
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "wasched-playwright-" + safe(account));
            t.setDaemon(true);
            browserThread = t;
            return t;
        });
        this.snapshots = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "wasched-snapshot-" + safe(account));
            t.setDaemon(true);
            return t;
        });
    }

    private static String safe(String s) {
        String v = s.replaceAll("[^A-Za-z0-9_-]", "_");
        return v.length() > 40 ? v.substring(0, 40) : v;
    }

    public AccountState state() {
        return state;
    }

    private void pageLoaded(Page p) {
        long n = counters.pageLoads.incrementAndGet();
        counters.lastPageLoadNanos = System.nanoTime();
        layer.reset(); // a load starts the page's module registry from nothing
        log.debug("account {}: WhatsApp Web loaded (page load {} of this transport)", account, n);
    }

    /** The capabilities done in-page right now; any thread. */
    public java.util.Set<PageCapability> inPage() {
        return layer.inPage();
    }

    /** How this transport got to its chats so far (page loads, navigations, chats opened inside the page). */
    public PageCounters counters() {
        return counters;
    }

    /** Starts connecting in the background; progress arrives as state changes. */
    public void start() {
        setState(AccountState.STARTING, null);
        thread.scheduleWithFixedDelay(this::tick, 0, config.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
    }

    // ---- state ----------------------------------------------------------------------------------------------

    private void setState(AccountState next, String detail) {
        if (closing.get() && next != AccountState.STOPPED) {
            return;
        }
        AccountState prev = state;
        if (prev == next) {
            return;
        }
        state = next;
        log.info("account {}: WhatsApp Web {} -> {}{}", account, prev, next, detail == null ? "" : " (" + detail + ")");
        ctx.emit(new TransportEvent.StateChanged(next, detail));
    }

    private void emit(TransportEvent event) {
        if (!closing.get()) {
            ctx.emit(event);
        }
    }

    // ---- the periodic check ---------------------------------------------------------------------------------

    private void tick() {
        if (closing.get() || fatal) {
            return;
        }
        try {
            if (connectionLost != null && page != null) {
                lost(connectionLost);
            }
            if (page == null) {
                if (System.nanoTime() - nextConnectAt >= 0) {
                    connect();
                }
                return;
            }
            observe();
        } catch (RuntimeException e) {
            if (closing.get()) {
                return;
            }
            if (browserGone()) {
                lost("the browser stopped answering: " + firstLine(e));
            } else {
                log.debug("account {}: page check failed: {}", account, firstLine(e));
            }
        }
    }

    private boolean browserGone() {
        return connectionLost != null || context == null || page == null || page.isClosed();
    }

    private void connect() {
        if (!reconnects.mayAttempt()) {
            nextConnectAt = System.nanoTime() + reconnects.remainingOpen().toNanos();
            setState(AccountState.FAILED, "reconnect circuit open after " + reconnects.failuresInARow()
                    + " failures; next attempt in " + reconnects.remainingOpen().toSeconds() + " s");
            return;
        }
        try {
            ensurePlaywright();
            if (closing.get()) {
                return; // close() was called meanwhile: do not start what it would have to stop
            }
            openPage(skipRestore ? Restore.NONE : loadSession());
        } catch (FatalConfigurationException e) {
            fatal = true;
            log.error("account {}: {}", account, e.getMessage());
            setState(AccountState.FAILED, e.getMessage());
        } catch (RuntimeException e) {
            if (!closing.get()) {
                connectFailed("could not start the browser: " + firstLine(e));
            }
        }
    }

    private void connectFailed(String reason) {
        teardownBrowser();
        closePlaywright(); // the driver may be what failed: the next attempt starts from scratch
        Duration wait = reconnects.failed();
        nextConnectAt = System.nanoTime() + wait.toNanos();
        log.warn("account {}: {}; next attempt in {} ms", account, reason, wait.toMillis());
        if (reconnects.isOpen()) {
            setState(AccountState.FAILED, reason + "; reconnect circuit open for " + wait.toSeconds() + " s");
        } else if (state != AccountState.LOGGED_OUT) {
            setState(AccountState.DISCONNECTED, reason);
        }
    }

    /** The connection to WhatsApp Web is gone (browser exited, page crashed or stuck): reconnect with backoff. */
    private void lost(String reason) {
        connectionLost = null;
        connectPending = false;
        teardownBrowser(); // one browser per profile: whatever was lost, the next attempt launches anew
        Duration wait = reconnects.failed();
        nextConnectAt = System.nanoTime() + wait.toNanos();
        log.warn("account {}: connection to WhatsApp Web lost ({}); reconnecting in {} ms", account, reason,
                wait.toMillis());
        if (reconnects.isOpen()) {
            setState(AccountState.FAILED, reason + "; reconnect circuit open for " + wait.toSeconds() + " s");
        } else if (state != AccountState.LOGGED_OUT) {
            setState(AccountState.DISCONNECTED, reason);
        }
    }

    private void observe() {
        long now = System.nanoTime();
        PageSnapshot s;
        try {
            s = web.snapshot();
        } catch (PlaywrightException e) {
            if (browserGone()) {
                lost(connectionLost != null ? connectionLost : "the page is gone");
                return;
            }
            s = PageSnapshot.unknown(); // a navigation was under way
        }
        if (connectPending) {
            if (s.screen() != PageSnapshot.Screen.UNKNOWN) {
                connectPending = false;
                reconnects.succeeded();
            } else if (now - connectStartedAt > config.pageTimeout().toNanos()) {
                connectFailed("WhatsApp Web did not load within " + config.pageTimeout().toSeconds() + " s");
                return;
            }
        }
        PageScreens.Seen seen = readScreens();
        if (seen != null && onScreens(seen, s)) {
            return;
        }
        switch (s.screen()) {
            case MAIN -> onMain(s, now);
            case LOADING -> onNotMain(now, "loading");
            case QR, PHONE_ENTRY, PAIRING -> onLogin(s);
            default -> onNotMain(now, "unknown");
        }
    }

    private void onMain(PageSnapshot s, long now) {
        notMainSince = -1;
        if (state != AccountState.READY && !linkedToExpectedNumber(now)) {
            return; // not READY, so nothing is saved or sent
        }
        boolean layerSettled = layer.settle(page, now);
        if (state != AccountState.READY) {
            if (!layerSettled) {
                return; // READY once the page's modules are known, so the first send already uses them
            }
            if (!layer.missing().isEmpty()) {
                fatal = true;
                setState(AccountState.FAILED, "page layer IN_PAGE_ONLY, but WhatsApp Web has no in-page way to "
                        + layer.missing().stream().map(PageCapability::label).collect(Collectors.joining(", ")));
                return;
            }
        }
        boolean wasLinked = linked;
        linked = true;
        if (restoring) {
            restoring = false;
            log.info("account {}: stored session restored without a new login", account);
        }
        if (state != AccountState.READY) {
            saveSession("login", true); // before READY, so whoever sees READY finds the session stored
            // The browser writes some of the login to disk a few seconds later (localStorage is committed in
            // batches): look for changes again soon, not only after the full interval.
            nextSaveAt = System.nanoTime()
                    + Math.min(config.sessionSaveInterval().toNanos(), config.snapshotSettle().toNanos());
            setState(AccountState.READY, (wasLinked ? "reconnected" : "linked") + webBuildNote() + "; "
                    + layer.describe());
        }
        if (layerSettled) {
            drainLayer();
            catchUpAcks();
        }
        observeAcks(s.bubbles());
        if (now - nextSaveAt >= 0) {
            saveSession("periodic");
        }
        sweepAcks(s, now);
        if (layerSettled) {
            readUnreadChats(now);
        }
    }

    /**
     * With an expected number configured: whether the page is linked to that account, as WhatsApp Web records it in
     * {@code localStorage}. A page linked to another account (or one that does not say which, after the element
     * time-out) is logged out at once and reported LOGGED_OUT; its session is never saved.
     */
    /** "; WhatsApp Web 2.3000.…" as the page reports its build, for the READY state's detail (and so health). */
    private String webBuildNote() {
        try {
            return ProfileProbe.webBuild(page).map(b -> "; WhatsApp Web " + b).orElse("");
        } catch (PlaywrightException e) {
            return "";
        }
    }

    private boolean linkedToExpectedNumber(long now) {
        PhoneNumber expected = config.expectedNumber();
        if (expected == null) {
            return true;
        }
        String digits;
        try {
            digits = web.linkedNumberDigits();
        } catch (PlaywrightException e) {
            digits = null;
        }
        if (digits == null) {
            if (numberUnreadSince < 0) {
                numberUnreadSince = now;
            }
            if (now - numberUnreadSince < config.elementTimeout().toNanos()) {
                return false; // WhatsApp Web may not have written it yet
            }
            numberUnreadSince = -1;
            refuseLink("WhatsApp Web does not say which account linked (localStorage '"
                    + config.selectors().get("linkedNumberStorageKey") + "'); this transport only accepts "
                    + masked(expected.digits()) + ", so it logged out and saved nothing");
            return false;
        }
        numberUnreadSince = -1;
        if (digits.equals(expected.digits())) {
            return true;
        }
        refuseLink("WhatsApp Web was linked by " + masked(digits) + ", not by the expected account "
                + masked(expected.digits()) + "; logged out and nothing saved");
        return false;
    }

    private void refuseLink(String detail) {
        log.error("account {}: {}", account, detail);
        forgetLogin();
        setState(AccountState.LOGGED_OUT, detail);
    }

    /** A number for logs and state details: every digit but the last four hidden. */
    static String masked(String digits) {
        int keep = Math.min(4, digits.length());
        return "+" + "*".repeat(digits.length() - keep) + digits.substring(digits.length() - keep);
    }

    private void onNotMain(long now, String what) {
        if (notMainSince < 0) {
            notMainSince = now;
        }
        long away = now - notMainSince;
        if (restoring && now - restoreDeadline > 0) {
            fallBackToQr("the restored session did not reach the chat list within "
                    + config.restoreTimeout().toSeconds() + " s");
            return;
        }
        if (away > config.pageTimeout().toNanos()) {
            lost("WhatsApp Web stayed on a " + what + " screen for " + config.pageTimeout().toSeconds() + " s");
            return;
        }
        // A linked page that reloads itself (WhatsApp Web does after updates) stays READY meanwhile: sends wait for
        // the chat list anyway, and the state does not flap on every reload.
        if ("loading".equals(what) && !(linked && state == AccountState.READY)) {
            setState(AccountState.LOADING, restoring ? "restoring the stored session" : "loading chats");
        }
    }

    private void onLogin(PageSnapshot s) {
        notMainSince = -1;
        if (linked) {
            linked = false;
            clearSession();
            log.warn("account {}: the phone removed this device from WhatsApp; a new login is needed", account);
            setState(AccountState.LOGGED_OUT, "the phone removed this device; scan a new QR code to link again");
        } else if (restoring && legacyRestore) {
            legacyRestore = false;
            quarantineSession("the stored WhatsApp Web session is an old browser storage-state snapshot, which cannot "
                    + "carry WhatsApp Web's non-extractable keys, and WhatsApp Web showed its login screen with it; "
                    + "a new link (QR code or pairing code) is needed");
        } else if (restoring) {
            restoring = false;
            skipRestore = true;
            clearSession();
            log.info("account {}: WhatsApp no longer accepts the stored session; a new login is needed", account);
        }
        if (state != AccountState.LOGGED_OUT) {
            setState(AccountState.QR, s.screen() == PageSnapshot.Screen.QR ? "scan the QR code" : "pairing code login");
        }
        if (s.screen() == PageSnapshot.Screen.QR) {
            keepLoggedIn();
            if (s.qrExpired()) {
                lastQr = null;
                web.reloadQr();
            } else if (s.qr() != null && !s.qr().isEmpty() && !s.qr().equals(lastQr)) {
                lastQr = s.qr();
                emit(new TransportEvent.QrCode(lastQr));
            }
        } else if (s.screen() == PageSnapshot.Screen.PAIRING && s.pairingCode() != null
                && !s.pairingCode().equals(lastPairingCode)) {
            lastPairingCode = s.pairingCode();
            emit(new TransportEvent.PairingCode(lastPairingCode));
        }
    }

    // ---- screens between the transport and the chats -------------------------------------------------------

    private PageScreens.Seen readScreens() {
        if (screens == null) {
            return null;
        }
        try {
            return screens.read();
        } catch (PlaywrightException e) {
            return null; // a navigation was under way; the next tick reads again
        }
    }

    /**
     * Acts on a screen that stands between the transport and the chats; true when one did (the tick is over).
     * Passkey: NEEDS_PASSKEY until a person passes it. "What's new": closed. Another window: CONFLICT, and the page
     * taken back with "Use here" (this transport only runs under the account's lease), at most
     * {@code conflictTakeBacksPerHour} times an hour so two owners of one login do not push each other out for
     * ever. Restricted: RESTRICTED until a chat shows its compose box again. Offline: OFFLINE until the banner goes.
     */
    private boolean onScreens(PageScreens.Seen seen, PageSnapshot s) {
        if (seen.passkey()) {
            notMainSince = -1; // a person must act: not a page that is stuck
            linked = true;
            restoring = false;
            setState(AccountState.NEEDS_PASSKEY, config.headless()
                    ? "WhatsApp asks for a passkey, which a headless browser cannot give; link this account once in a "
                    + "visible browser (./wasched link " + account + " --headed)"
                    : "WhatsApp asks for a passkey: confirm it in the browser window");
            return true;
        }
        if (s.screen() != PageSnapshot.Screen.MAIN || (state != AccountState.READY && !linked)) {
            return false;
        }
        notMainSince = -1;
        if (seen.whatsNew()) {
            if (screens.dismissWhatsNew()) {
                log.info("account {}: closed a \"What's new\" dialog", account);
            }
            return true;
        }
        if (seen.conflict()) {
            onConflict();
            return true;
        }
        if (seen.offline() != null) {
            setState(AccountState.OFFLINE, "WhatsApp Web shows: " + seen.offline());
            return true;
        }
        if (seen.restricted()) {
            restricted = true;
            setState(AccountState.RESTRICTED, "WhatsApp Web shows that the account is restricted");
            return true;
        }
        if (restricted && !seen.composeBox()) {
            return true; // still RESTRICTED until a chat shows its compose box
        }
        restricted = false;
        return false;
    }

    private void onConflict() {
        setState(AccountState.CONFLICT, "WhatsApp Web was opened for this account in another window");
        long now = System.nanoTime();
        long hour = Duration.ofHours(1).toNanos();
        while (!takeBacks.isEmpty() && now - takeBacks.peekFirst() > hour) {
            takeBacks.pollFirst();
        }
        if (takeBacks.size() >= config.conflictTakeBacksPerHour()) {
            return;
        }
        try {
            if (screens.useHere()) {
                takeBacks.addLast(now);
                log.info("account {}: took WhatsApp Web back from another window (\"Use here\", {} of {} this hour)",
                        account, takeBacks.size(), config.conflictTakeBacksPerHour());
            }
        } catch (PlaywrightException e) {
            log.debug("account {}: \"Use here\" could not be pressed: {}", account, firstLine(e));
        }
    }

    private void keepLoggedIn() {
        PageScreens.Seen seen = readScreens();
        if (seen != null && Boolean.FALSE.equals(seen.stayLoggedIn())) {
            try {
                screens.keepLoggedIn();
            } catch (PlaywrightException e) {
                log.debug("account {}: \"Stay logged in\" could not be ticked: {}", account, firstLine(e));
            }
        }
    }

    /**
     * Before anything is entered: a screen that stops sending (offline, restricted, another window, passkey) ends
     * the send with nothing sent and the account in that state, so the delivery waits without using an attempt.
     */
    private void refuseOnScreen() throws TransportException {
        PageScreens.Seen seen = closeWhatsNew(readScreens());
        if (seen == null || seen.clear()) {
            return;
        }
        onScreens(seen, PageSnapshot.main());
        throw new SessionLostException("WhatsApp Web shows a screen that stops sending (account " + account + " is "
                + state + ")");
    }

    /**
     * Closes a "What's new" dialog if {@code seen} shows one; returns the screens read last (or {@code seen}). It may
     * open at any moment, also between typing and the send action, whose click it then takes.
     */
    private PageScreens.Seen closeWhatsNew(PageScreens.Seen seen) throws TransportException {
        if (seen == null || !seen.whatsNew()) {
            return seen;
        }
        long deadline = System.nanoTime() + config.elementTimeout().toNanos();
        while (seen != null && seen.whatsNew() && System.nanoTime() - deadline < 0) {
            try {
                screens.dismissWhatsNew();
                Thread.sleep(100); // the dialog closes with an animation
            } catch (PlaywrightException e) {
                log.debug("account {}: closing \"What's new\" failed: {}", account, firstLine(e));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw calledOff();
            }
            seen = readScreens();
        }
        if (seen != null && seen.whatsNew()) {
            throw new RetryableTransportException("a \"What's new\" dialog covers the chat and could not be closed");
        }
        log.info("account {}: closed a \"What's new\" dialog", account);
        return seen;
    }

    private void fallBackToQr(String reason) {
        log.warn("account {}: {}; falling back to a QR login", account, reason);
        if (legacyRestore) {
            legacyRestore = false;
            quarantineSession("the stored WhatsApp Web session is an old browser storage-state snapshot that did not "
                    + "log in (" + reason + "); a new link (QR code or pairing code) is needed");
        }
        restoring = false;
        skipRestore = true;
        teardownBrowser();
        openPage(Restore.NONE);
    }

    /** The acks the in-page layer heard, as events; a page that loaded again has its modules looked for anew. */
    private void drainLayer() {
        if (layer.inPage().isEmpty()) {
            return;
        }
        InPageLayer.Drained d;
        try {
            d = layer.drain(page);
        } catch (PlaywrightException e) {
            log.debug("account {}: reading the in-page layer failed: {}", account, firstLine(e));
            return;
        }
        if (!d.installed()) {
            layer.reset();
            return;
        }
        inPageConnection = d.connection();
        for (InPageLayer.Ack a : d.acks()) {
            if (a.status() != null) {
                emit(new TransportEvent.Ack(a.id(), a.status()));
            }
        }
        d.incoming().forEach(this::emit);
    }

    /** Messages sent earlier whose acks are awaited ({@link #followAcks}); taken up by the periodic check. */
    private final java.util.Queue<SentMessage> toFollow = new java.util.concurrent.ConcurrentLinkedQueue<>();

    /** Follows the acks of messages sent earlier: read from the page's own models where it holds them, else from
     * their chats' ticks, as for a message this transport sent. Any thread; returns at once. */
    public void followAcks(List<SentMessage> messages) {
        toFollow.addAll(messages);
    }

    private void catchUpAcks() {
        if (toFollow.isEmpty()) {
            return;
        }
        Map<String, SentMessage> batch = new java.util.LinkedHashMap<>();
        for (SentMessage m; batch.size() < FOLLOW_BATCH && (m = toFollow.poll()) != null; ) {
            batch.put(m.messageId(), m);
        }
        int learnt = 0;
        if (layer.has(PageCapability.ACKS)) {
            List<InPageLayer.Ack> held;
            try {
                held = layer.acksOf(page, new ArrayList<>(batch.keySet()));
            } catch (PlaywrightException e) {
                held = List.of();
                layer.failed(PageCapability.ACKS, e);
            }
            for (InPageLayer.Ack a : held) {
                SentMessage m = batch.remove(a.id());
                // From now on the page's ack events report it; what it missed is reported here.
                boolean ahead = a.status() == DeliveryStatus.READ || m != null && m.status() == DeliveryStatus.SENT;
                if (m != null && a.status() != null && ahead && a.status() != m.status()) {
                    emit(new TransportEvent.Ack(a.id(), a.status()));
                    learnt++;
                }
            }
        }
        Instant now = ctx.clock().instant();
        for (SentMessage m : batch.values()) {
            acks.track(m.messageId(), ChatTarget.of(m.recipient()), m.sentAt().isAfter(now) ? now : m.sentAt());
        }
        log.info("account {}: following the acks of messages sent earlier: {} learnt from the page, {} left to their "
                + "chats' ticks", account, learnt, batch.size());
    }

    private void observeAcks(Map<String, String> icons) {
        for (TransportEvent.Ack ack : acks.observe(icons, ctx.clock().instant())) {
            emit(ack);
        }
    }

    /** When the next look for unread chats is due. */
    private long nextUnreadAt;
    /** Unread chats that did not open as a new chat panel, by title, until when they are left alone. */
    private final Map<String, Long> unreadLeftAlone = new java.util.HashMap<>();
    /** How long opening an unread chat may take before it is left for later: sends wait meanwhile. */
    private static final Duration UNREAD_OPEN_WAIT = Duration.ofSeconds(3);
    private static final Duration UNREAD_RETRY = Duration.ofMinutes(1);

    /**
     * Where the page's own modules cannot report received messages: opens the top chat with an unread badge, as a
     * person would (so its messages are marked read), and reports its newest received messages, as many as the badge
     * counted; one chat per check, so sends are not held up; a chat marked unread by hand (no number) is left alone.
     * With no unread chat, reports what arrived in the chat on screen since it was last looked at (the page may read
     * those at once, without a badge).
     */
    private void readUnreadChats(long now) {
        Duration every = config.unreadCheckInterval();
        if (!readsUnreadThroughInterface() || now - nextUnreadAt < 0) {
            return;
        }
        nextUnreadAt = now + every.toNanos();
        unreadLeftAlone.values().removeIf(until -> now - until >= 0);
        try {
            harvestOpenChat(); // before another chat replaces it on screen
            for (WhatsAppWebPage.UnreadChat chat : web.unreadChats()) {
                if (chat.count() <= 0 || unreadLeftAlone.containsKey(chat.title())) {
                    continue;
                }
                Duration wait = config.elementTimeout().compareTo(UNREAD_OPEN_WAIT) < 0 ? config.elementTimeout()
                        : UNREAD_OPEN_WAIT;
                var read = web.openAndReadUnread(chat, wait);
                if (read == null) {
                    // Not opened as a new chat panel (the open chat itself, a row that moved): the others first.
                    unreadLeftAlone.put(chat.title(), now + UNREAD_RETRY.toNanos());
                    log.debug("account {}: the unread chat {} did not open as a new chat panel; left for {} s", account,
                            chat.title(), UNREAD_RETRY.toSeconds());
                    continue;
                }
                List<WhatsAppWebPage.IncomingRow> rows = read.getValue();
                log.debug("account {}: unread chat {} opened: {} received messages shown, {} unread", account,
                        read.getKey(), rows.size(), chat.count());
                report(read.getKey(), rows.subList(Math.max(0, rows.size() - chat.count()), rows.size()));
                seenInOpenChat(read);
                return;
            }
        } catch (PlaywrightException e) {
            log.debug("account {}: reading unread chats failed: {}", account, firstLine(e));
        }
    }

    private void watchingChat(String what, Runnable r) {
        try {
            r.run();
        } catch (PlaywrightException e) {
            log.debug("account {}: {} failed: {}", account, what, firstLine(e));
        }
    }

    /** Whether received messages are read through the user interface. */
    private boolean readsUnreadThroughInterface() {
        return !config.unreadCheckInterval().isZero() && !layer.has(PageCapability.INCOMING_MESSAGES);
    }

    /**
     * Reports what arrived in the chat on screen since it was last looked at; a chat that came on screen since
     * (opened by someone else) is only looked at: what it held when it came is not news. What the page's watch saw
     * arrive goes first: the chat it arrived in may have left the screen meanwhile (a message the page read at once,
     * while a send or an ack sweep was opening another chat).
     */
    private void harvestOpenChat() {
        // First what the page's watch saw drawn, in whichever chat: a chat switched away from shows it no more.
        for (WhatsAppWebPage.Arrival a : web.arrivals()) {
            report(a.chat(), List.of(a.row()));
        }
        var open = web.incomingOfOpenChat();
        if (open == null || open.getKey().isEmpty()) {
            return; // no chat on screen, or one being drawn: the last look stands
        }
        if (open.getKey().equals(openChatTitle)) {
            List<WhatsAppWebPage.IncomingRow> arrived = open.getValue().stream()
                    .filter(r -> !openChatSeen.contains(r.id())).toList();
            if (!arrived.isEmpty()) {
                log.debug("account {}: {} received in the chat on screen", account, arrived.size());
            }
            report(open.getKey(), arrived);
        } else {
            log.debug("account {}: the chat on screen is now {} ({} received messages there taken as seen)", account,
                    open.getKey(), open.getValue().size());
        }
        seenInOpenChat(open);
    }

    /** The chat on screen and the received messages it showed when last looked at. */
    private String openChatTitle;
    private Set<String> openChatSeen = Set.of();

    private void seenInOpenChat(Map.Entry<String, List<WhatsAppWebPage.IncomingRow>> open) {
        if (open == null || open.getKey().isEmpty()) {
            return;
        }
        openChatTitle = open.getKey();
        openChatSeen = open.getValue().stream().map(WhatsAppWebPage.IncomingRow::id).collect(Collectors.toSet());
    }

    /** The received messages reported lately: a message read through both ways (badge, chat on screen) goes once. */
    private final Set<String> reportedIncoming = java.util.Collections.newSetFromMap(
            new java.util.LinkedHashMap<>(16, 0.75f, false) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > 1_000;
                }
            });

    private void report(String chatTitle, List<WhatsAppWebPage.IncomingRow> rows) {
        Instant at = ctx.clock().instant();
        for (WhatsAppWebPage.IncomingRow r : rows) {
            if (!reportedIncoming.add(r.id())) {
                continue;
            }
            String named = r.sender() != null ? r.sender() : chatTitle;
            String sender = numberOf(named);
            // A row naming another sender than the chat's title is a group's: the chat is the group.
            String chatName = named.equals(chatTitle) ? sender : chatTitle;
            emit(new TransportEvent.MessageReceived(r.id(), sender, chatName, r.text(),
                    r.media() == null ? null : "file", null, at));
        }
    }

    /** "+4917…" for a name that is a number or one this transport knows a number by; else the name as shown. */
    private String numberOf(String named) {
        String digits = named.replaceAll("[^0-9]", "");
        if (named.matches("\\+?[0-9][0-9 ().\u00a0-]{5,}")) {
            return "+" + digits;
        }
        String known = web.numberTitled(named);
        return known != null ? "+" + known : named;
    }

    /** Reopens chats whose messages still wait for ticks (the ticks of a chat are only visible while it is open). */
    private void sweepAcks(PageSnapshot s, long now) {
        if (config.ackSweepInterval().isZero() || acks.isEmpty() || now - nextSweepAt < 0) {
            return;
        }
        nextSweepAt = now + config.ackSweepInterval().toNanos();
        for (ChatTarget chat : acks.chatsToRevisit(s.bubbles().keySet(), CHATS_PER_SWEEP)) {
            try {
                if (web.openChat(chat, config.pageTimeout()) == Opened.CHAT) {
                    observeAcks(web.snapshot().bubbles());
                } else {
                    web.dismissPopup();
                }
            } catch (TransportException | RuntimeException e) {
                log.debug("account {}: ack sweep of {} failed: {}", account, chat, firstLine(e));
                return;
            }
        }
    }

    // ---- browser life cycle ---------------------------------------------------------------------------------

    private void ensurePlaywright() {
        if (playwright != null) {
            return;
        }
        Optional<Path> exe = BrowserProcesses.resolveExecutable(config.browserExecutable(), System.getenv());
        // A system browser is used: Playwright must not try to download its own (this machine may be offline).
        Map<String, String> env = exe.isPresent() ? Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1") : Map.of();
        synchronized (DRIVER_START) {
            Map<Long, ProcessHandle> before = BrowserProcesses.jvmChildren(cmd -> true);
            playwright = Playwright.create(new Playwright.CreateOptions().setEnv(env));
            BrowserProcesses.jvmChildren(cmd -> cmd.contains("run-driver")).values().stream()
                    .filter(p -> !before.containsKey(p.pid())).findFirst().ifPresent(p -> driver = p);
        }
    }

    /** The user agent a headless launch of each browser executable is given, found once per JVM. */
    private static final Map<String, String> HEADFUL_UA = new ConcurrentHashMap<>();

    /** What a launch starts from: an empty profile, an unpacked profile snapshot, or an old storage state. */
    private record Restore(boolean profile, String storageState) {
        static final Restore NONE = new Restore(false, null);

        boolean any() {
            return profile || storageState != null;
        }
    }

    /** A fresh, empty profile folder for the next launch; the previous one is deleted. */
    private Path freshProfile() {
        Future<?> running = snapshotInFlight;
        if (running != null) {
            awaitQuietly(running); // it may be reading the folder about to be deleted
        }
        if (profileDir != null) {
            deleteTree(profileDir);
        }
        savedFingerprint = null;
        try {
            profileDir = Files.createDirectory(workDir.resolve("profile-" + ++profiles));
        } catch (IOException e) {
            throw new IllegalStateException("cannot create a browser profile folder in " + workDir, e);
        }
        return profileDir;
    }

    private BrowserContext launchPersistent(Path profile, String userAgent) {
        Optional<Path> exe = BrowserProcesses.resolveExecutable(config.browserExecutable(), System.getenv());
        if (exe.isPresent() && !Files.isExecutable(exe.get())) {
            throw new FatalConfigurationException("the browser " + exe.get() + " does not exist or is not executable");
        }
        boolean root = BrowserProcesses.runningAsRoot();
        if (root && ROOT_NOTED.compareAndSet(false, true)) {
            log.warn("account {}: running as root, so Chromium runs without its sandbox (--no-sandbox); "
                    + "run wasched as an ordinary user to keep the sandbox", account);
        }
        List<String> args = new ArrayList<>(List.of("--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--password-store=basic", "--disk-cache-dir=" + marker));
        args.addAll(config.extraBrowserArgs());
        BrowserType.LaunchPersistentContextOptions o = new BrowserType.LaunchPersistentContextOptions()
                .setHeadless(config.headless())
                .setChromiumSandbox(!root)
                .setArgs(args)
                .setEnv(BrowserEnvironment.forBrowser(System.getenv()))
                .setTimeout(config.pageTimeout().toMillis())
                .setViewportSize(1280, 900)
                .setLocale("en-US");
        exe.ifPresent(o::setExecutablePath);
        if (userAgent != null) {
            o.setUserAgent(userAgent);
        }
        BrowserContext c = playwright.chromium().launchPersistentContext(profile, o);
        log.debug("account {}: browser launched on a fresh profile ({})", account, exe.map(Path::toString)
                .orElse("Playwright's own"));
        return c;
    }

    /**
     * The user agent to launch with: the configured one, or for a headless browser its own with "HeadlessChrome"
     * made "Chrome" (WhatsApp Web turns away browsers that call themselves headless), learnt once per executable
     * from a throwaway launch on an empty profile.
     */
    private String userAgent() {
        if (config.userAgent() != null || !config.headless()) {
            return config.userAgent();
        }
        String key = String.valueOf(BrowserProcesses.resolveExecutable(config.browserExecutable(), System.getenv())
                .map(Path::toString).orElse("")) + " " + config.extraBrowserArgs();
        String known = HEADFUL_UA.get(key);
        if (known != null) {
            return known;
        }
        Path probe = workDir.resolve("probe");
        BrowserContext c = null;
        try {
            Files.createDirectories(probe);
            c = launchPersistent(probe, null);
            Page p = c.pages().isEmpty() ? c.newPage() : c.pages().get(0);
            String ua = String.valueOf(p.evaluate("() => navigator.userAgent")).replace("HeadlessChrome", "Chrome");
            HEADFUL_UA.put(key, ua);
            return ua;
        } catch (IOException e) {
            throw new IllegalStateException("cannot create a browser profile folder in " + workDir, e);
        } finally {
            if (c != null) {
                try {
                    c.close();
                } catch (PlaywrightException e) {
                    log.debug("account {}: closing the probe browser failed: {}", account, firstLine(e));
                }
            }
            deleteTree(probe);
        }
    }

    private void openPage(Restore restore) {
        String ua = userAgent();
        if (closing.get()) {
            return;
        }
        Path profile = restore.profile() ? profileDir : freshProfile();
        restoring = restore.any();
        legacyRestore = restore.storageState() != null;
        restoreDeadline = System.nanoTime() + config.restoreTimeout().toNanos();
        context = launchPersistent(profile, ua);
        context.onClose(onBrowserGone);
        if (restore.storageState() != null) {
            try {
                StorageStates.apply(context, restore.storageState());
            } catch (RuntimeException e) {
                if (e instanceof TimeoutError || connectionLost != null) {
                    throw e;
                }
                // The browser is fine and refused only the stored state: retrying with it would fail the same way.
                legacyRestore = false;
                quarantineSession("the browser refused the stored WhatsApp Web session: " + firstLine(e)
                        + "; a new link (QR code or pairing code) is needed");
                teardownBrowser();
                openPage(Restore.NONE);
                return;
            }
        }
        // No page action may wait longer than the configured bounds (Playwright's own default is 30 s), so a call
        // ends within its budget and reports what was missing instead of being called off.
        context.setDefaultTimeout(config.elementTimeout().toMillis());
        context.setDefaultNavigationTimeout(config.pageTimeout().toMillis());
        page = context.pages().isEmpty() ? context.newPage() : context.pages().get(0);
        page.onCrash(onPageCrash);
        page.onClose(onPageClose);
        page.onDOMContentLoaded(onPageLoad);
        web = new WhatsAppWebPage(page, config, counters);
        web.watchChatsWith(new WhatsAppWebPage.ChatWatcher() {
            /** The unread badges before the opening: the opening reads the chat, so its unread rows are news. */
            private Map<String, Integer> unreadBefore = Map.of();

            @Override
            public void beforeOpening() {
                unreadBefore = Map.of();
                if (readsUnreadThroughInterface()) {
                    watchingChat("reading the chat on screen", () -> {
                        harvestOpenChat();
                        Map<String, Integer> counts = new java.util.HashMap<>();
                        web.unreadChats().forEach(c -> counts.merge(c.title(), c.count(), Integer::sum));
                        unreadBefore = counts;
                    });
                }
            }

            @Override
            public void opened() {
                // What the chat held unread is news (as many of its newest rows as its badge counted), the rest is
                // not; what arrives while it stays on screen is.
                if (readsUnreadThroughInterface()) {
                    watchingChat("reading the opened chat", () -> {
                        var open = web.incomingOfOpenChat();
                        if (open != null) {
                            List<WhatsAppWebPage.IncomingRow> rows = open.getValue();
                            int unread = Math.max(0, unreadBefore.getOrDefault(open.getKey(), 0));
                            report(open.getKey(), rows.subList(Math.max(0, rows.size() - unread), rows.size()));
                        }
                        seenInOpenChat(open);
                    });
                }
            }
        });
        web.openChatsWith(new WhatsAppWebPage.ChatOpener() {
            @Override
            public boolean available() {
                return layer.has(PageCapability.OPEN_CHAT);
            }

            @Override
            public InPageLayer.Opening open(String digits) {
                try {
                    return layer.open(page, digits);
                } catch (PlaywrightException e) {
                    if (browserGone()) {
                        throw e;
                    }
                    layer.failed(PageCapability.OPEN_CHAT, e);
                    return InPageLayer.Opening.NOT_OPENED;
                }
            }
        });
        screens = new PageScreens(page, config.selectors());
        connectPending = true;
        connectStartedAt = System.nanoTime();
        notMainSince = -1;
        lastQr = null;
        lastPairingCode = null;
        web.navigate("/", config.pageTimeout());
    }

    private void teardownContext() {
        if (page != null) {
            page.offCrash(onPageCrash);
            page.offClose(onPageClose);
            page.offDOMContentLoaded(onPageLoad);
        }
        if (context != null) {
            context.offClose(onBrowserGone);
            try {
                context.close();
            } catch (PlaywrightException e) {
                log.debug("account {}: closing the browser context failed: {}", account, firstLine(e));
            }
        }
        page = null;
        context = null;
        web = null;
        lastQr = null;
        lastPairingCode = null;
    }

    private void teardownBrowser() {
        teardownContext(); // a persistent context: closing it ends its browser
        int killed = BrowserProcesses.killBrowser(marker);
        if (killed > 0) {
            log.warn("account {}: {} browser process(es) outlived the browser and were killed", account, killed);
        }
        connectionLost = null;
    }

    private void closePlaywright() {
        if (playwright != null) {
            try {
                playwright.close();
            } catch (RuntimeException e) {
                log.debug("account {}: closing Playwright failed: {}", account, firstLine(e));
            }
            playwright = null;
        }
        ProcessHandle d = driver;
        driver = null;
        if (d != null && d.isAlive()) {
            try {
                d.onExit().get(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                log.warn("account {}: the Playwright driver did not exit; killing it", account);
                BrowserProcesses.killTree(d);
            }
        }
    }

    // ---- session --------------------------------------------------------------------------------------------

    /**
     * The stored session, ready for a launch: a profile snapshot is unpacked into a fresh profile folder; an old
     * storage-state snapshot is read for a one-time attempt. A snapshot that cannot be used is quarantined.
     */
    private Restore loadSession() {
        Optional<byte[]> raw;
        try {
            raw = ctx.sessionStorage().load();
        } catch (RuntimeException e) {
            log.warn("account {}: the stored session could not be read ({}); logging in afresh", account, firstLine(e));
            return Restore.NONE;
        }
        if (raw.isEmpty()) {
            return Restore.NONE;
        }
        if (ProfileArchive.isArchive(raw.get())) {
            Path profile = freshProfile();
            try {
                ProfileArchive.unpack(raw.get(), profile);
                return new Restore(true, null);
            } catch (SessionCodec.UnusableSnapshotException e) {
                freshProfile(); // nothing half-unpacked is launched
                quarantineSession("the stored WhatsApp Web session cannot be restored: " + e.getMessage()
                        + "; a new link (QR code or pairing code) is needed");
                return Restore.NONE;
            }
        }
        try {
            String state = SessionCodec.decode(raw.get());
            log.info("account {}: the stored session is an old storage-state snapshot; trying it once, then it is "
                    + "replaced by a browser profile snapshot", account);
            return new Restore(false, state);
        } catch (SessionCodec.UnusableSnapshotException e) {
            quarantineSession("the stored WhatsApp Web session cannot be restored: " + e.getMessage());
            return Restore.NONE;
        }
    }

    /**
     * The stored snapshot can never be restored: it is set aside (so neither this nor a later start tries it again)
     * and this start logs in afresh.
     */
    private void quarantineSession(String reason) {
        skipRestore = true;
        restoring = false;
        log.warn("account {}: {}; logging in afresh", account, reason);
        try {
            ctx.sessionStorage().quarantine(reason);
        } catch (RuntimeException e) {
            log.warn("account {}: setting the stored session aside failed: {}", account, firstLine(e));
        }
    }

    /**
     * Stores a snapshot of the browser profile, if it changed since the last one. The check for changes (file names,
     * sizes and times), the packing and the storing run on the snapshot thread, so a send waits for none of them. The snapshot right after a login ({@code now}) is stored before the call returns, so whoever sees READY
     * finds it; so is the one at close, taken after the browser ended. One snapshot at a time: a change found while
     * one is being stored is picked up at the next check.
     */
    private void saveSession(String why) {
        saveSession(why, false);
    }

    private void saveSession(String why, boolean now) {
        nextSaveAt = System.nanoTime() + config.sessionSaveInterval().toNanos();
        long t0 = System.nanoTime();
        try {
            if (profileDir == null || sending || !Files.isDirectory(profileDir)) {
                return;
            }
            long sinceLoad = System.nanoTime() - counters.lastPageLoadNanos;
            if (!now && sinceLoad < config.snapshotSettle().toNanos()) {
                // A page load may rewrite the login (new key in IndexedDB, new ciphertext in localStorage), and
                // Chromium commits localStorage to disk only seconds later: a snapshot now could pair a new key with
                // old login data. Wait until the load has settled.
                nextSaveAt = counters.lastPageLoadNanos + config.snapshotSettle().toNanos();
                return;
            }
            Future<?> running = snapshotInFlight;
            if (running != null && !running.isDone()) {
                if (!now) {
                    nextSaveAt = System.nanoTime() + SNAPSHOT_RETRY.toNanos();
                    return;
                }
                awaitQuietly(running);
            }
            Path dir = profileDir;
            Runnable snapshot = () -> {
                String fingerprint;
                try {
                    fingerprint = ProfileArchive.fingerprint(dir);
                } catch (IOException | RuntimeException e) {
                    log.warn("account {}: checking the session for changes ({}) failed: {}", account, why,
                            firstLine(e));
                    return;
                }
                if (fingerprint.equals(savedFingerprint)) {
                    log.trace("account {}: session unchanged ({}), not saved", account, why);
                    return;
                }
                storeSnapshot(dir, fingerprint, why);
            };
            if (now) {
                snapshot.run();
            } else {
                snapshotInFlight = snapshots.submit(snapshot);
            }
        } finally {
            if (!now) {
                counters.browserThreadHeld((System.nanoTime() - t0) / 1000);
            }
        }
    }

    /** Packs and stores one snapshot; on the snapshot thread, or inline for the login and close snapshots. */
    private void storeSnapshot(Path dir, String fingerprint, String why) {
        long t0 = System.nanoTime();
        try {
            byte[] archive = ProfileArchive.pack(dir);
            ctx.sessionStorage().save(archive);
            savedFingerprint = fingerprint;
            skipRestore = false;
            legacyRestore = false;
            long millis = (System.nanoTime() - t0) / 1_000_000;
            counters.snapshotSaved(archive.length, millis);
            log.debug("account {}: session saved ({}, {} bytes, {} ms)", account, why, archive.length, millis);
        } catch (IOException | RuntimeException e) {
            log.warn("account {}: saving the session ({}) failed: {}", account, why, firstLine(e));
        }
    }

    private static void awaitQuietly(Future<?> f) {
        try {
            f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException e) {
            // storeSnapshot logs its own failures
        }
    }

    private void clearSession() {
        try {
            ctx.sessionStorage().clear();
        } catch (RuntimeException e) {
            log.warn("account {}: clearing the stored session failed: {}", account, firstLine(e));
        }
    }

    // ---- operations (public calls, run on the browser thread) -----------------------------------------------

    public SendReceipt send(OutgoingMessage m) throws TransportException {
        requireReadyState();
        Duration budget = hooks.sendCallTimeout();
        if (budget == null) {
            budget = config.pageTimeout().multipliedBy(4).plus(config.sendTimeout().multipliedBy(3))
                    .plus(config.elementTimeout().multipliedBy(8)).plus(config.maxTypingTime().multipliedBy(2));
        }
        return call("send", g -> {
            sending = true;
            try {
                return doSend(m, g, true);
            } finally {
                sending = false;
            }
        }, budget);
    }

    public boolean isRegistered(PhoneNumber number) throws TransportException {
        requireReadyState();
        return call("isRegistered", g -> {
            requireReady();
            if (layer.has(PageCapability.REGISTRATION_CHECK)) {
                try {
                    return layer.registered(page, number.digits());
                } catch (PlaywrightException e) {
                    layer.failed(PageCapability.REGISTRATION_CHECK, e);
                }
            }
            Opened o = open(ChatTarget.phone(number.digits()));
            if (o == Opened.INVALID_NUMBER) {
                web.dismissPopup();
                return false;
            }
            return true;
        }, config.pageTimeout().multipliedBy(2));
    }

    /**
     * Looks for the message of an earlier attempt, with proof (see {@link SendEvidence#judge}): the row with the id
     * the attempt reported, or a matching row after the attempt's marker.
     */
    public LookupResult lookup(OutgoingMessage m) throws TransportException {
        requireReadyState();
        return call("lookup", g -> {
            requireReady();
            ChatTarget target = ChatTarget.of(m.recipient());
            List<Bubble> rows;
            try {
                Opened o = web.openChat(target, config.pageTimeout());
                if (o == Opened.INVALID_NUMBER) {
                    web.dismissPopup();
                    return new LookupResult.NotFound(); // no chat: nothing can have been sent there
                }
                if (o == Opened.LOGIN) {
                    throw new SessionLostException("WhatsApp Web shows its login screen");
                }
                rows = web.outgoing();
            } catch (PermanentTransportException e) {
                return new LookupResult.Unknown("the chat could not be opened: " + e.getMessage());
            } catch (RetryableTransportException e) {
                return new LookupResult.Unknown(e.getMessage());
            } catch (PlaywrightException e) {
                return new LookupResult.Unknown("the chat could not be read: " + firstLine(e));
            }
            SendEvidence.Verdict v = SendEvidence.judge(rows, m.knownMessageId(), m.sendMarker(), match(m));
            if (v.found() != null) {
                Bubble b = v.found();
                if (!Objects.equals(b.icon(), config.selectors().get("iconRead"))) {
                    acks.track(b.id(), target, ctx.clock().instant());
                }
                return new LookupResult.Found(new SendReceipt(b.id(), ctx.clock().instant()));
            }
            return v.notFound() ? new LookupResult.NotFound() : new LookupResult.Unknown(v.reason());
        }, config.pageTimeout().multipliedBy(2));
    }

    public String requestPairingCode(PhoneNumber phone) throws TransportException {
        return call("requestPairingCode", g -> {
            if (state == AccountState.READY) {
                throw new PermanentTransportException("account " + account + " is already linked");
            }
            if (web == null) {
                throw new SessionLostException("the browser is not running yet");
            }
            String code;
            try {
                code = web.requestPairingCode(phone.e164());
            } catch (PlaywrightException e) {
                throw new RetryableTransportException("WhatsApp Web did not show a pairing code: " + firstLine(e), cause(e));
            }
            lastPairingCode = code;
            if (state != AccountState.LOGGED_OUT) {
                setState(AccountState.QR, "pairing code login");
            }
            emit(new TransportEvent.PairingCode(code));
            return code;
        }, config.pageTimeout());
    }

    /** See {@link dev.wasched.whatsapp.PlaywrightTransport#probe(boolean)}. */
    public ProbeReport probe(boolean sendToSelf) throws TransportException {
        Duration budget = config.pageTimeout().multipliedBy(3).plus(config.elementTimeout().multipliedBy(4));
        if (sendToSelf) {
            budget = budget.plus(config.pageTimeout()).plus(config.sendTimeout().multipliedBy(2))
                    .plus(config.elementTimeout().multipliedBy(4));
        }
        return call("probe", g -> {
            if (web == null || browserGone()) {
                throw new SessionLostException("the browser is not running");
            }
            SelectorProfile profile = config.selectors();
            Page page = web.page();
            PageSnapshot s = web.snapshot();
            List<ProbeReport.KeyCheck> keys = new ArrayList<>();
            List<ProbeReport.Check> checks = new ArrayList<>();
            PageScreens.Seen seen = new PageScreens(page, profile).read();
            checks.add(new ProbeReport.Check("no screen blocks the chats", seen.clear(), seen.clear() ? null
                    : describe(seen)));
            checks.add(new ProbeReport.Check("page layer " + layer.mode(), layer.missing().isEmpty(),
                    layer.describe()));
            switch (s.screen()) {
                case QR -> keys.addAll(PageProbe.keys(page, profile, List.of("qrCode"),
                        List.of("qrReloadButton", "linkWithPhoneButton"), List.of("#app", "body"), null));
                case MAIN -> {
                    keys.addAll(PageProbe.keys(page, profile, List.of("chatList", "searchBox"),
                            List.of("chatListItem", "searchButton"), List.of("#side", "#app", "body"), null));
                    if (state == AccountState.READY && seen.clear()) {
                        probeOwnChat(page, profile, keys, checks, sendToSelf, g);
                    }
                }
                default -> checks.add(new ProbeReport.Check("the page shows its chats or a login", false,
                        "it shows " + s.screen()));
            }
            String build = ProfileProbe.webBuild(page).orElse(null);
            return new ProbeReport(account, state, s.screen().name(), build, profile.describe(), keys, checks);
        }, budget);
    }

    private void probeOwnChat(Page page, SelectorProfile profile, List<ProbeReport.KeyCheck> keys,
                              List<ProbeReport.Check> checks, boolean sendToSelf, CallGuard guard)
            throws TransportException {
        String own = web.linkedNumberDigits();
        if (own == null) {
            checks.add(new ProbeReport.Check("the account's own number is known", false,
                    "WhatsApp Web's storage does not name it (" + profile.get("linkedNumberStorageKey") + ")"));
            return;
        }
        Opened o;
        try {
            o = open(ChatTarget.phone(own));
        } catch (TransportException | PlaywrightException e) {
            checks.add(new ProbeReport.Check("open the account's own chat", false, firstLine(e)));
            return;
        }
        checks.add(new ProbeReport.Check("open the account's own chat", o == Opened.CHAT, o == Opened.CHAT ? null
                : "WhatsApp Web answered " + o));
        if (o != Opened.CHAT) {
            return;
        }
        List<String> chatRegions = List.of("#main footer", "#main", "#app");
        keys.addAll(PageProbe.keys(page, profile, List.of("openChat", "composeBox", "attachButton"), List.of(),
                chatRegions, null));
        String box = web.sel("composeBox");
        boolean typed = false;
        try {
            page.locator(box).first().click(new com.microsoft.playwright.Locator.ClickOptions()
                    .setTimeout(config.elementTimeout().toMillis()));
            page.keyboard().type("x");
            typed = true;
            keys.addAll(PageProbe.keys(page, profile, List.of("sendButton"), List.of(), chatRegions, null));
        } catch (PlaywrightException e) {
            checks.add(new ProbeReport.Check("the compose box takes text", false, firstLine(e)));
        } finally {
            if (typed) {
                page.keyboard().press("ControlOrMeta+A");
                page.keyboard().press("Backspace");
            }
        }
        if (typed) {
            String left = web.editableText("composeBox");
            checks.add(new ProbeReport.Check("the compose box takes text and is left empty",
                    left == null || left.isEmpty(), left == null || left.isEmpty() ? null : "text left in the box"));
        }
        if (sendToSelf) {
            checks.add(sendToSelf(own, guard));
        }
        List<Bubble> rows = web.outgoing();
        if (!rows.isEmpty()) {
            keys.addAll(PageProbe.keys(page, profile, List.of("outgoingMessage", "messageText", "messageStatusIcon"),
                    List.of(), List.of("#main", "#app"), null));
            Bubble last = rows.get(rows.size() - 1);
            checks.add(new ProbeReport.Check("read the newest own message's id and status",
                    last.id() != null && !last.id().isEmpty() && last.icon() != null,
                    "id " + (last.id() == null || last.id().isEmpty() ? "missing" : "found") + ", status "
                            + (last.icon() == null ? "not recognised" : last.icon())));
        }
    }

    private static String describe(PageScreens.Seen seen) {
        List<String> what = new ArrayList<>();
        if (seen.passkey()) {
            what.add("the passkey step");
        }
        if (seen.whatsNew()) {
            what.add("a \"What's new\" dialog");
        }
        if (seen.conflict()) {
            what.add("\"open in another window\"");
        }
        if (seen.restricted()) {
            what.add("the account-restricted banner");
        }
        if (seen.offline() != null) {
            what.add("the banner \"" + seen.offline() + "\"");
        }
        return String.join(", ", what);
    }

    /** One short message to the account's own chat through the send path, reporting nothing to the engine. */
    private ProbeReport.Check sendToSelf(String own, CallGuard guard) {
        String name = "send to the account's own chat";
        OutgoingMessage m = new OutgoingMessage("probe-" + java.util.UUID.randomUUID(), account,
                dev.wasched.delivery.Recipient.contact("probe", "+" + own, null),
                dev.wasched.message.MessageContent.text("wasched probe " + ctx.clock().instant()), null, false);
        sending = true;
        try {
            SendReceipt r = doSend(m, guard, false);
            return new ProbeReport.Check(name, true, "WhatsApp accepted it (message id "
                    + (r.messageId() == null ? "not read" : "read") + ")");
        } catch (TransportException | RuntimeException e) {
            return new ProbeReport.Check(name, false, e.getClass().getSimpleName() + ": " + firstLine(e));
        } finally {
            sending = false;
        }
    }

    public void logout() throws TransportException {
        call("logout", g -> {
            forgetLogin();
            setState(AccountState.LOGGED_OUT, "logged out");
            return null;
        }, config.pageTimeout().multipliedBy(2));
    }

    /** Forgets the login in the store and in this browser (a fresh context has no cookies or IndexedDB). */
    private void forgetLogin() {
        clearSession();
        linked = false;
        restoring = false;
        skipRestore = true;
        if (context != null) {
            teardownBrowser();
            openPage(Restore.NONE);
        }
    }

    /** The cheap check before queueing a call behind whatever the browser thread is doing. */
    private void requireReadyState() throws SessionLostException {
        if (closing.get()) {
            throw new SessionLostException("the transport is closed");
        }
        if (state != AccountState.READY) {
            throw new SessionLostException("account " + account + " is " + state + ", not READY");
        }
    }

    private void requireReady() throws SessionLostException {
        if (closing.get()) {
            throw new SessionLostException("the transport is closed");
        }
        if (state != AccountState.READY || web == null || browserGone()) {
            throw new SessionLostException("account " + account + " is " + state + ", not READY");
        }
    }

    private Opened open(ChatTarget target) throws TransportException {
        Opened o;
        try {
            o = web.openChat(target, config.pageTimeout());
        } catch (TimeoutError e) {
            refuseOnScreen(); // the restricted banner stands where the compose box would be
            throw new RetryableTransportException("the chat did not open within " + config.pageTimeout().toSeconds()
                    + " s" + popupNote(), cause(e));
        }
        if (o == Opened.LOGIN) {
            throw new SessionLostException("WhatsApp Web shows its login screen");
        }
        return o;
    }

    private String popupNote() {
        try {
            String popup = web.snapshot().popup();
            return popup == null ? "" : " (WhatsApp Web shows: " + popup + ")";
        } catch (RuntimeException e) {
            return "";
        }
    }

    private static Match match(OutgoingMessage m) {
        String text = WhatsAppWebPage.normalize(m.content().text());
        return m.content().hasMedia() ? new Match(text, m.content().media().fileName()) : new Match(text, null);
    }

    /**
     * One send, on the browser thread. Up to the send action (the click on the send button) nothing can have left:
     * failures there are retryable (or session-lost, or permanent). Right before the action the chat's state is
     * handed to the engine as the send marker, on the caller's thread; the action is taken only if the caller still
     * waits ({@link CallGuard#beginAction()}). From the action on, a failure is an outcome-unknown one unless the
     * chat, read again as far back as the marker, proves that the message is not there.
     */
    /**
     * @param report whether the send is the engine's: then its marker and message id are handed to the engine
     *               ({@link TransportContext#sendMarker}, {@link TransportContext#messageIdSeen}); a probe's send
     *               to the account's own chat is nobody's delivery and reports nothing
     */
    private SendReceipt doSend(OutgoingMessage m, CallGuard guard, boolean report) throws TransportException {
        requireReady();
        ChatTarget target = ChatTarget.of(m.recipient());
        boolean media = m.content().hasMedia();
        String text = m.content().text();
        boolean typing = m.simulateTyping() || config.alwaysSimulateTyping();
        Match match = match(m);
        if (!media && match.text().isEmpty()) {
            throw new PermanentTransportException("the message is empty after trimming");
        }
        PageCapability how = media ? PageCapability.SEND_MEDIA : PageCapability.SEND_TEXT;
        if (!target.group() && layer.has(how)) {
            SendReceipt r = sendInPage(m, target, how, guard, report);
            if (r != null) {
                return r;
            }
        }
        boolean resubmitted = false;
        while (true) {
            // ---- before the send action: nothing can have been sent
            Opened o;
            try {
                o = open(target);
            } catch (PlaywrightException e) {
                throw notSent(e);
            }
            if (o == Opened.INVALID_NUMBER) {
                web.dismissPopup();
                refuseOnScreen(); // an offline page cannot tell: never call a number invalid then
                throw new PermanentTransportException("the number is not on WhatsApp (WhatsApp Web: "
                        + config.selectors().get("invalidNumberText") + ")");
            }
            refuseOnScreen();
            List<String> before;
            String mark;
            try {
                if (media) {
                    web.attach(m.content().media().fileName(), m.content().media().mimeType(), m.media());
                    if (!match.text().isEmpty()) {
                        web.enterText("captionBox", text, typing);
                    }
                } else {
                    web.enterText("composeBox", text, typing);
                }
                before = web.outgoing().stream().map(Bubble::id).toList();
                mark = web.mark();
            } catch (PlaywrightException e) {
                throw notSent(e);
            }
            String marker = SendEvidence.marker(before);
            if (report && !guard.onCaller(() -> ctx.sendMarker(m, marker))) {
                throw calledOff();
            }
            hooks.beforeSendAction();
            if (!guard.beginAction()) {
                throw calledOff();
            }
            // ---- the send action: from here on the message may have left
            Followed f;
            String seenId = null;
            try {
                try {
                    try {
                        web.submit(media);
                    } catch (RetryableTransportException e) {
                        // Neither the button nor the box could be used, so nothing was done. A dialog that opened
                        // meanwhile takes the click: closed, the text is still in the box and the action is repeated.
                        PageScreens.Seen seen = readScreens();
                        if (seen == null || !seen.whatsNew()) {
                            throw e;
                        }
                        closeWhatsNew(seen);
                        web.submit(media);
                    }
                } catch (TransportException e) {
                    guard.nothingSentAfterAll();
                    throw e;
                }
                f = web.follow(mark, before, null, config.elementTimeout());
                if (f.progress() == Progress.TIMEOUT && stillInTheBox(media, match)) {
                    guard.nothingSentAfterAll();
                    throw new RetryableTransportException("clicking send did not send the message (it is still in the "
                            + (media ? "media preview" : "compose box") + " and no new message is in the chat)");
                }
                if (f.progress() == Progress.SEEN || f.progress() == Progress.ACCEPTED) {
                    seenId = f.id();
                    if (report) {
                        idSeen(m, f, match, guard);
                    }
                }
                if (f.progress() == Progress.SEEN) {
                    hooks.submitted(seenId);
                    f = web.follow(mark, before, seenId, config.sendTimeout());
                }
            } catch (PlaywrightException e) {
                if (browserGone() || closing.get()) {
                    throw new OutcomeUnknownException("the browser went away right after the message was submitted;"
                            + " whether it went out is unknown: " + firstLine(e), cause(e));
                }
                f = new Followed(Progress.RELOADED, seenId);
            }
            if (f.progress() == Progress.ACCEPTED) {
                return accepted(f.id(), target);
            }
            boolean reloaded = f.progress() == Progress.RELOADED;
            log.info("account {}: {} while confirming a message to {}; looking in the chat before anything else",
                    account, reloaded ? "WhatsApp Web reloaded" : "no tick within " + config.sendTimeout().toSeconds()
                            + " s", target);
            Optional<Bubble> found = findAfterReload(target, marker, match, seenId);
            if (found.isEmpty()) {
                // Proven: the chat, read back to the marker, does not hold it.
                if (!guard.nothingSentAfterAll()) {
                    throw new OutcomeUnknownException("the message is not in the chat, but the call was given up");
                }
                if (reloaded && !resubmitted) {
                    resubmitted = true;
                    log.info("account {}: the message is not in the chat after the reload; sending it again", account);
                    continue;
                }
                throw new RetryableTransportException(reloaded
                        ? "WhatsApp Web reloaded twice while sending; the message is not in the chat, so it was not sent"
                        : "WhatsApp did not accept the message within " + config.sendTimeout().toSeconds()
                        + " s and it is not in the chat after a reload, so it was not sent");
            }
            Bubble b = found.get();
            if (seenId == null && report) {
                idSeen(m, new Followed(Progress.SEEN, b.id(), b.icon(), b.text(), b.media(), b.cut()), match, guard);
            }
            if (web.isAcceptedIcon(b.icon())) {
                return accepted(b.id(), target);
            }
            Followed again;
            try {
                again = web.follow(web.mark(), List.of(), b.id(), config.sendTimeout());
            } catch (PlaywrightException e) {
                again = new Followed(Progress.TIMEOUT, b.id());
            }
            if (again.progress() != Progress.ACCEPTED) {
                // WhatsApp Web keeps it in its outbox and delivers it when it can: reporting it as not sent would
                // lead to a second copy.
                log.warn("account {}: message {} is in the chat but still shows its clock; reported as sent so it is "
                        + "never sent twice", account, b.id());
            }
            return accepted(b.id(), target);
        }
    }

    /**
     * A text or file sent through WhatsApp Web's own send action ({@code how}): the message's id is chosen before it
     * and handed to the engine as the marker and as the message id, so a lookup later finds exactly this message or
     * nothing. Null when the in-page path cannot send this one (no LID for the number, the call failed before
     * anything was added): then the user interface sends it.
     */
    private SendReceipt sendInPage(OutgoingMessage m, ChatTarget target, PageCapability how, CallGuard guard,
                                   boolean report) throws TransportException {
        refuseOnScreen(); // the screens that stop the interface's sends stop this one too, with the same error
        InPageLayer.Prepared p;
        try {
            p = layer.prepare(page, target.key());
        } catch (PlaywrightException e) {
            if (browserGone()) {
                throw notSent(e);
            }
            layer.failed(how, e);
            return null;
        }
        if (p instanceof InPageLayer.Prepared.Offline o) {
            throw new RetryableTransportException("WhatsApp Web is not connected (" + o.state() + "); nothing was sent");
        }
        if (p instanceof InPageLayer.Prepared.NotOnWhatsApp) {
            throw new PermanentTransportException("the number is not on WhatsApp (WhatsApp Web's registration query)");
        }
        if (p instanceof InPageLayer.Prepared.UseInterface u) {
            log.info("account {}: {}; sending to {} through the page's user interface", account, u.reason(), target);
            return null;
        }
        String id = ((InPageLayer.Prepared.Ready) p).id();
        if (report && !guard.onCaller(() -> {
            ctx.sendMarker(m, SendEvidence.inPageMarker(id));
            ctx.messageIdSeen(m, id);
        })) {
            throw calledOff();
        }
        hooks.beforeSendAction();
        if (!guard.beginAction()) {
            throw calledOff();
        }
        InPageLayer.Sent sent;
        try {
            MediaAttachment file = m.content().media();
            sent = how == PageCapability.SEND_MEDIA
                    ? layer.sendMedia(page, target.key(), id, m.content().text(), file.fileName(), file.mimeType(),
                    m.media(), config.sendTimeout())
                    : layer.send(page, target.key(), id, m.content().text());
        } catch (PlaywrightException e) {
            throw new OutcomeUnknownException("the in-page send of message " + id + " was interrupted; whether it "
                    + "went out is unknown: " + firstLine(e), cause(e));
        }
        if (sent.unknown()) {
            throw new OutcomeUnknownException("WhatsApp Web's send action for message " + id + " neither added it and"
                    + " went on nor refused it before adding it (within " + config.sendTimeout().toSeconds()
                    + " s); whether it went out is unknown");
        }
        if (!sent.added()) {
            // The send action threw before the message was added: nothing left, the user interface sends it.
            if (!guard.nothingSentAfterAll()) {
                throw calledOff();
            }
            layer.failed(how, new IllegalStateException(sent.error()));
            return null;
        }
        hooks.submitted(id);
        counters.sentInPage.incrementAndGet();
        String result;
        try {
            result = layer.confirm(page, id, config.sendTimeout());
        } catch (PlaywrightException | IllegalStateException e) {
            throw new OutcomeUnknownException("message " + id + " was added to the chat, then " + firstLine(e)
                    + "; whether it went out is unknown", cause(e));
        }
        if (result != null && !"OK".equals(result)) {
            // Added to the chat, refused for now (a restricted account, the network): whether WhatsApp Web sends it
            // later is not known. The user interface takes over sending, since it shows why (a banner, a screen).
            layer.failed(how, new IllegalStateException("WhatsApp Web answered " + result));
            throw new OutcomeUnknownException("message " + id + " was added to the chat but WhatsApp Web answered "
                    + result + "; whether it went out is unknown");
        }
        if (result == null) {
            // WhatsApp Web keeps it in its outbox and sends it when it can: reporting it as not sent would lead to
            // a second copy.
            log.warn("account {}: message {} was added to the chat but not confirmed within {} s; reported as sent so "
                    + "it is never sent twice", account, id, config.sendTimeout().toSeconds());
        }
        if (!layer.has(PageCapability.ACKS)) {
            acks.track(id, target, ctx.clock().instant());
        }
        return new SendReceipt(id, ctx.clock().instant());
    }

    /** Hands the engine the new message's id at once; a text that differs from what was entered is only noted. */
    private void idSeen(OutgoingMessage m, Followed f, Match match, CallGuard guard) {
        if (Boolean.FALSE.equals(f.matches(match))) {
            log.warn("account {}: the first new message in the chat after the send action ({}) does not show what was"
                    + " entered ({} characters expected, {} shown); it is taken as this send's message", account,
                    f.id(), match.text().length(), f.text() == null ? 0 : f.text().length());
        }
        boolean handed = guard.onCaller(() -> {
            try {
                ctx.messageIdSeen(m, f.id());
            } catch (RuntimeException e) {
                log.warn("account {}: the message id of delivery {} could not be handed over: {}", account,
                        m.deliveryId(), firstLine(e));
            }
        });
        if (!handed) {
            log.debug("account {}: the caller of send stopped waiting before message {} was seen", account, f.id());
        }
    }

    private static RetryableTransportException calledOff() {
        return new RetryableTransportException("the send was called off before the send action because its caller "
                + "stopped waiting; nothing was sent");
    }

    private RetryableTransportException notSent(PlaywrightException e) throws SessionLostException {
        if (browserGone() || closing.get()) {
            throw new SessionLostException("the browser went away before the message was sent: " + firstLine(e), cause(e));
        }
        return new RetryableTransportException("WhatsApp Web did not respond as expected (nothing was sent): "
                + firstLine(e), cause(e));
    }

    private boolean stillInTheBox(boolean media, Match match) {
        try {
            if (media) {
                return web.page().locator(web.sel("mediaPreview")).count() > 0;
            }
            return match.text().equals(web.editableText("composeBox"));
        } catch (PlaywrightException e) {
            return false;
        }
    }

    /**
     * Loads the chat afresh (as WhatsApp Web has it after a load, not as the page held it) and looks for our
     * message: the row with its id when it was seen, else the first row after the marker. Empty means proven absent (the chat shows the marker's
     * row, or had none, and nothing of ours after it); anything that cannot tell is an outcome-unknown failure.
     */
    private Optional<Bubble> findAfterReload(ChatTarget target, String marker, Match match, String id)
            throws TransportException {
        List<Bubble> rows;
        try {
            Opened o = web.openChat(target, config.pageTimeout(), true);
            if (o == Opened.LOGIN) {
                throw new OutcomeUnknownException("WhatsApp Web logged out while confirming the message; whether it "
                        + "went out is unknown");
            }
            if (o == Opened.INVALID_NUMBER) {
                web.dismissPopup();
                throw new OutcomeUnknownException("WhatsApp Web no longer opens the chat to check whether the message "
                        + "went out; whether it did is unknown");
            }
            rows = web.outgoing();
        } catch (PlaywrightException | RetryableTransportException | PermanentTransportException e) {
            throw new OutcomeUnknownException("the chat could not be reopened to check whether the message went "
                    + "out; whether it did is unknown: " + (e instanceof PlaywrightException pe ? firstLine(pe)
                    : e.getMessage()), cause(e));
        }
        SendEvidence.Verdict v = SendEvidence.afterSendAction(rows, id, marker);
        if (v.found() != null) {
            if (id == null && !match.matches(v.found())) {
                log.warn("account {}: the first new message after the send action ({}) does not show what was entered;"
                        + " it is taken as this send's message", account, v.found().id());
            }
            return Optional.of(v.found());
        }
        if (v.notFound()) {
            return Optional.empty();
        }
        throw new OutcomeUnknownException("the message could not be told apart in the chat (" + v.reason()
                + "); whether it went out is unknown");
    }

    private SendReceipt accepted(String id, ChatTarget target) {
        acks.track(id, target, ctx.clock().instant());
        return new SendReceipt(id, ctx.clock().instant());
    }

    /** A task for the browser thread, with the guard of its call. */
    @FunctionalInterface
    private interface GuardedTask<T> {
        T run(CallGuard guard) throws Exception;
    }

    /**
     * Runs {@code task} on the browser thread and waits for it, at most {@code timeout}; meanwhile runs on this
     * (the caller's) thread whatever the task hands over ({@link CallGuard#onCaller}). On the time-out the call is
     * given up: a task that has not reached its send action is called off and never acts (retryable failure: nothing
     * was sent); one that has reached it is abandoned (outcome unknown). A failure after the send action that does
     * not prove the message absent is reported as outcome unknown, whatever its kind.
     */
    private <T> T call(String what, GuardedTask<T> task, Duration timeout) throws TransportException {
        if (closing.get()) {
            throw new SessionLostException("the transport is closed");
        }
        if (Thread.currentThread() == browserThread) {
            throw new IllegalStateException(what + " called from the transport's own thread");
        }
        CallGuard guard = new CallGuard();
        Future<T> f;
        try {
            f = thread.submit(() -> {
                if (!guard.start()) {
                    return null; // given up while queued: nobody waits for this
                }
                try {
                    return task.run(guard);
                } finally {
                    guard.finish();
                }
            });
        } catch (RejectedExecutionException e) {
            throw new SessionLostException("the transport is closed");
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                Runnable next = guard.next(deadline - System.nanoTime());
                if (next == CallGuard.FINISHED) {
                    break;
                }
                if (next != null) {
                    next.run();
                    continue;
                }
                CallGuard.Phase was = guard.giveUp();
                f.cancel(false);
                if (was == CallGuard.Phase.ACTING) {
                    throw new OutcomeUnknownException(what + " did not finish within " + timeout.toSeconds()
                            + " s after the message was submitted; whether it went out is unknown");
                }
                if (was == CallGuard.Phase.QUEUED || was == CallGuard.Phase.RUNNING) {
                    throw new RetryableTransportException(what + " did not finish within " + timeout.toSeconds()
                            + " s and was called off before anything was sent");
                }
                break; // it finished just now
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            CallGuard.Phase was = guard.giveUp();
            f.cancel(false);
            if (was == CallGuard.Phase.ACTING) {
                throw new OutcomeUnknownException("interrupted while waiting for " + what + " after the message was "
                        + "submitted; whether it went out is unknown");
            }
            if (was == CallGuard.Phase.QUEUED || was == CallGuard.Phase.RUNNING) {
                throw new SessionLostException("interrupted while waiting for " + what + "; nothing was sent");
            }
        }
        try {
            return f.get(5, TimeUnit.SECONDS); // it has finished: this only waits for the future to say so
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (guard.phase() == CallGuard.Phase.FINISHED_ACTED && !(c instanceof OutcomeUnknownException)) {
                throw new OutcomeUnknownException(what + " failed after the message was submitted; whether it went out"
                        + " is unknown: " + (c instanceof PlaywrightException pe ? firstLine(pe) : safeMessage(c)), cause(c));
            }
            if (c instanceof TransportException te) {
                throw te;
            }
            if (c instanceof PlaywrightException pe && (closing.get() || browserGone())) {
                throw new SessionLostException("the browser went away: " + firstLine(pe), cause(pe));
            }
            if (c instanceof RuntimeException re) {
                throw re;
            }
            if (c instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(c);
        } catch (TimeoutException e) {
            throw new IllegalStateException(what + " ended but its result did not arrive", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SessionLostException("interrupted while waiting for " + what);
        }
    }

    private static String safeMessage(Throwable t) {
        return t.getClass().getSimpleName() + ": " + withoutQueries(String.valueOf(t.getMessage()));
    }

    // ---- close ----------------------------------------------------------------------------------------------

    /** Saves the session (when READY), ends the browser and the driver, and deletes the work directory. */
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        boolean saveFirst = state == AccountState.READY;
        if (Thread.currentThread() == browserThread) {
            // Called from inside a callback on our own thread: it cannot wait for itself, so close inline.
            closeInline(saveFirst);
            return;
        }
        Future<?> polite = null;
        try {
            polite = thread.submit(() -> {
                teardownBrowser(); // first: closing the browser writes what it still held to the profile
                if (saveFirst) {
                    saveSession("close", true);
                }
                closePlaywright();
            });
        } catch (RejectedExecutionException e) {
            log.debug("account {}: browser thread already stopped", account);
        }
        if (polite != null && !await(polite, config.closeTimeout())) {
            log.warn("account {}: the browser did not close within {} s; killing it", account,
                    config.closeTimeout().toSeconds());
            forceKill();
            await(polite, Duration.ofSeconds(5));
        }
        thread.shutdownNow();
        snapshots.shutdown();
        try {
            if (!snapshots.awaitTermination(config.closeTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                snapshots.shutdownNow();
            }
            if (!thread.awaitTermination(5, TimeUnit.SECONDS)) {
                log.warn("account {}: the browser thread did not stop", account);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        forceKill(); // whatever is left, whichever path got here
        deleteTree(workDir);
        state = AccountState.STOPPED;
        log.info("account {}: WhatsApp Web transport closed", account);
        ctx.emit(new TransportEvent.StateChanged(AccountState.STOPPED, "closed"));
    }

    private void closeInline(boolean saveFirst) {
        try {
            teardownBrowser();
            if (saveFirst) {
                saveSession("close", true);
            }
            closePlaywright();
        } finally {
            thread.shutdownNow();
            snapshots.shutdownNow();
            forceKill();
            deleteTree(workDir);
            state = AccountState.STOPPED;
            ctx.emit(new TransportEvent.StateChanged(AccountState.STOPPED, "closed"));
        }
    }

    private void forceKill() {
        int killed = BrowserProcesses.killBrowser(marker);
        ProcessHandle d = driver;
        if (d != null && d.isAlive()) {
            killed += BrowserProcesses.killTree(d);
        }
        if (killed > 0) {
            log.warn("account {}: killed {} leftover browser process(es)", account, killed);
        }
    }

    private static boolean await(Future<?> f, Duration timeout) {
        try {
            f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            log.debug("closing step failed: {}", firstLine(e.getCause()));
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                    Files.deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            log.debug("work directory {} not fully deleted: {}", dir, e.toString());
        }
    }

    static String firstLine(Throwable e) {
        String m = e == null ? "null" : String.valueOf(e.getMessage());
        // An error from Playwright's driver reads "Error {\n  message='...": its first line says nothing.
        int driverMessage = m.startsWith("Error {") ? m.indexOf(DRIVER_MESSAGE) : -1;
        if (driverMessage >= 0) {
            m = m.substring(driverMessage + DRIVER_MESSAGE.length());
        }
        int nl = m.indexOf('\n');
        return withoutQueries(nl < 0 ? m : m.substring(0, nl));
    }

    /**
     * {@code e} as the cause of a transport exception: its class, stack and causes, but its message without queries,
     * so that a stack trace in a log names no phone number either. The transport's own exceptions are kept as they
     * are (their texts are built clean).
     */
    static Throwable cause(Throwable e) {
        if (e == null || e instanceof TransportException) {
            return e;
        }
        BrowserError b = new BrowserError(e.getClass().getName() + ": " + withoutQueries(String.valueOf(e.getMessage())));
        b.setStackTrace(e.getStackTrace());
        if (e.getCause() != null && e.getCause() != e) {
            b.initCause(cause(e.getCause()));
        }
        return b;
    }

    /** A browser-side failure, as the cause of a transport exception. */
    static final class BrowserError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BrowserError(String message) {
            super(message);
        }
    }

    /**
     * {@code text} with every query ({@code ?phone=...&...}) cut out: Playwright quotes the URL it navigated to, and
     * a click-to-chat URL names the phone number.
     */
    static String withoutQueries(String text) {
        return text == null ? null : QUERY.matcher(text).replaceAll("?(query removed)");
    }

    /** A configuration problem that no retry fixes. */
    private static final class FatalConfigurationException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        FatalConfigurationException(String message) {
            super(message);
        }
    }
}
