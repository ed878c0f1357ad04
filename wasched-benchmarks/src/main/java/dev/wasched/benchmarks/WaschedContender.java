package dev.wasched.benchmarks;

import dev.wasched.Wasched;
import dev.wasched.WaschedBuilder;
import dev.wasched.contact.Contact;
import dev.wasched.contact.ContactSpec;
import dev.wasched.delivery.Delivery;
import dev.wasched.delivery.Recipient;
import dev.wasched.message.MessageContent;
import dev.wasched.policy.PacingPolicy;
import dev.wasched.schedule.ScheduleSpec;
import dev.wasched.schedule.Target;
import dev.wasched.schedule.Trigger;
import dev.wasched.store.jdbc.JdbcStore;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/**
 * wasched's engine on the JDBC store with {@link NoOpTransport}s and unlimited pacing. A job is one delivery to a
 * contact; its text is the job key. Jobs are spread round-robin over the accounts, and with several instances the
 * accounts are split between them (a WhatsApp account is dispatched by one instance at a time, so that is how
 * wasched spreads work; see BENCHMARKS.md).
 */
public final class WaschedContender implements Contender {
    private static final String SCHEMA = "bench_wasched";
    private static final int INSERT_CHUNK = 1_000;

    private final PostgresServer postgres;
    private final BenchmarkSettings settings;
    private final List<String> accounts;
    private final Duration sendLatency;
    private final int concurrentSends;
    private final List<Contact> contacts = new ArrayList<>();
    private PostgresServer.CountedPool setupPool;
    private JdbcStore setupStore;
    private Wasched setup;

    /** @param accounts how many WhatsApp accounts the jobs are spread over */
    public WaschedContender(PostgresServer postgres, BenchmarkSettings settings, int accounts) {
        this(postgres, settings, accounts, Duration.ZERO, 1);
    }

    /**
     * @param sendLatency     how long each send takes (see {@link NoOpTransport})
     * @param concurrentSends how many sends each account's transport takes at once
     */
    public WaschedContender(PostgresServer postgres, BenchmarkSettings settings, int accounts, Duration sendLatency,
                            int concurrentSends) {
        this.postgres = postgres;
        this.settings = settings;
        this.accounts = IntStream.rangeClosed(1, accounts).mapToObj(i -> "acct-" + i).toList();
        this.sendLatency = sendLatency;
        this.concurrentSends = concurrentSends;
    }

    @Override
    public String name() {
        return "wasched";
    }

    @Override
    public String jobTable() {
        return SCHEMA + ".wasched_delivery";
    }

    @Override
    public void prepare() {
        closeSetup();
        postgres.freshSchema(SCHEMA);
        setupPool = postgres.pool(SCHEMA);
        setupStore = JdbcStore.builder(setupPool.dataSource()).autoMigrate(true).build();
        setup = Wasched.builder().store(setupStore).instanceId("setup").build();
        for (String account : accounts) {
            // Run by the instances as accounts declared in code; registered so that schedules may name them now.
            setup.accounts().add(dev.wasched.account.AccountSpec.builder(account)
                    .kind(dev.wasched.account.Account.DECLARED_IN_CODE).build());
        }
        contacts.clear();
        for (int i = 0; i < settings.contacts(); i++) {
            contacts.add(setup.contacts().create(ContactSpec.builder().name("Person " + i)
                    .phone(String.format("+4915%09d", 100_000_000 + i)).build()));
        }
    }

    /** Deliveries written straight into the store (as a fan-out would write them), so the drain is all that runs. */
    @Override
    public void seedDueNow(List<String> keys) {
        Instant now = Instant.now();
        List<String> holders = new ArrayList<>();
        for (String account : accounts) {
            // The schedule the deliveries belong to; it fires tomorrow, so only the seeded deliveries are due.
            holders.add(setup.schedules().create(ScheduleSpec.builder().name("drain " + account).account(account)
                    .to(Target.contacts(contacts.get(0).id())).text("drain")
                    .trigger(Trigger.once(now.plus(Duration.ofDays(1)))).build()).id());
        }
        Instant base = now.minus(Duration.ofHours(1));
        int perRound = accounts.size() * contacts.size();
        List<Delivery> chunk = new ArrayList<>(INSERT_CHUNK);
        for (int i = 0; i < keys.size(); i++) {
            int a = i % accounts.size();
            Contact c = contacts.get((i / accounts.size()) % contacts.size());
            // (schedule, fire time, recipient) is unique: each round over all contacts gets its own fire time.
            Instant fireAt = base.plusMillis(i / perRound);
            chunk.add(Delivery.pending(keys.get(i), holders.get(a), fireAt,
                    Recipient.contact(c.id(), c.phone().e164(), null), accounts.get(a),
                    MessageContent.text(keys.get(i)), now));
            if (chunk.size() == INSERT_CHUNK || i == keys.size() - 1) {
                setupStore.deliveries().insertAll(chunk);
                chunk.clear();
            }
        }
        closeSetup();
    }

