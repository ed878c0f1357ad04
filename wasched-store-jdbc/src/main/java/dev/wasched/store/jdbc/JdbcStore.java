package dev.wasched.store.jdbc;

import dev.wasched.ValidationException;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.wasched.spi.store.ContactRepository;
import dev.wasched.spi.store.DeliveryRepository;
import dev.wasched.spi.store.DispatchCycle;
import dev.wasched.spi.store.DueTimes;
import dev.wasched.spi.store.InstanceInfo;
import dev.wasched.spi.store.Lease;
import dev.wasched.spi.store.LeaseRenewal;
import dev.wasched.spi.store.InstanceRepository;
import dev.wasched.spi.store.LeaseRepository;
import dev.wasched.spi.store.MediaRepository;
import dev.wasched.spi.store.PacingRepository;
import dev.wasched.spi.store.ScheduleRepository;
import dev.wasched.spi.store.SessionRepository;
import dev.wasched.spi.store.StoreChange;
import dev.wasched.spi.store.StoreException;
import dev.wasched.spi.store.TemplateRepository;
import dev.wasched.spi.store.WaschedStore;
import dev.wasched.store.jdbc.internal.ChangeFeed;
import dev.wasched.store.jdbc.internal.Db;
import dev.wasched.store.jdbc.internal.EmbeddedH2;
import dev.wasched.store.jdbc.internal.JdbcContacts;
import dev.wasched.store.jdbc.internal.JdbcDeliveries;
import dev.wasched.store.jdbc.internal.JdbcDispatch;
import dev.wasched.store.jdbc.internal.JdbcInstances;
import dev.wasched.store.jdbc.internal.JdbcLeases;
import dev.wasched.store.jdbc.internal.JdbcMedia;
import dev.wasched.store.jdbc.internal.JdbcPacing;
import dev.wasched.store.jdbc.internal.JdbcSchedules;
import dev.wasched.store.jdbc.internal.JdbcSessions;
import dev.wasched.store.jdbc.internal.JdbcTemplates;
import dev.wasched.store.jdbc.internal.JdbcAccounts;
import dev.wasched.store.jdbc.internal.Migrator;
import dev.wasched.store.jdbc.internal.StoreSetup;
import dev.wasched.store.jdbc.spi.SqlDialect;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;

/**
 * The wasched store on a relational database through JDBC: PostgreSQL for several instances on one database, H2
 * as the embedded default.
 *
 * <pre>{@code
 * WaschedStore store = JdbcStore.builder(dataSource).autoMigrate(true).build();   // the host's pool
 * WaschedStore local = JdbcStore.embedded(Path.of("data/wasched"));              // H2 file data/wasched.mv.db
 * }</pre>
 *
 * The store borrows a connection for each call and returns it at once (no connection is held while a message is
 * sent). Closing a store built on the host's DataSource leaves that DataSource open; closing an
 * {@link #embedded(Path) embedded} store closes its pool and the database. On PostgreSQL, {@link
 * #subscribeToChanges(Runnable)} keeps one connection listening while someone is subscribed: its own, beside the
 * pool (see {@link Builder#changeListenerDataSource(DataSource)}).
 */
public final class JdbcStore implements WaschedStore {
    private final DataSource dataSource;
    private final AutoCloseable ownedResource;
    private final SqlDialect dialect;
    private final ChangeFeed changes;
    private final AtomicBoolean closed = new AtomicBoolean();

    private final JdbcContacts contacts;
    private final JdbcTemplates templates;
    private final JdbcAccounts accounts;
    private final dev.wasched.store.jdbc.internal.JdbcInbound inbound;
    private final dev.wasched.store.jdbc.internal.JdbcWebhooks webhooks;
    private final dev.wasched.store.jdbc.internal.JdbcAccess access;
    private final JdbcSchedules schedules;
    private final JdbcDeliveries deliveries;
    private final JdbcMedia media;
    private final JdbcSessions sessions;
    private final JdbcLeases leases;
    private final JdbcInstances instances;
    private final JdbcPacing pacing;
    private final JdbcDispatch dispatch;

