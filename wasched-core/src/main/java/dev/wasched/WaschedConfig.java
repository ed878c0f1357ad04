package dev.wasched;

import dev.wasched.policy.PacingPolicy;
import dev.wasched.policy.RetryPolicy;
import java.time.Duration;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The engine's settings, validated; build them through {@link WaschedBuilder}, or alone with {@link #builder()} (or
 * change a copy with {@link #toBuilder()}), not with the canonical constructor: it may gain components in any release.
 * {@code toString} never shows secrets.
 *
 * @param instanceId        this instance's id (unique among instances on one store)
 * @param defaultRegion     region for numbers typed without a country code, such as {@code "DE"}, or null
 * @param defaultZone       zone for quiet hours when neither the contact nor the number gives one
 * @param leaseDuration     a dead instance's work is taken over at most this long after it stopped: its leases
 *                          end one heartbeat short of this after their last renewal, and the others look for expired
 *                          ones once per heartbeat. Must be well above the clock skew between instances.
 * @param heartbeatInterval how often leases are renewed and expired ones taken over (at most a third of the lease)
 * @param fallbackPoll      how often the engine looks for other instances' writes when nothing wakes it sooner
 * @param misfireThreshold  an occurrence later than this is a misfire and follows the schedule's misfire policy
 * @param fanOutLookAhead   occurrences due within this much of now are turned into PENDING deliveries ahead of time
 *                          (still due at their occurrence, so sent on time, not early); zero makes deliveries only
 *                          once an occurrence is due. 0 to {@link #MAX_FAN_OUT_LOOK_AHEAD}.
 * @param claimBatchSize    the most schedules or deliveries claimed in one query
 * @param shutdownTimeout   how long {@code close()} waits for sends in flight
 * @param retention         how long finished deliveries are kept (DEAD and UNCERTAIN are kept until handled)
 * @param accountPacing     pacing per account, overriding {@code pacing}
 * @param maxMediaBytes     the largest media file accepted
 * @param sessionKey        base64 of a 32-byte AES key to encrypt stored sessions, or null for no encryption
 * @param previousSessionKey the key sessions were encrypted with before {@code sessionKey} (rotation): snapshots under
 *                          it still load and are saved again under the new key; or null
 * @param adoptUnencryptedSessions with a key set, load an unencrypted stored session once and save it encrypted at
 *                          once (an upgrade to encryption without a new link), instead of quarantining it
 * @param quarantineRetention how long quarantined session snapshots are kept before they are deleted
 * @param maxBacklogOccurrences a schedule with a repeating trigger gets no new occurrence while more than this many
 *                          earlier occurrences still have PENDING deliveries (the backlog must not grow without bound
 *                          when sending is slower than the schedule fires); the occurrence is recorded as skipped
 * @param sendingEnabled    false for an instance that runs its accounts' WhatsApp sessions (to link or check them)
 *                          but sends nothing: it claims no delivery, so it can run beside the instances that send
 * @param sendWindow        the most deliveries of one account claimed into SENDING at once when its pacing has no
 *                          gap between sends (default 16): should the instance die, at most this many become
 *                          UNCERTAIN. An account with a gap (every WhatsApp Web account) claims one at a time.
 * @param replyKeywords     whole-message replies that opt a contact out or back in, and the texts that confirm it
 *                          ({@link dev.wasched.inbound.ReplyKeywords#DEFAULT}: STOP, … and START, no confirmation)
 */
public record WaschedConfig(String instanceId, String defaultRegion, ZoneId defaultZone, Duration leaseDuration,
                            Duration heartbeatInterval, Duration fallbackPoll, Duration misfireThreshold,
                            Duration fanOutLookAhead,
                            int claimBatchSize, Duration shutdownTimeout, Duration retention, RetryPolicy retry,
                            PacingPolicy pacing, Map<String, PacingPolicy> accountPacing, long maxMediaBytes,
                            Secret sessionKey, Secret previousSessionKey, boolean adoptUnencryptedSessions,
                            Duration quarantineRetention,
                            int maxBacklogOccurrences, int circuitFailureThreshold, Duration circuitOpenFor,
                            boolean sendingEnabled, int sendWindow,
                            dev.wasched.inbound.ReplyKeywords replyKeywords) {
    /** The longest look-ahead: deliveries made further ahead would only outlive more edits of their schedule. */
    public static final Duration MAX_FAN_OUT_LOOK_AHEAD = Duration.ofHours(1);

    public WaschedConfig {
        requireText(instanceId, "instanceId");
        Objects.requireNonNull(replyKeywords, "replyKeywords");
        Objects.requireNonNull(defaultZone, "defaultZone");
        positive(leaseDuration, "leaseDuration");
        positive(heartbeatInterval, "heartbeatInterval");
        positive(fallbackPoll, "fallbackPoll");
        positive(misfireThreshold, "misfireThreshold");
        if (fanOutLookAhead == null || fanOutLookAhead.isNegative()
                || fanOutLookAhead.compareTo(MAX_FAN_OUT_LOOK_AHEAD) > 0) {
            throw new ValidationException("fanOutLookAhead", "must be 0 to " + MAX_FAN_OUT_LOOK_AHEAD + ", was "
                    + fanOutLookAhead);
        }
        positive(shutdownTimeout, "shutdownTimeout");
        positive(retention, "retention");
        positive(circuitOpenFor, "circuitOpenFor");
        positive(quarantineRetention, "quarantineRetention");
        if (maxBacklogOccurrences < 1) {
            throw new ValidationException("maxBacklogOccurrences", "must be at least 1, was " + maxBacklogOccurrences);
        }
        if (adoptUnencryptedSessions && sessionKey == null) {
            throw new ValidationException("adoptUnencryptedSessions", "needs a sessionKey to encrypt the adopted session");
        }
        if (previousSessionKey != null && sessionKey == null) {
            throw new ValidationException("previousSessionKey", "needs a current sessionKey to rotate to");
        }
        if (heartbeatInterval.multipliedBy(3).compareTo(leaseDuration) > 0) {
            throw new ValidationException("heartbeatInterval", "must be at most a third of leaseDuration ("
                    + leaseDuration + "), was " + heartbeatInterval);
        }
        if (claimBatchSize < 1 || claimBatchSize > 10_000) {
            throw new ValidationException("claimBatchSize", "must be 1 to 10000, was " + claimBatchSize);
        }
        if (sendWindow < 1 || sendWindow > 1000) {
            throw new ValidationException("sendWindow", "must be 1 to 1000, was " + sendWindow);
        }
        if (maxMediaBytes < 1) {
            throw new ValidationException("maxMediaBytes", "must be positive");
        }
        if (circuitFailureThreshold < 1) {
            throw new ValidationException("circuitFailureThreshold", "must be at least 1");
        }
        Objects.requireNonNull(retry, "retry");
        Objects.requireNonNull(pacing, "pacing");
        accountPacing = Map.copyOf(accountPacing == null ? Map.of() : accountPacing);
        if (defaultRegion != null && !defaultRegion.matches("[A-Za-z]{2}")) {
            throw new ValidationException("defaultRegion", "must be a two-letter region code such as DE, was '" + defaultRegion + "'");
        }
    }

    /** Every setting as text for diagnostics; secrets appear only as "set" or "none". */
    public Map<String, String> describe() {
        Map<String, String> m = new java.util.TreeMap<>();
        m.put("instanceId", instanceId);
        m.put("defaultRegion", String.valueOf(defaultRegion));
        m.put("defaultZone", defaultZone.getId());
        m.put("leaseDuration", leaseDuration.toString());
        m.put("heartbeatInterval", heartbeatInterval.toString());
        m.put("fallbackPoll", fallbackPoll.toString());
        m.put("misfireThreshold", misfireThreshold.toString());
        m.put("fanOutLookAhead", fanOutLookAhead.toString());
        m.put("claimBatchSize", String.valueOf(claimBatchSize));
        m.put("sendWindow", String.valueOf(sendWindow));
        m.put("shutdownTimeout", shutdownTimeout.toString());
        m.put("retention", retention.toString());
        m.put("retry", retry.toString());
        m.put("pacing", pacing.toString());
        accountPacing.forEach((a, p) -> m.put("pacing." + a, p.toString()));
        m.put("maxMediaBytes", String.valueOf(maxMediaBytes));
        m.put("sessionKey", sessionKey == null ? "none" : "set (redacted)");
        m.put("previousSessionKey", previousSessionKey == null ? "none" : "set (redacted)");
        m.put("adoptUnencryptedSessions", String.valueOf(adoptUnencryptedSessions));
        m.put("sendingEnabled", String.valueOf(sendingEnabled));
        m.put("quarantineRetention", quarantineRetention.toString());
        m.put("maxBacklogOccurrences", String.valueOf(maxBacklogOccurrences));
        m.put("circuitBreaker", circuitFailureThreshold + " failures, open for " + circuitOpenFor);
        return m;
    }

    /** The pacing that applies to an account. */
    public PacingPolicy pacingFor(String account) {
        return accountPacing.getOrDefault(account, pacing);
    }

    private static void positive(Duration d, String name) {
        if (d == null || d.isZero() || d.isNegative()) {
            throw new ValidationException(name, "must be positive, was " + d);
        }
    }

    private static void requireText(String s, String name) {
        if (s == null || s.isBlank() || s.length() > 128) {
            throw new ValidationException(name, "must have 1 to 128 characters");
        }
    }

    /**
     * A builder with the defaults (an engine is configured through {@link WaschedBuilder}, which uses one; this one
     * serves tests and tools that need the settings alone). The instance id has no default here.
     */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these settings, to build a copy with some of them changed. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.instanceId = instanceId;
        b.defaultRegion = defaultRegion;
        b.defaultZone = defaultZone;
        b.leaseDuration = leaseDuration;
        b.heartbeatInterval = heartbeatInterval;
        b.fallbackPoll = fallbackPoll;
        b.misfireThreshold = misfireThreshold;
        b.fanOutLookAhead = fanOutLookAhead;
        b.claimBatchSize = claimBatchSize;
        b.shutdownTimeout = shutdownTimeout;
        b.retention = retention;
        b.retry = retry;
        b.pacing = pacing;
        b.accountPacing.putAll(accountPacing);
        b.maxMediaBytes = maxMediaBytes;
        b.sessionKey = sessionKey;
        b.previousSessionKey = previousSessionKey;
        b.adoptUnencryptedSessions = adoptUnencryptedSessions;
        b.quarantineRetention = quarantineRetention;
        b.maxBacklogOccurrences = maxBacklogOccurrences;
        b.circuitFailureThreshold = circuitFailureThreshold;
        b.circuitOpenFor = circuitOpenFor;
        b.sendingEnabled = sendingEnabled;
        b.sendWindow = sendWindow;
        b.replyKeywords = replyKeywords;
        return b;
    }

    /** Builds a {@link WaschedConfig} by component name, starting from the defaults; checked in {@link #build()}. */
    public static final class Builder {
        private String instanceId;
        private String defaultRegion;
        private ZoneId defaultZone = ZoneId.systemDefault();
        private Duration leaseDuration = Duration.ofSeconds(30);
        private Duration heartbeatInterval = Duration.ofSeconds(10);
        private Duration fallbackPoll = Duration.ofSeconds(30);
        private Duration misfireThreshold = Duration.ofMinutes(1);
        private Duration fanOutLookAhead = Duration.ofSeconds(60);
        private int claimBatchSize = 100;
        private Duration shutdownTimeout = Duration.ofSeconds(10);
        private Duration retention = Duration.ofDays(30);
        private RetryPolicy retry = RetryPolicy.DEFAULT;
        private PacingPolicy pacing = PacingPolicy.DEFAULT;
        private final Map<String, PacingPolicy> accountPacing = new LinkedHashMap<>();
        private long maxMediaBytes = 16L * 1024 * 1024;
        private Secret sessionKey;
        private Secret previousSessionKey;
        private boolean adoptUnencryptedSessions;
        private Duration quarantineRetention = Duration.ofDays(7);
        private int maxBacklogOccurrences = 1;
        private int circuitFailureThreshold = 5;
        private Duration circuitOpenFor = Duration.ofMinutes(1);
        private boolean sendingEnabled = true;
        private int sendWindow = 16;
        private dev.wasched.inbound.ReplyKeywords replyKeywords = dev.wasched.inbound.ReplyKeywords.DEFAULT;

        private Builder() {
        }

        public Builder instanceId(String instanceId) {
            this.instanceId = instanceId;
            return this;
        }

        public Builder defaultRegion(String defaultRegion) {
            this.defaultRegion = defaultRegion;
            return this;
        }

        public Builder defaultZone(ZoneId defaultZone) {
            this.defaultZone = defaultZone;
            return this;
        }

        public Builder leaseDuration(Duration leaseDuration) {
            this.leaseDuration = leaseDuration;
            return this;
        }

        public Builder heartbeatInterval(Duration heartbeatInterval) {
            this.heartbeatInterval = heartbeatInterval;
            return this;
        }

        public Builder fallbackPoll(Duration fallbackPoll) {
            this.fallbackPoll = fallbackPoll;
            return this;
        }

        public Builder misfireThreshold(Duration misfireThreshold) {
            this.misfireThreshold = misfireThreshold;
            return this;
        }

        public Builder fanOutLookAhead(Duration fanOutLookAhead) {
            this.fanOutLookAhead = fanOutLookAhead;
            return this;
        }

        public Builder claimBatchSize(int claimBatchSize) {
            this.claimBatchSize = claimBatchSize;
            return this;
        }

        public Builder shutdownTimeout(Duration shutdownTimeout) {
            this.shutdownTimeout = shutdownTimeout;
            return this;
        }

        public Builder retention(Duration retention) {
            this.retention = retention;
            return this;
        }

        public Builder retry(RetryPolicy retry) {
            this.retry = retry;
            return this;
        }

        public Builder pacing(PacingPolicy pacing) {
            this.pacing = pacing;
            return this;
        }

        /** Pacing per account, replacing what was set before. */
        public Builder accountPacing(Map<String, PacingPolicy> accountPacing) {
            this.accountPacing.clear();
            this.accountPacing.putAll(accountPacing);
            return this;
        }

        /** Pacing for one account, overriding {@code pacing}. */
        public Builder pacing(String account, PacingPolicy policy) {
            this.accountPacing.put(account, policy);
            return this;
        }

        public Builder maxMediaBytes(long maxMediaBytes) {
            this.maxMediaBytes = maxMediaBytes;
            return this;
        }

        public Builder sessionKey(Secret sessionKey) {
            this.sessionKey = sessionKey;
            return this;
        }

        public Builder previousSessionKey(Secret previousSessionKey) {
            this.previousSessionKey = previousSessionKey;
            return this;
        }

        public Builder adoptUnencryptedSessions(boolean adoptUnencryptedSessions) {
            this.adoptUnencryptedSessions = adoptUnencryptedSessions;
            return this;
        }

        public Builder quarantineRetention(Duration quarantineRetention) {
            this.quarantineRetention = quarantineRetention;
            return this;
        }

        public Builder maxBacklogOccurrences(int maxBacklogOccurrences) {
            this.maxBacklogOccurrences = maxBacklogOccurrences;
            return this;
        }

        public Builder circuitFailureThreshold(int circuitFailureThreshold) {
            this.circuitFailureThreshold = circuitFailureThreshold;
            return this;
        }

        public Builder circuitOpenFor(Duration circuitOpenFor) {
            this.circuitOpenFor = circuitOpenFor;
            return this;
        }

        public Builder sendingEnabled(boolean sendingEnabled) {
            this.sendingEnabled = sendingEnabled;
            return this;
        }

        public Builder sendWindow(int sendWindow) {
            this.sendWindow = sendWindow;
            return this;
        }

        public Builder replyKeywords(dev.wasched.inbound.ReplyKeywords replyKeywords) {
            this.replyKeywords = replyKeywords;
            return this;
        }

        public WaschedConfig build() {
            return new WaschedConfig(instanceId, defaultRegion, defaultZone, leaseDuration, heartbeatInterval,
                    fallbackPoll, misfireThreshold, fanOutLookAhead, claimBatchSize, shutdownTimeout, retention, retry,
                    pacing, accountPacing, maxMediaBytes, sessionKey, previousSessionKey, adoptUnencryptedSessions,
                    quarantineRetention, maxBacklogOccurrences, circuitFailureThreshold, circuitOpenFor, sendingEnabled,
                    sendWindow, replyKeywords);
        }
    }
}