    @Override
    public void seedDailyCron(List<String> keys, Instant fireAt) {
        var t = fireAt.atZone(ZoneOffset.UTC);
        String expression = t.getMinute() + " " + t.getHour() + " * * *";
        for (int i = 0; i < keys.size(); i++) {
            setup.schedules().create(ScheduleSpec.builder().name(keys.get(i)).account(accounts.get(i % accounts.size()))
                    .to(Target.contacts(contacts.get(i % contacts.size()).id())).text(keys.get(i))
                    .trigger(Trigger.cron(expression, ZoneOffset.UTC)).build());
        }
        closeSetup();
    }

    @Override
    public Instances start(int count, ExecutionLog log) {
        closeSetup();
        List<Wasched> engines = new ArrayList<>();
        List<JdbcStore> stores = new ArrayList<>();
        List<PostgresServer.CountedPool> pools = new ArrayList<>();
        List<List<String>> accountsOf = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            PostgresServer.CountedPool pool = postgres.pool(SCHEMA);
            JdbcStore store = JdbcStore.create(pool.dataSource());
            pools.add(pool);
            stores.add(store);
            WaschedBuilder b = Wasched.builder().store(store).instanceId("wasched-" + i)
                    .pacing(PacingPolicy.unlimited()).fallbackPoll(settings.pollInterval())
                    .sendWindow(settings.sendWindow());
            List<String> mine = new ArrayList<>();
            for (int a = 0; a < accounts.size(); a++) {
                if (a % count == i) {
                    String account = accounts.get(a);
                    mine.add(account);
                    b.transport(account, () -> new NoOpTransport(account,
                            (message, at) -> log.record(message.content().text(), at), sendLatency, concurrentSends));
                }
            }
            accountsOf.add(mine);
            engines.add(b.build());
        }
        engines.forEach(Wasched::start);
        return new RunningEngines(engines, stores, pools, accountsOf.get(0));
    }

    private void closeSetup() {
        if (setup != null) {
            setup.close();
            setup = null;
        }
        if (setupStore != null) {
            setupStore.close();
            setupStore = null;
        }
        if (setupPool != null) {
            setupPool.close();
            setupPool = null;
        }
    }

    /** The started engines; jobs scheduled through the first go round-robin to its accounts and to the contacts. */
    private final class RunningEngines implements Instances {
        private final List<Wasched> engines;
        private final List<JdbcStore> stores;
        private final List<PostgresServer.CountedPool> pools;
        private final List<String> firstAccounts;
        private final AtomicInteger next = new AtomicInteger();

        RunningEngines(List<Wasched> engines, List<JdbcStore> stores, List<PostgresServer.CountedPool> pools,
                       List<String> firstAccounts) {
            this.engines = engines;
            this.stores = stores;
            this.pools = pools;
            this.firstAccounts = firstAccounts;
        }

        @Override
        public void schedule(String key, Instant at) {
            int n = next.getAndIncrement();
            engines.get(0).schedules().create(ScheduleSpec.builder().name(key)
                    .account(firstAccounts.get(n % firstAccounts.size()))
                    .to(Target.contacts(contacts.get(n % contacts.size()).id())).text(key)
                    .trigger(Trigger.once(at)).build());
        }

        @Override
        public long statements() {
            return pools.stream().mapToLong(PostgresServer.CountedPool::statements).sum();
        }

        @Override
        public void close() {
            engines.parallelStream().forEach(Wasched::close);
            stores.forEach(JdbcStore::close);
            pools.forEach(PostgresServer.CountedPool::close);
        }
    }
}
