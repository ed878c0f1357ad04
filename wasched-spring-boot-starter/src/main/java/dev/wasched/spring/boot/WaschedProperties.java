package dev.wasched.spring.boot;

import java.net.URI;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code wasched.*}: how the auto-configured {@code Wasched} is built. Unset values keep the library's defaults
 * (those of {@code WaschedBuilder} and {@code PacingPolicy.DEFAULT}).
 */
@ConfigurationProperties(prefix = "wasched")
public class WaschedProperties {
    /** Whether wasched is auto-configured at all. */
    private boolean enabled = true;

    /** Whether the engine starts with the application context and stops with it. */
    private boolean autoStartup = true;

    /** This instance's id among those sharing the store; default: the host name plus a random suffix. */
    private String instanceId;

    /** This instance's share of the accounts relative to the other live instances' (0 makes a standby). */
    private int instanceWeight = 1;

    /** Region for phone numbers written without a country code, for example DE. */
    private String defaultRegion;

    /** Zone for cron schedules without their own; default: the JVM's zone. */
    private ZoneId defaultZone;

    /** How often pending work written by other instances is looked for when no notification announced it. */
    private Duration fallbackPoll = Duration.ofSeconds(30);

    /** How long sends in flight may take to finish when the application stops. */
    private Duration shutdownTimeout = Duration.ofSeconds(10);

    /** How long delivery history is kept (DEAD and UNCERTAIN are kept until handled). */
    private Duration retention = Duration.ofDays(30);

    /** Whether this instance claims and sends; false runs the accounts' sessions only. */
    private boolean sendingEnabled = true;

    private final Lease lease = new Lease();
    private final Pacing pacing = new Pacing();
    private final Session session = new Session();
    private final Store store = new Store();
    private final Telegram telegram = new Telegram();
    private final Web web = new Web();

    /** WhatsApp accounts to register in the store's account registry, by name. */
    private final Map<String, Account> accounts = new LinkedHashMap<>();

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public boolean isAutoStartup() {
        return autoStartup;
    }

    public void setAutoStartup(boolean autoStartup) {
        this.autoStartup = autoStartup;
    }

    public String getInstanceId() {
        return instanceId;
    }

    public void setInstanceId(String instanceId) {
        this.instanceId = instanceId;
    }

    public int getInstanceWeight() {
        return instanceWeight;
    }

    public void setInstanceWeight(int instanceWeight) {
        this.instanceWeight = instanceWeight;
    }

    public String getDefaultRegion() {
        return defaultRegion;
    }

    public void setDefaultRegion(String defaultRegion) {
        this.defaultRegion = defaultRegion;
    }

    public ZoneId getDefaultZone() {
        return defaultZone;
    }

    public void setDefaultZone(ZoneId defaultZone) {
        this.defaultZone = defaultZone;
    }

    public Duration getFallbackPoll() {
        return fallbackPoll;
    }

    public void setFallbackPoll(Duration fallbackPoll) {
        this.fallbackPoll = fallbackPoll;
    }

    public Duration getShutdownTimeout() {
        return shutdownTimeout;
    }

    public void setShutdownTimeout(Duration shutdownTimeout) {
        this.shutdownTimeout = shutdownTimeout;
    }

    public Duration getRetention() {
        return retention;
    }

    public void setRetention(Duration retention) {
        this.retention = retention;
    }

    public boolean isSendingEnabled() {
        return sendingEnabled;
    }

    public void setSendingEnabled(boolean sendingEnabled) {
        this.sendingEnabled = sendingEnabled;
    }

    public Lease getLease() {
        return lease;
    }

    public Pacing getPacing() {
        return pacing;
    }

    public Session getSession() {
        return session;
    }

    public Store getStore() {
        return store;
    }

    public Telegram getTelegram() {
        return telegram;
    }

    public Web getWeb() {
        return web;
    }

    public Map<String, Account> getAccounts() {
        return accounts;
    }

    /** Session leases: how an account is owned by one instance at a time. */
    public static class Lease {
        /** How long a lease lasts without renewal: a dead instance's accounts are taken over within it. */
        private Duration duration = Duration.ofSeconds(30);

        /** How often this instance renews its leases and reads the account registry. */
        private Duration heartbeatInterval = Duration.ofSeconds(10);