    private JdbcStore(Builder b, SqlDialect dialect, String databaseKey) {
        this.dataSource = b.dataSource;
        this.ownedResource = b.owned;
        this.dialect = dialect;
        boolean notifyThroughDatabase = b.changeNotifications && dialect.supportsNotifications();
        Db db = new Db(dataSource, dialect, notifyThroughDatabase, notifyThroughDatabase ? null : databaseKey);
        this.changes = StoreSetup.changeFeed(dataSource, b.listenerDataSource, dialect, notifyThroughDatabase,
                databaseKey);
        this.contacts = new JdbcContacts(db);
        this.templates = new JdbcTemplates(db);
        this.accounts = new JdbcAccounts(db);
        this.inbound = new dev.wasched.store.jdbc.internal.JdbcInbound(db);
        this.webhooks = new dev.wasched.store.jdbc.internal.JdbcWebhooks(db);
        this.access = new dev.wasched.store.jdbc.internal.JdbcAccess(db);
        this.deliveries = new JdbcDeliveries(db);
        this.schedules = new JdbcSchedules(db, deliveries);
        this.media = new JdbcMedia(db);
        this.sessions = new JdbcSessions(db);
        this.leases = new JdbcLeases(db);
        this.instances = new JdbcInstances(db);
        this.pacing = new JdbcPacing(db);
        this.dispatch = new JdbcDispatch(db, pacing);
    }

    /** A store on the host's DataSource, with the dialect detected; the schema must exist already. */
    public static JdbcStore create(DataSource dataSource) {
        return builder(dataSource).build();
    }

    public static Builder builder(DataSource dataSource) {
        return new Builder(dataSource);
    }

