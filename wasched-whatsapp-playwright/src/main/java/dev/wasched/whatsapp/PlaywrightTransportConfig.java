package dev.wasched.whatsapp;

import dev.wasched.ValidationException;
import dev.wasched.contact.PhoneNumber;
import dev.wasched.policy.ReconnectPolicy;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * How a {@link PlaywrightTransport} runs its browser for one WhatsApp account. Build with {@link #builder(String)} (or
 * change a copy with {@link #toBuilder()}), not with the canonical constructor: it may gain components in any release.
 * Every option has a validated default.
 *
 * @param account             the account name (unique within an engine)
 * @param webUrl              WhatsApp Web's address, without trailing slash (default {@code https://web.whatsapp.com})
 * @param browserExecutable   the Chromium to run, or null: then env {@code WASCHED_CHROMIUM}, a Chromium on PATH
 *                            ({@code chromium}, {@code chromium-browser}, {@code google-chrome}), else Playwright's
 *                            own browser
 * @param headless            run without a window (default true)
 * @param userAgent           the browser's user agent, or null: Chrome's own, without "Headless"
 * @param workDirectory       where each start makes its own temporary folder (browser cache), deleted on close;
 *                            default the system temp directory
 * @param extraBrowserArgs    more Chromium switches ({@code --disable-web-security} and {@code --user-data-dir} are
 *                            refused)
 * @param pageTimeout         the longest a page may take to load or to open a chat (default 60 s)
 * @param elementTimeout      the longest to wait for a button or box that should be there (default 10 s)
 * @param sendTimeout         the longest a sent message may keep its clock icon before the transport checks the chat
 *                            (default 60 s)
 * @param restoreTimeout      a restored session that shows no chat list within this time is given up for a QR login
 *                            (default 90 s)
 * @param closeTimeout        how long {@code close()} waits for the browser to end before killing it (default 10 s)
 * @param pollInterval        how often the page is checked for state changes, QR codes and acks (default 500 ms)
 * @param reconnect           backoff and circuit breaker for reconnecting after the browser or page is lost
 * @param sessionSaveInterval how often a READY session is saved to the session store (default 5 min)
 * @param snapshotSettle      how long after a page load no periodic session snapshot is taken (default 10 s): a load
 *                            may rewrite the login, and Chromium writes some of it to disk only seconds later, so a
 *                            snapshot in between could pair a new key with old login data
 * @param ackSweepInterval    how often chats with unacknowledged messages are reopened to read their ticks when the
 *                            transport is idle; {@link Duration#ZERO} (the default) turns it off: ticks are then read
 *                            from the rows of whichever chat is open, and a sweep never switches the chat a person
 *                            may be looking at
 * @param selectors           the selector profile: per key, the candidates tried in order on the page (default
 *                            {@link SelectorProfile#defaults()}, which knows the older and the 2025-26 forms of
 *                            WhatsApp Web); load another pack with {@link SelectorProfile#fromFile},
 *                            {@link SelectorProfile#fromClasspath} or {@link SelectorProfile#fromUrl} (SHA-256 pinned)
 * @param typingDelay         per-character delay when typing is simulated (default 60 ms)
 * @param maxTypingTime       longest typing simulation per message; the rest is inserted at once (default 8 s)
 * @param alwaysSimulateTyping type every message like a person, not only when the pacing policy asks (default false)
 * @param conflictTakeBacksPerHour how often an hour the page is taken back ("Use here") from another window that
 *                            opened the account (default 3; 0 never)
 * @param expectedNumber      the WhatsApp account's own number, or null (default): when set, a page that links (or a
 *                            stored session that restores) with another account is logged out at once and reported
 *                            LOGGED_OUT, and its session is never saved
 * @param pageLayer           whether WhatsApp Web's own modules are called in the page, its user interface is used,
 *                            or each where it works ({@link PageLayer#AUTO}, the default)
 * @param moduleSettle        how long the page's module registry must stop growing before its modules are looked for
 *                            (default 750 ms, the quiet period wa-js waits for; the page registers them over a second or
 *                            two after the chat list shows, and the account turns READY after the look)
 * @param unreadCheckInterval how often the chat list is looked at for chats with an unread badge, to read the messages
 *                            people sent through the page's user interface when the page's own modules cannot report
 *                            them (default 5 s; {@link Duration#ZERO} turns it off). Reading opens the chat, which
 *                            marks its messages read, as a person opening it would
 */
public record PlaywrightTransportConfig(
        String account,
        String webUrl,
        Path browserExecutable,
        boolean headless,
        String userAgent,
        Path workDirectory,
        List<String> extraBrowserArgs,
        Duration pageTimeout,
        Duration elementTimeout,
        Duration sendTimeout,
        Duration restoreTimeout,
        Duration closeTimeout,
        Duration pollInterval,
        ReconnectPolicy reconnect,
        Duration sessionSaveInterval,
        Duration snapshotSettle,
        Duration ackSweepInterval,
        SelectorProfile selectors,
        Duration typingDelay,
        Duration maxTypingTime,
        boolean alwaysSimulateTyping,
        PhoneNumber expectedNumber,
        int conflictTakeBacksPerHour,
        PageLayer pageLayer,
        Duration moduleSettle,
        Duration unreadCheckInterval) {

    /** The real WhatsApp Web. */
    public static final String WHATSAPP_WEB = "https://web.whatsapp.com";

    public PlaywrightTransportConfig {
        if (account == null || account.isBlank() || account.length() > 100) {
            throw new ValidationException("account", "needs 1 to 100 characters");
        }
        webUrl = normalizeUrl(webUrl);
        extraBrowserArgs = List.copyOf(Objects.requireNonNull(extraBrowserArgs, "extraBrowserArgs"));
        for (String arg : extraBrowserArgs) {
            String a = arg.toLowerCase(Locale.ROOT);
            if (a.startsWith("--disable-web-security")) {
                throw new ValidationException("extraBrowserArgs", "--disable-web-security is never allowed");
            }
            if (a.startsWith("--user-data-dir") || a.startsWith("--disk-cache-dir")) {
                throw new ValidationException("extraBrowserArgs", arg + " is managed by the transport");
            }
        }
        if (conflictTakeBacksPerHour < 0) {
            throw new ValidationException("conflictTakeBacksPerHour", "must be 0 or more, was " + conflictTakeBacksPerHour);
        }
        positive("pageTimeout", pageTimeout);
        positive("elementTimeout", elementTimeout);
        positive("sendTimeout", sendTimeout);
        positive("restoreTimeout", restoreTimeout);
        positive("closeTimeout", closeTimeout);
        positive("pollInterval", pollInterval);
        positive("sessionSaveInterval", sessionSaveInterval);
        notNegative("snapshotSettle", snapshotSettle);
        notNegative("ackSweepInterval", ackSweepInterval);
        notNegative("typingDelay", typingDelay);
        notNegative("maxTypingTime", maxTypingTime);
        if (pollInterval.toMillis() < 20) {
            throw new ValidationException("pollInterval", "must be at least 20 ms");
        }
        Objects.requireNonNull(reconnect, "reconnect");
        Objects.requireNonNull(selectors, "selectors");
        Objects.requireNonNull(workDirectory, "workDirectory");
        if (pageLayer == null) {
            throw new ValidationException("pageLayer", "is required (AUTO, UI_ONLY or IN_PAGE_ONLY)");
        }
        positive("moduleSettle", moduleSettle);
        notNegative("unreadCheckInterval", unreadCheckInterval);
    }

    /** A builder for the account, with the defaults listed on the record. */
    public static Builder builder(String account) {
        return new Builder(account);
    }

    /** A builder starting from this configuration. */
    public Builder toBuilder() {
        Builder b = new Builder(account);
        b.webUrl = webUrl;
        b.browserExecutable = browserExecutable;
        b.headless = headless;
        b.userAgent = userAgent;
        b.workDirectory = workDirectory;
        b.extraBrowserArgs = new ArrayList<>(extraBrowserArgs);
        b.pageTimeout = pageTimeout;
        b.elementTimeout = elementTimeout;
        b.sendTimeout = sendTimeout;
        b.restoreTimeout = restoreTimeout;
        b.closeTimeout = closeTimeout;
        b.pollInterval = pollInterval;
        b.reconnect = reconnect;
        b.sessionSaveInterval = sessionSaveInterval;
        b.snapshotSettle = snapshotSettle;
        b.ackSweepInterval = ackSweepInterval;
        b.selectors = selectors;
        b.typingDelay = typingDelay;
        b.maxTypingTime = maxTypingTime;
        b.alwaysSimulateTyping = alwaysSimulateTyping;
        b.expectedNumber = expectedNumber;
        b.conflictTakeBacksPerHour = conflictTakeBacksPerHour;
        b.pageLayer = pageLayer;
        b.moduleSettle = moduleSettle;
        b.unreadCheckInterval = unreadCheckInterval;
        return b;
    }

    private static String normalizeUrl(String url) {
        if (url == null || url.isBlank()) {
            throw new ValidationException("webUrl", "is required");
        }
        String u = url.strip();
        while (u.endsWith("/")) {
            u = u.substring(0, u.length() - 1);
        }
        try {
            URI uri = new URI(u);
            if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new ValidationException("webUrl", "must be an http(s) address, not '" + url + "'");
            }
        } catch (URISyntaxException e) {
            throw new ValidationException("webUrl", "is not a valid address: " + url);
        }
        return u;
    }

    private static void positive(String field, Duration d) {
        if (d == null || d.isZero() || d.isNegative()) {
            throw new ValidationException(field, "must be positive");
        }
    }

    private static void notNegative(String field, Duration d) {
        if (d == null || d.isNegative()) {
            throw new ValidationException(field, "must not be negative");
        }
    }

    /** Builds a {@link PlaywrightTransportConfig}; see the record for each option's meaning and default. */
    public static final class Builder {
        private final String account;
        private String webUrl = WHATSAPP_WEB;
        private Path browserExecutable;
        private boolean headless = true;
        private String userAgent;
        private Path workDirectory = Path.of(System.getProperty("java.io.tmpdir"));
        private List<String> extraBrowserArgs = new ArrayList<>();
        private Duration pageTimeout = Duration.ofSeconds(60);
        private Duration elementTimeout = Duration.ofSeconds(10);
        private Duration sendTimeout = Duration.ofSeconds(60);
        private Duration restoreTimeout = Duration.ofSeconds(90);
        private Duration closeTimeout = Duration.ofSeconds(10);
        private Duration pollInterval = Duration.ofMillis(500);
        private ReconnectPolicy reconnect = ReconnectPolicy.DEFAULT;
        private Duration sessionSaveInterval = Duration.ofMinutes(5);
        private Duration snapshotSettle = Duration.ofSeconds(10);
        private int conflictTakeBacksPerHour = 3;
        private Duration ackSweepInterval = Duration.ZERO;
        private SelectorProfile selectors = SelectorProfile.defaults();
        private final Map<String, String> selectorOverrides = new LinkedHashMap<>();
        private final Map<String, List<String>> selectorPrepends = new LinkedHashMap<>();
        private Duration typingDelay = Duration.ofMillis(60);
        private Duration maxTypingTime = Duration.ofSeconds(8);
        private boolean alwaysSimulateTyping;
        private PhoneNumber expectedNumber;
        private PageLayer pageLayer = PageLayer.AUTO;
        private Duration moduleSettle = Duration.ofMillis(750);
        private Duration unreadCheckInterval = Duration.ofSeconds(5);

        private Builder(String account) {
            this.account = account;
        }

        /** WhatsApp Web's address; tests point it at the simulator's {@code url()}. */
        public Builder webUrl(String url) {
            this.webUrl = url;
            return this;
        }

        public Builder browserExecutable(Path executable) {
            this.browserExecutable = executable;
            return this;
        }

        public Builder headless(boolean headless) {
            this.headless = headless;
            return this;
        }

        public Builder userAgent(String userAgent) {
            this.userAgent = userAgent;
            return this;
        }

        public Builder workDirectory(Path dir) {
            this.workDirectory = dir;
            return this;
        }

        public Builder extraBrowserArg(String arg) {
            this.extraBrowserArgs.add(Objects.requireNonNull(arg, "arg"));
            return this;
        }

        public Builder pageTimeout(Duration d) {
            this.pageTimeout = d;
            return this;
        }

        public Builder elementTimeout(Duration d) {
            this.elementTimeout = d;
            return this;
        }

        public Builder sendTimeout(Duration d) {
            this.sendTimeout = d;
            return this;
        }

        public Builder restoreTimeout(Duration d) {
            this.restoreTimeout = d;
            return this;
        }

        public Builder closeTimeout(Duration d) {
            this.closeTimeout = d;
            return this;
        }

        public Builder pollInterval(Duration d) {
            this.pollInterval = d;
            return this;
        }

        public Builder reconnect(ReconnectPolicy policy) {
            this.reconnect = policy;
            return this;
        }

        /**
         * When WhatsApp Web is opened for the account in another window, the page shows "Use here" and the account is
         * CONFLICT. This transport runs only under the account's lease, so it takes the page back, at most this often
         * per hour (default 3): a person who keeps using the other window wins after that, and the account stays
         * CONFLICT. 0 never takes the page back.
         */
        public Builder conflictTakeBacksPerHour(int n) {
            this.conflictTakeBacksPerHour = n;
            return this;
        }

        public Builder sessionSaveInterval(Duration d) {
            this.sessionSaveInterval = d;
            return this;
        }

        /** How long after a page load no periodic session snapshot is taken (default 10 s). */
        public Builder snapshotSettle(Duration d) {
            this.snapshotSettle = d;
            return this;
        }

        /** Turns the ack sweep on with a positive interval (off by default, {@link Duration#ZERO}). */
        public Builder ackSweepInterval(Duration d) {
            this.ackSweepInterval = d;
            return this;
        }

        /**
         * Replaces the whole profile, for example a pack loaded with {@link SelectorProfile#fromFile}; overrides and
         * prepended candidates given to this builder still apply on top.
         */
        public Builder selectors(SelectorProfile profile) {
            this.selectors = profile;
            return this;
        }

        /** Overrides one key of the selector profile: {@code value} becomes its only candidate. */
        public Builder selectorOverride(String key, String value) {
            this.selectorOverrides.put(Objects.requireNonNull(key, "key"), value);
            return this;
        }

        /** Overrides several keys of the selector profile (for example read from the host's configuration). */
        public Builder selectorOverrides(Map<String, String> overrides) {
            this.selectorOverrides.putAll(overrides);
            return this;
        }

        /**
         * Puts a candidate in front of a key's others: the usual fix when WhatsApp Web changes, since the page is
         * then tried with the new form first and the shipped ones still serve pages that did not change. Applied
         * after {@link #selectorOverride overrides}; several calls for one key end with the last one first.
         */
        public Builder selectorPrepend(String key, String value) {
            this.selectorPrepends.computeIfAbsent(Objects.requireNonNull(key, "key"), k -> new ArrayList<>())
                    .add(Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * Typing simulation: per-character delay and the longest a message is typed.
         */
        public Builder typing(Duration perCharacter, Duration maxTime) {
            this.typingDelay = perCharacter;
            this.maxTypingTime = maxTime;
            return this;
        }

        public Builder alwaysSimulateTyping(boolean always) {
            this.alwaysSimulateTyping = always;
            return this;
        }

        /**
         * The account's own number: a device linked by any other WhatsApp account is logged out at once (state
         * LOGGED_OUT, detail naming both numbers masked but for their last four digits) and its session is never
         * saved. Null (the default) accepts whichever account links.
         */
        public Builder expectedNumber(PhoneNumber number) {
            this.expectedNumber = number;
            return this;
        }

        /**
         * {@link #expectedNumber(PhoneNumber)} from an E.164 text such as {@code +4915112345678}.
         *
         * @throws ValidationException when it is not a valid number with its country code
         */
        public Builder expectedNumber(String e164) {
            if (e164 == null) {
                this.expectedNumber = null;
                return this;
            }
            try {
                this.expectedNumber = PhoneNumber.of(e164);
            } catch (RuntimeException e) {
                throw new ValidationException("expectedNumber", "is not a valid number with its country code");
            }
            return this;
        }

        /**
         * In-page, user interface, or each where it works (the default, {@link PageLayer#AUTO}); see
         * {@link PageLayer}.
         */
        public Builder pageLayer(PageLayer layer) {
            this.pageLayer = layer;
            return this;
        }

        /** How long the page's module registry must stop growing before its modules are looked for (750 ms). */
        public Builder moduleSettle(Duration quiet) {
            this.moduleSettle = quiet;
            return this;
        }

        /**
         * How often chats with an unread badge are opened to read the messages people sent, when the page's own
         * modules cannot report them (default 5 s; {@link Duration#ZERO}: never, messages are then not heard on such
         * a page). Opening a chat marks its messages read.
         */
        public Builder unreadCheckInterval(Duration interval) {
            this.unreadCheckInterval = interval;
            return this;
        }

        public PlaywrightTransportConfig build() {
            if (selectors == null) {
                throw new ValidationException("selectors", "is required");
            }
            SelectorProfile profile = selectors.withOverrides(selectorOverrides);
            for (Map.Entry<String, List<String>> e : selectorPrepends.entrySet()) {
                for (String value : e.getValue()) {
                    profile = profile.withPrepended(e.getKey(), value);
                }
            }
            return new PlaywrightTransportConfig(account, webUrl, browserExecutable, headless, userAgent, workDirectory,
                    extraBrowserArgs, pageTimeout, elementTimeout, sendTimeout, restoreTimeout, closeTimeout,
                    pollInterval, reconnect, sessionSaveInterval, snapshotSettle, ackSweepInterval,
                    profile, typingDelay, maxTypingTime, alwaysSimulateTyping,
                    expectedNumber, conflictTakeBacksPerHour, pageLayer, moduleSettle, unreadCheckInterval);
        }
    }
}