        public Duration getDuration() {
            return duration;
        }

        public void setDuration(Duration duration) {
            this.duration = duration;
        }

        public Duration getHeartbeatInterval() {
            return heartbeatInterval;
        }

        public void setHeartbeatInterval(Duration heartbeatInterval) {
            this.heartbeatInterval = heartbeatInterval;
        }
    }

    /**
     * Pacing that protects an account from bans. Under {@code wasched.pacing} for every account; under
     * {@code wasched.accounts.NAME.pacing} only what differs for that account. Unset values keep the defaults
     * (15 s gap, up to 10 s jitter, 60 an hour, 400 a day, 50 new numbers a day, typing simulated, days in UTC).
     */
    public static class Pacing {
        /** Least time between two sends of one account. */
        private Duration minGap;

        /** Random extra time, from 0 up to this, added to each gap. */
        private Duration jitter;

        /** Most sends per clock hour; 0 for no cap. */
        private Integer hourlyCap;

        /** Most sends per day; 0 for no cap. */
        private Integer dailyCap;

        /** Most first messages to numbers never written to before, per day; 0 for no cap. */
        private Integer newContactsDailyCap;

        /** Start of the quiet hours in the recipient's zone (for example 21:00); both ends or none. */
        private LocalTime quietHoursStart;

        /** End of the quiet hours in the recipient's zone (for example 08:00). */
        private LocalTime quietHoursEnd;

        /** Whether the transport shows "typing…" for a time that fits the text. */
        private Boolean simulateTyping;

        /** The zone days are counted in for the daily caps. */
        private ZoneId zone;

        public Duration getMinGap() {
            return minGap;
        }

        public void setMinGap(Duration minGap) {
            this.minGap = minGap;
        }

        public Duration getJitter() {
            return jitter;
        }

        public void setJitter(Duration jitter) {
            this.jitter = jitter;
        }

        public Integer getHourlyCap() {
            return hourlyCap;
        }

        public void setHourlyCap(Integer hourlyCap) {
            this.hourlyCap = hourlyCap;
        }

        public Integer getDailyCap() {
            return dailyCap;
        }

        public void setDailyCap(Integer dailyCap) {
            this.dailyCap = dailyCap;
        }

        public Integer getNewContactsDailyCap() {
            return newContactsDailyCap;
        }

        public void setNewContactsDailyCap(Integer newContactsDailyCap) {
            this.newContactsDailyCap = newContactsDailyCap;
        }

        public LocalTime getQuietHoursStart() {
            return quietHoursStart;
        }

        public void setQuietHoursStart(LocalTime quietHoursStart) {
            this.quietHoursStart = quietHoursStart;
        }

        public LocalTime getQuietHoursEnd() {
            return quietHoursEnd;
        }

        public void setQuietHoursEnd(LocalTime quietHoursEnd) {
            this.quietHoursEnd = quietHoursEnd;
        }

        public Boolean getSimulateTyping() {
            return simulateTyping;
        }

        public void setSimulateTyping(Boolean simulateTyping) {
            this.simulateTyping = simulateTyping;
        }

        public ZoneId getZone() {
            return zone;
        }

        public void setZone(ZoneId zone) {
            this.zone = zone;
        }
    }

    /** Stored WhatsApp logins: a stored session is a full login, so encrypt it. */
    public static class Session {
        /** Base64 of 32 random bytes (openssl rand -base64 32) that stored sessions are encrypted with. */
        private String key;

        /** The key sessions were encrypted with before a rotation: they still load and are saved under the new key. */
        private String previousKey;

        /** For the first start with a key: load a session stored unencrypted once and save it encrypted. */
        private boolean adoptUnencrypted;

        public String getKey() {
            return key;
        }

        public void setKey(String key) {
            this.key = key;
        }

        public String getPreviousKey() {
            return previousKey;
        }

        public void setPreviousKey(String previousKey) {
            this.previousKey = previousKey;
        }

        public boolean isAdoptUnencrypted() {
            return adoptUnencrypted;
        }

        public void setAdoptUnencrypted(boolean adoptUnencrypted) {
            this.adoptUnencrypted = adoptUnencrypted;
        }
    }