    /**
     * A store in an H2 database file behind its own small connection pool, with the schema created or upgraded on
     * start. {@code file} names the database without extension: {@code Path.of("data/wasched")} keeps the data in
     * {@code data/wasched.mv.db}.
     *
     * <p>Missing directories are created readable by their owner only (0700), and the database's files are made
     * 0600. Other processes on this machine can use the database while this store has it open (H2's automatic mixed
     * mode): they open the same file and are connected through a TCP port that this store's process binds to
     * 127.0.0.1, with a random key kept in the {@code .lock.db} file. For that, this sets the system property
     * {@code h2.bindAddress} to 127.0.0.1 unless it is set; when H2 was used in this JVM before (so the property
     * comes too late), or it names another address, the database is not shared and another process cannot open it
     * while it is open.
     */
    public static JdbcStore embedded(Path file) {
        Objects.requireNonNull(file, "file");
        String name = file.toAbsolutePath().normalize().toString();
        if (name.contains(";")) {
            // H2 reads settings such as INIT=... after a ';' in its URL: a path must never be able to add any.
            throw new ValidationException("file", "an embedded database path must not contain ';': " + name);
        }
        if (name.endsWith(".mv.db")) {
            name = name.substring(0, name.length() - ".mv.db".length());
        }
        EmbeddedH2.createPrivateDirectories(Path.of(name).getParent());
        HikariConfig config = new HikariConfig();
        config.setPoolName("wasched-h2");
        config.setJdbcUrl(EmbeddedH2.url(name, EmbeddedH2.serverOnLoopback()));
        config.setUsername("sa");
        config.setPassword("");
        // An engine uses a few connections at once (scheduler, one dispatcher per account, maintenance, API calls).
        config.setMaximumPoolSize(10);
        config.setMinimumIdle(1);
        config.setConnectionTimeout(10_000);
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new StoreException("cannot open the H2 database " + name + ".mv.db: " + e.getMessage(), e);
        }
        String database = name;
        EmbeddedH2.restrictFiles(database);
        try {
            Builder b = builder(pool).dialect(SqlDialect.h2()).autoMigrate(true);
            b.owned = () -> {
                pool.close();
                EmbeddedH2.restrictFiles(database); // a trace file H2 wrote meanwhile
            };
            return b.build();
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    public SqlDialect dialect() {
        return dialect;
    }

    @Override
    public ContactRepository contacts() {
        return contacts;
    }

    @Override
    public dev.wasched.spi.store.AccountRepository accounts() {
        return accounts;
    }

    @Override
    public TemplateRepository templates() {
        return templates;
    }

    @Override
    public dev.wasched.spi.store.InboundRepository inbound() {
        return inbound;
    }

    @Override
    public dev.wasched.spi.store.WebhookRepository webhooks() {
        return webhooks;
    }

    @Override
    public dev.wasched.spi.store.UserRepository users() {
        return access;
    }

    @Override
    public dev.wasched.spi.store.AuditRepository audit() {
        return access;
    }

    @Override
    public ScheduleRepository schedules() {
        return schedules;
    }

    @Override
    public DeliveryRepository deliveries() {
        return deliveries;
    }

    @Override
    public MediaRepository media() {
        return media;
    }

    @Override
    public SessionRepository sessions() {
        return sessions;
    }

    @Override
    public LeaseRepository leases() {
        return leases;
    }

    @Override
    public InstanceRepository instances() {
        return instances;
    }

    @Override
    public PacingRepository pacing() {
        return pacing;
    }

    /** One transaction. */
    @Override
    public void insertSchedule(dev.wasched.schedule.Schedule schedule,
                               java.util.List<dev.wasched.delivery.Delivery> deliveries) {
        schedules.insertWithDeliveries(schedule, deliveries);
    }

    /** One transaction; see {@link JdbcSchedules#edit}. */
    @Override
    public java.util.Optional<java.util.List<dev.wasched.delivery.Delivery>> editSchedule(
            dev.wasched.schedule.Schedule edited, java.util.List<dev.wasched.delivery.Delivery> replaced) {
        return schedules.edit(edited, replaced);
    }

    /** One statement per hundred accounts, the next schedule fire time riding in the first. */
    @Override
    public DueTimes dueTimes(Collection<String> accounts) {
        return deliveries.dueTimes(accounts);
    }

    /** One statement on PostgreSQL; see {@link JdbcLeases#heartbeat}. */
    @Override
    public LeaseRenewal heartbeat(InstanceInfo instance, Collection<Lease> held, Duration ttl,
                                  Collection<String> read) {
        return leases.heartbeat(instance, held, ttl, read, instances);
    }

    /** One transaction and one commit per cycle; see {@link JdbcDispatch}. */
    @Override
    public DispatchCycle.Result dispatch(DispatchCycle cycle) {
        return dispatch.run(cycle);
    }

    /** On PostgreSQL, up to 32 accounts' cycles in the statements of one; elsewhere one at a time. */
    @Override
    public int combinedDispatchLimit() {
        return dispatch.combinesClaims() ? JdbcDispatch.COMBINED_CLAIM_LIMIT : 1;
    }

    @Override
    public List<DispatchCycle.Result> dispatchAll(List<DispatchCycle> cycles) {
        return dispatch.runAll(cycles);
    }

    /**
     * Calls {@code listener} after changes to schedules and deliveries that may need an engine's attention, made
     * through any store on the same database: on PostgreSQL through LISTEN/NOTIFY (all processes), elsewhere from
     * store objects in this JVM. Calls are coalesced and made on the store's own thread.
     */
    @Override
    public AutoCloseable subscribeToChanges(Runnable listener) {
        Objects.requireNonNull(listener, "listener");
        if (closed.get()) {
            throw new IllegalStateException("the store is closed");
        }
        return changes.subscribe(listener);
    }

    /**
     * Like {@link #subscribeToChanges(Runnable)}, telling the listener what changed: the schedules, or the deliveries of
     * one account.
     */
    @Override
    public AutoCloseable subscribeToStoreChanges(Consumer<StoreChange> listener) {
        Objects.requireNonNull(listener, "listener");
        if (closed.get()) {
            throw new IllegalStateException("the store is closed");
        }
        return changes.subscribeToEach(listener);
    }

    /** A {@code SELECT 1} with a two-second timeout. */
    @Override
    public void ping() {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.setQueryTimeout(2);
            s.execute("SELECT 1");
        } catch (SQLException | RuntimeException e) {
            throw new StoreException("the database does not answer: " + e.getMessage(), e);
        }
    }

