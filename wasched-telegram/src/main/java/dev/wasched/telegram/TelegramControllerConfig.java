package dev.wasched.telegram;

import dev.wasched.Secret;
import dev.wasched.ValidationException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Settings of a {@link TelegramController}, validated when built. {@code toString} never shows the token.
 *
 * <pre>{@code
 * TelegramControllerConfig config = TelegramControllerConfig.builder()
 *         .token(Secret.fromEnv("WASCHED_TELEGRAM_TOKEN"))
 *         .allowChat(123456789L)                       // your own chat with the bot
 *         .notify(123456789L, Notification.DEAD, Notification.LOGIN_QR)
 *         .build();
 * }</pre>
 *
 * @param token                   the bot token from BotFather
 * @param allowedChatIds          the only chats whose messages and button presses are acted on (a group id allows
 *                                every member of the group)
 * @param baseUrl                 the Bot API server: scheme, host and port only (default
 *                                {@code https://api.telegram.org}); tests point it at a fake
 * @param notifications           which engine events go to which chat; every chat here is an allowed chat
 * @param account                 the WhatsApp account {@code /send} and {@code /schedule} use, or null for the only
 *                                account there is
 * @param zone                    the zone dates are shown and typed in, or null for wasched's default zone
 * @param wizardExpiry            a {@code /schedule} wizard left alone this long is forgotten (default 10 minutes)
 * @param requeueConfirmExpiry    how long the confirmation asked before requeueing an UNCERTAIN delivery stays
 *                                valid (default 5 minutes)
 * @param perChatInterval         the least time between two messages to one chat (Telegram: about 1 per second)
 * @param globalMessagesPerSecond the most requests per second over all chats (Telegram: about 30)
 * @param pollTimeout             how long one long poll for updates may be held by the server (default 50 s)
 * @param shutdownTimeout         how long {@code close()} may take in all, flushing queued replies (default 5 s)
 * @param clock                   the time source for wizard and confirmation expiry and for "now" in
 *                                {@code /send} and {@code /schedule}
 */
public record TelegramControllerConfig(Secret token, Set<Long> allowedChatIds, URI baseUrl,
                                       Map<Long, Set<Notification>> notifications, String account, ZoneId zone,
                                       Duration wizardExpiry, Duration requeueConfirmExpiry,
                                       Duration perChatInterval, int globalMessagesPerSecond,
                                       Duration pollTimeout, Duration shutdownTimeout, Clock clock) {
    /** Telegram's public Bot API server. */
    public static final URI DEFAULT_BASE_URL = URI.create("https://api.telegram.org");
    public static final Duration DEFAULT_WIZARD_EXPIRY = Duration.ofMinutes(10);
    public static final Duration DEFAULT_REQUEUE_CONFIRM_EXPIRY = Duration.ofMinutes(5);
    public static final Duration DEFAULT_PER_CHAT_INTERVAL = Duration.ofSeconds(1);
    public static final int DEFAULT_GLOBAL_MESSAGES_PER_SECOND = 30;
    public static final Duration DEFAULT_POLL_TIMEOUT = Duration.ofSeconds(50);
    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(5);

    public TelegramControllerConfig {
        if (token == null) {
            throw new ValidationException("token", "is required");
        }
        String t = token.reveal();
        if (t.isBlank() || t.chars().anyMatch(c -> Character.isWhitespace(c) || c == '/' || c == '?' || c == '#')) {
            // the token becomes a URL path segment; the message must not echo it
            throw new ValidationException("token", "is not a bot token (no spaces, '/', '?' or '#' allowed)");
        }
        if (allowedChatIds == null || allowedChatIds.isEmpty()) {
            throw new ValidationException("allowedChatIds", "name at least one chat id; updates from other chats are ignored");
        }
        if (allowedChatIds.contains(0L)) {
            throw new ValidationException("allowedChatIds", "0 is not a chat id");
        }
        allowedChatIds = Set.copyOf(allowedChatIds);
        baseUrl = validateBaseUrl(baseUrl == null ? DEFAULT_BASE_URL : baseUrl);
        Map<Long, Set<Notification>> routes = new LinkedHashMap<>();
        for (Map.Entry<Long, Set<Notification>> e : (notifications == null ? Map.<Long, Set<Notification>>of() : notifications).entrySet()) {
            if (!allowedChatIds.contains(e.getKey())) {
                throw new ValidationException("notifications", "chat " + e.getKey() + " is not an allowed chat");
            }
            if (e.getValue() != null && !e.getValue().isEmpty()) {
                routes.put(e.getKey(), Set.copyOf(e.getValue()));
            }
        }
        notifications = Map.copyOf(routes);
        if (account != null && account.isBlank()) {
            account = null;
        }
        wizardExpiry = atLeast(wizardExpiry == null ? DEFAULT_WIZARD_EXPIRY : wizardExpiry, Duration.ofSeconds(1), "wizardExpiry");
        requeueConfirmExpiry = atLeast(requeueConfirmExpiry == null ? DEFAULT_REQUEUE_CONFIRM_EXPIRY
                : requeueConfirmExpiry, Duration.ofSeconds(10), "requeueConfirmExpiry");
        if (requeueConfirmExpiry.compareTo(Duration.ofHours(1)) > 0) {
            // the evidence shown goes stale: a confirmation is meant for a decision made now
            throw new ValidationException("requeueConfirmExpiry", "must be at most 1 hour, was " + requeueConfirmExpiry);
        }
        perChatInterval = perChatInterval == null ? DEFAULT_PER_CHAT_INTERVAL : perChatInterval;
        if (perChatInterval.isNegative()) {
            throw new ValidationException("perChatInterval", "must not be negative");
        }
        if (globalMessagesPerSecond < 1 || globalMessagesPerSecond > 1000) {
            throw new ValidationException("globalMessagesPerSecond", "must be 1 to 1000, was " + globalMessagesPerSecond);
        }
        pollTimeout = atLeast(pollTimeout == null ? DEFAULT_POLL_TIMEOUT : pollTimeout, Duration.ofSeconds(1), "pollTimeout");
        if (pollTimeout.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new ValidationException("pollTimeout", "must be at most 5 minutes, was " + pollTimeout);
        }
        shutdownTimeout = atLeast(shutdownTimeout == null ? DEFAULT_SHUTDOWN_TIMEOUT : shutdownTimeout,
                Duration.ofMillis(100), "shutdownTimeout");
        clock = clock == null ? Clock.systemUTC() : clock;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The notification kinds {@code chatId} receives (empty when none). */
    public Set<Notification> notificationsFor(long chatId) {
        return notifications.getOrDefault(chatId, Set.of());
    }

    private static Duration atLeast(Duration d, Duration min, String field) {
        if (d.compareTo(min) < 0) {
            throw new ValidationException(field, "must be at least " + min + ", was " + d);
        }
        return d;
    }

    private static URI validateBaseUrl(URI url) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            throw new ValidationException("baseUrl", "must be an http or https URL, was '" + url + "'");
        }
        if (url.getHost() == null) {
            throw new ValidationException("baseUrl", "has no host: '" + url + "'");
        }
        // TelegramBots builds /bot<token>/<method> from scheme, host and port only: a path would be silently dropped
        if (url.getRawPath() != null && !url.getRawPath().isEmpty() && !url.getRawPath().equals("/")
                || url.getRawQuery() != null || url.getRawUserInfo() != null) {
            throw new ValidationException("baseUrl", "give scheme, host and port only (no path, query or user), was '" + url + "'");
        }
        return url;
    }

    public static final class Builder {
        private Secret token;
        private final Set<Long> allowed = new LinkedHashSet<>();
        private URI baseUrl = DEFAULT_BASE_URL;
        private final Map<Long, Set<Notification>> notifications = new LinkedHashMap<>();
        private boolean notificationsConfigured;
        private String account;
        private ZoneId zone;
        private Duration wizardExpiry = DEFAULT_WIZARD_EXPIRY;
        private Duration requeueConfirmExpiry = DEFAULT_REQUEUE_CONFIRM_EXPIRY;
        private Duration perChatInterval = DEFAULT_PER_CHAT_INTERVAL;
        private int globalMessagesPerSecond = DEFAULT_GLOBAL_MESSAGES_PER_SECOND;
        private Duration pollTimeout = DEFAULT_POLL_TIMEOUT;
        private Duration shutdownTimeout = DEFAULT_SHUTDOWN_TIMEOUT;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /** Required: the bot token, for example {@code Secret.fromEnv("WASCHED_TELEGRAM_TOKEN")}. */
        public Builder token(Secret token) {
            this.token = token;
            return this;
        }

        /** Allows a chat (a private chat's id is the user's id; groups are negative). Required at least once. */
        public Builder allowChat(long... chatIds) {
            Arrays.stream(chatIds).forEach(allowed::add);
            return this;
        }

        public Builder allowChats(Set<Long> chatIds) {
            allowed.addAll(chatIds);
            return this;
        }

        /** The Bot API server, for example a local Bot API server or a test fake. */
        public Builder baseUrl(URI baseUrl) {
            this.baseUrl = baseUrl;
            return this;
        }

        public Builder baseUrl(String baseUrl) {
            return baseUrl(URI.create(baseUrl));
        }

        /**
         * Sends these kinds of events to {@code chatId} (an allowed chat). Once any routing is given, only the
         * configured chats get notifications; without any, every allowed chat gets {@link Notification#DEFAULTS}.
         */
        public Builder notify(long chatId, Notification... kinds) {
            notificationsConfigured = true;
            Set<Notification> set = notifications.computeIfAbsent(chatId, k -> EnumSet.noneOf(Notification.class));
            set.addAll(Arrays.asList(kinds));
            return this;
        }

        /** Sends no notifications at all. */
        public Builder noNotifications() {
            notificationsConfigured = true;
            notifications.clear();
            return this;
        }

        /** The WhatsApp account {@code /send} and {@code /schedule} use (needed when there are several). */
        public Builder account(String account) {
            this.account = account;
            return this;
        }

        public Builder zone(ZoneId zone) {
            this.zone = zone;
            return this;
        }

        public Builder wizardExpiry(Duration expiry) {
            this.wizardExpiry = expiry;
            return this;
        }

        /**
         * How long the "Yes, send again" confirmation for requeueing an UNCERTAIN delivery stays valid (10 seconds
         * to 1 hour; default 5 minutes).
         */
        public Builder requeueConfirmExpiry(Duration expiry) {
            this.requeueConfirmExpiry = expiry;
            return this;
        }

        public Builder perChatInterval(Duration interval) {
            this.perChatInterval = interval;
            return this;
        }

        public Builder globalMessagesPerSecond(int perSecond) {
            this.globalMessagesPerSecond = perSecond;
            return this;
        }

        public Builder pollTimeout(Duration timeout) {
            this.pollTimeout = timeout;
            return this;
        }

        public Builder shutdownTimeout(Duration timeout) {
            this.shutdownTimeout = timeout;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public TelegramControllerConfig build() {
            Map<Long, Set<Notification>> routes = new LinkedHashMap<>(notifications);
            if (!notificationsConfigured) {
                allowed.forEach(chat -> routes.put(chat, Notification.DEFAULTS));
            }
            return new TelegramControllerConfig(token, allowed, baseUrl, routes, account, zone, wizardExpiry,
                    requeueConfirmExpiry, perChatInterval, globalMessagesPerSecond, pollTimeout, shutdownTimeout, clock);
        }
    }
}
