package dev.wasched.store.mongo;

import com.mongodb.ReadPreference;
import com.mongodb.WriteConcern;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import dev.wasched.spi.store.ContactRepository;
import dev.wasched.spi.store.DeliveryRepository;
import dev.wasched.spi.store.InstanceRepository;
import dev.wasched.spi.store.LeaseRepository;
import dev.wasched.spi.store.MediaRepository;
import dev.wasched.spi.store.PacingRepository;
import dev.wasched.spi.store.ScheduleRepository;
import dev.wasched.spi.store.SessionRepository;
import dev.wasched.spi.store.TemplateRepository;
import dev.wasched.spi.store.WaschedStore;
import dev.wasched.store.mongo.internal.Errors;
import dev.wasched.store.mongo.internal.MongoContacts;
import dev.wasched.store.mongo.internal.MongoDeliveries;
import dev.wasched.store.mongo.internal.MongoInstances;
import dev.wasched.store.mongo.internal.MongoLeases;
import dev.wasched.store.mongo.internal.MongoSessions;
import dev.wasched.store.mongo.internal.ServerClock;
import dev.wasched.store.mongo.internal.MongoMedia;
import dev.wasched.store.mongo.internal.MongoPacing;
import dev.wasched.store.mongo.internal.MongoSchedules;
import dev.wasched.store.mongo.internal.MongoTemplates;
import dev.wasched.store.mongo.internal.MongoAccounts;
import dev.wasched.store.mongo.internal.Schema;
import java.time.Clock;
import java.util.Objects;
import org.bson.Document;

/**
 * A {@link WaschedStore} in one MongoDB database (4.4 or newer; a standalone server is enough).
 *
 * <p>It needs no multi-document transactions, change streams, TTL or partial indexes: claims and leases are
 * compare-and-set updates on single documents, fan-out is ordered so a crash between its steps is harmless, and
 * large session snapshots and media files are split into 1 MiB chunks. Collections and indexes are created when the
 * store is constructed (idempotently, so several instances may start together).
 *
 * <p>All work goes to the primary with write concern {@code majority}, whatever the client's defaults: a claim or
 * lease read from a lagging secondary, or lost in a fail-over, could hand one delivery to two instances.
 *
 * <pre>{@code
 * MongoClient client = MongoClients.create("mongodb://db1,db2,db3/?replicaSet=rs0");
 * WaschedStore store = new MongoStore(client, "wasched");
 * }</pre>
 *
 * Thread-safe; several engines in one JVM may share one instance.
 */
public final class MongoStore implements WaschedStore {
    private final MongoClient ownedClient;
    private final MongoDatabase db;
    private final ContactRepository contacts;
    private final TemplateRepository templates;
    private final MongoAccounts accounts;
    private final dev.wasched.spi.store.InboundRepository inbound;
    private final dev.wasched.spi.store.WebhookRepository webhooks;
    private final dev.wasched.store.mongo.internal.MongoAccess access;
    private final ScheduleRepository schedules;
    private final DeliveryRepository deliveries;
    private final MediaRepository media;
    private final SessionRepository sessions;
    private final LeaseRepository leases;
    private final InstanceRepository instances;
    private final PacingRepository pacing;

    /**
     * A store on {@code databaseName} through the host's client. {@link #close()} leaves the client open: it belongs
     * to the host.
     *
     * @throws dev.wasched.spi.store.StoreException when the server cannot be reached to create the indexes
     */
    public MongoStore(MongoClient client, String databaseName) {
        this(client, databaseName, null);
    }

    private MongoStore(MongoClient client, String databaseName, MongoClient owned) {
        Objects.requireNonNull(client, "client");
        if (databaseName == null || databaseName.isBlank()) {
            throw new IllegalArgumentException("databaseName is required");
        }
        this.ownedClient = owned;
        this.db = client.getDatabase(databaseName).withReadPreference(ReadPreference.primary())
                .withWriteConcern(WriteConcern.MAJORITY);
        Errors.run("creating collections and indexes", () -> Schema.create(db));
        this.contacts = new MongoContacts(db);
        this.templates = new MongoTemplates(db);
        this.accounts = new MongoAccounts(db);
        this.inbound = new dev.wasched.store.mongo.internal.MongoInbound(db);
        this.webhooks = new dev.wasched.store.mongo.internal.MongoWebhooks(db);
        this.access = new dev.wasched.store.mongo.internal.MongoAccess(db);
        MongoDeliveries d = new MongoDeliveries(db);
        this.deliveries = d;
        this.schedules = new MongoSchedules(db, d);
        this.media = new MongoMedia(db);
        MongoSessions sessionRepo = new MongoSessions(db, Clock.systemUTC());
        this.sessions = sessionRepo;
        MongoLeases l = new MongoLeases(db, new ServerClock(db));
        d.fenceWith(l);
        sessionRepo.fenceWith(l);
        this.leases = l;
        this.instances = new MongoInstances(db);
        this.pacing = new MongoPacing(db);
    }

    /**
     * A store with its own client for {@code connectionString} (such as {@code mongodb://localhost:27017}); closing
     * the store closes that client.
     */
    public static MongoStore connect(String connectionString, String databaseName) {
        MongoClient client = MongoClients.create(Objects.requireNonNull(connectionString, "connectionString"));
        try {
            return new MongoStore(client, databaseName, client);
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
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

    /** The {@code {ping: 1}} command. */
    @Override
    public void ping() {
        Errors.run("ping", () -> db.runCommand(new Document("ping", 1)));
    }

    @Override
    public void close() {
        if (ownedClient != null) {
            ownedClient.close();
        }
    }
}