    /** Stops listening for changes and, for an embedded store, closes its pool. Never closes a host's DataSource. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        changes.close();
        if (ownedResource != null) {
            try {
                ownedResource.close();
            } catch (Exception e) {
                throw new StoreException("closing the connection pool failed", e);
            }
        }
    }

    @Override
    public String toString() {
        return "JdbcStore[" + dialect.name() + "]";
    }

    /** Options of a {@link JdbcStore} on the host's DataSource. */
    public static final class Builder {
        private final DataSource dataSource;
        private SqlDialect dialect;
        private boolean autoMigrate;
        private boolean changeNotifications = true;
        private DataSource listenerDataSource;
        private AutoCloseable owned;

        private Builder(DataSource dataSource) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        }

        /** The dialect to use instead of the one detected from the connection metadata. */
        public Builder dialect(SqlDialect dialect) {
            this.dialect = Objects.requireNonNull(dialect, "dialect");
            return this;
        }

        /**
         * Creates or upgrades the schema when the store is built, from the dialect's scripts, recording the applied
         * versions in {@code wasched_schema_history}. Safe when several instances start at once. Off by default:
         * hosts that run Flyway or Liquibase apply the scripts themselves.
         */
        public Builder autoMigrate(boolean value) {
            this.autoMigrate = value;
            return this;
        }

        /**
         * Whether writes announce themselves to other instances and {@link JdbcStore#subscribeToChanges} listens
         * for them (PostgreSQL LISTEN/NOTIFY). On by default; turn it off behind a pooler that cannot LISTEN, such
         * as PgBouncer in transaction mode (engines then rely on their fallback poll).
         */
        public Builder changeNotifications(boolean value) {
            this.changeNotifications = value;
            return this;
        }

        /**
         * Where the change listener (PostgreSQL LISTEN) gets the one connection it keeps while someone is subscribed,
         * so that it does not hold one of the pool's connections the engine sends with. By default, on a HikariCP
         * pool, the listener connects on its own as the pool does (the DataSource the pool wraps, or its JDBC URL,
         * driver properties and credentials), outside the pool; a DataSource of another kind gives no way to do
         * that, and the listener then takes one of its connections. Give an unpooled DataSource for the same
         * database here (PostgreSQL's {@code PGSimpleDataSource}, for example) to choose yourself; the store closes
         * the connections it takes from it, never the DataSource.
         */
        public Builder changeListenerDataSource(DataSource value) {
            this.listenerDataSource = Objects.requireNonNull(value, "changeListenerDataSource");
            return this;
        }

        /**
         * Connects once: detects the dialect (unless given), migrates (when asked) and checks that the tables are
         * there, so a missing schema fails here rather than at the first scheduled message.
         *
         * @throws StoreException when the database cannot be reached or the schema is missing
         */
        public JdbcStore build() {
            SqlDialect d = dialect;
            String key;
            try (Connection c = dataSource.getConnection()) {
                var md = c.getMetaData();
                if (d == null) {
                    d = SqlDialect.detect(md).orElseThrow(() -> new StoreException("no wasched dialect for "
                            + productName(md) + "; pass one with JdbcStore.builder(ds).dialect(...)", null));
                }
                key = md.getURL() + "|" + md.getUserName();
            } catch (SQLException e) {
                throw new StoreException("cannot connect to the database: " + e.getMessage(), e);
            }
            if (autoMigrate) {
                try {
                    new Migrator(d).migrate(dataSource);
                } catch (SQLException e) {
                    throw new StoreException("migrating the wasched schema failed: " + e.getMessage(), e);
                }
            }
            StoreSetup.checkSchema(dataSource, d);
            return new JdbcStore(this, d, key);
        }

        private static String productName(java.sql.DatabaseMetaData md) {
            try {
                return md.getDatabaseProductName();
            } catch (SQLException e) {
                return "this database";
            }
        }
    }
}