    /** The store made from the application's DataSource or MongoClient. */
    public static class Store {
        private final Jdbc jdbc = new Jdbc();
        private final Mongo mongo = new Mongo();

        public Jdbc getJdbc() {
            return jdbc;
        }

        public Mongo getMongo() {
            return mongo;
        }
    }

    /** The JDBC store on the application's DataSource. */
    public static class Jdbc {
        /** Whether wasched creates or upgrades its tables at start; off when Flyway or Liquibase applies its scripts. */
        private boolean autoMigrate = true;

        /** Whether writes notify other instances (PostgreSQL LISTEN/NOTIFY); off behind PgBouncer in transaction mode. */
        private boolean changeNotifications = true;

        public boolean isAutoMigrate() {
            return autoMigrate;
        }

        public void setAutoMigrate(boolean autoMigrate) {
            this.autoMigrate = autoMigrate;
        }

        public boolean isChangeNotifications() {
            return changeNotifications;
        }

        public void setChangeNotifications(boolean changeNotifications) {
            this.changeNotifications = changeNotifications;
        }
    }

    /** The MongoDB store on the application's MongoClient. */
    public static class Mongo {
        /** The database wasched's collections are kept in. */
        private String database = "wasched";

        public String getDatabase() {
            return database;
        }

        public void setDatabase(String database) {
            this.database = database;
        }
    }

    /** Remote control and notifications over a Telegram bot; on when a token is set. */
    public static class Telegram {
        /** The bot token from BotFather. */
        private String token;

        /** The only chat ids whose messages are acted on (a group id allows every member). */
        private Set<Long> allowedChats = new LinkedHashSet<>();

        /** The WhatsApp account /send and /schedule use; needed when there are several. */
        private String account;

        /** The Bot API server (scheme, host and port); default Telegram's own. */
        private URI baseUrl;

        public String getToken() {
            return token;
        }

        public void setToken(String token) {
            this.token = token;
        }

        public Set<Long> getAllowedChats() {
            return allowedChats;
        }

        public void setAllowedChats(Set<Long> allowedChats) {
            this.allowedChats = allowedChats;
        }

        public String getAccount() {
            return account;
        }

        public void setAccount(String account) {
            this.account = account;
        }

        public URI getBaseUrl() {
            return baseUrl;
        }

        public void setBaseUrl(URI baseUrl) {
            this.baseUrl = baseUrl;
        }
    }

    /** The web console and HTTP API (wasched-web), mounted in the application's servlet container. */
    public static class Web {
        /** Whether the console is mounted when wasched-web is on the classpath. */
        private boolean enabled = true;

        /** Where the console is mounted; the API is at PATH/api/v1. */
        private String path = "/wasched";

        /**
         * The first administrator, made at start when the console has no user yet (never changed afterwards): set
         * its password from a secret, such as the environment variable WASCHED_WEB_ADMIN_PASSWORD.
         */
        private final Admin admin = new Admin();

        public Admin getAdmin() {
            return admin;
        }

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public String getPath() {
            return path;
        }

        public void setPath(String path) {
            this.path = path;
        }
    }

    /** The console's first administrator. */
    public static class Admin {
        /** Its user name; unset, no user is made. */
        private String name;

        /** Its password (at least 12 characters); required with a name. */
        private String password;

        public String getName() {
            return name;
        }

        public void setName(String name) {
            this.name = name;
        }

        public String getPassword() {
            return password;
        }

        public void setPassword(String password) {
            this.password = password;
        }
    }

    /** One WhatsApp account as the account registry keeps it. */
    public static class Account {
        /** The transport kind that runs it: the name of a TransportFactory bean, for example whatsapp-web. */
        private String kind;

        /** The transport's settings (for the WhatsApp Web transport: webUrl, expectedNumber, ...). */
        private Map<String, String> settings = new LinkedHashMap<>();

        /** What differs from wasched.pacing for this account. */
        private final Pacing pacing = new Pacing();

        public String getKind() {
            return kind;
        }

        public void setKind(String kind) {
            this.kind = kind;
        }

        public Map<String, String> getSettings() {
            return settings;
        }

        public void setSettings(Map<String, String> settings) {
            this.settings = settings;
        }

        public Pacing getPacing() {
            return pacing;
        }
    }
}
