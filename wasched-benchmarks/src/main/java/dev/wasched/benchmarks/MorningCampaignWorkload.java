package dev.wasched.benchmarks;

import dev.wasched.Wasched;
import dev.wasched.WaschedBuilder;
import dev.wasched.contact.imports.ImportReport;
import dev.wasched.delivery.DeliveryStatus;
import dev.wasched.event.WaschedEvent;
import dev.wasched.policy.PacingPolicy;
import dev.wasched.schedule.ScheduleSpec;
import dev.wasched.schedule.Target;
import dev.wasched.schedule.Trigger;
import dev.wasched.spi.store.PacingRepository;
import dev.wasched.spi.store.PacingState;
import dev.wasched.spi.store.WaschedStore;
import dev.wasched.spi.transport.OutgoingMessage;
import dev.wasched.store.jdbc.JdbcStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * W6, a morning campaign: contacts imported with one tag per account, one schedule per account to its tag, all firing
 * once at the same instant T, sent by accounts under (sped-up) default pacing that are spread over several instances
 * on one database. W7 is the same campaign with one instance killed once half the messages are out.
 *
 * <p>How much the engine adds to pacing is measured from the outside: before each send the transport reads the
 * account's {@link PacingState} from the store (on a pool of its own). Its {@code nextAllowedAt} is what the engine
 * chose after the account's previous send, jitter included, and what it waits for; so the instant pacing allowed
 * a send is the latest of T, that {@code nextAllowedAt} and the start of the transport that sends it (an account
 * cannot send before its instance has it), and whatever comes on top is the engine's.
 */
public final class MorningCampaignWorkload {
    private static final String SCHEMA = "bench_campaign";
    /** The instance W7 kills: neither the first started nor the last. */
    static final int KILLED = 1;
    /** Stored pacing instants are whole milliseconds, send instants are not: a send this early is still on time. */
    private static final Duration STORED_PRECISION = Duration.ofMillis(1);
    private static final Set<DeliveryStatus> OPEN = EnumSet.of(DeliveryStatus.PENDING, DeliveryStatus.CLAIMED,
            DeliveryStatus.SENDING);

    private final PostgresServer postgres;
    private final BenchmarkSettings settings;
    private final PacingPolicy pacing;
    private final List<String> accounts;

    public MorningCampaignWorkload(PostgresServer postgres, BenchmarkSettings settings) {
        this.postgres = postgres;
        this.settings = settings;
        this.pacing = spedUpDefault(settings.w6Gap());
        this.accounts = IntStream.rangeClosed(1, settings.w6Accounts()).mapToObj(i -> "acct-" + i).toList();
    }

    /**
     * {@link PacingPolicy#DEFAULT} with time running faster by DEFAULT's gap / {@code gap}: gap and jitter divided,
     * caps multiplied, by that factor (1 s: 15 times, so jitter up to 667 ms, 900 sends an hour, 6,000 a day, 750 new
     * contacts a day). The caps stay on, so the engine checks them as it would in production, but do not bind.
     */
    static PacingPolicy spedUpDefault(Duration gap) {
        PacingPolicy d = PacingPolicy.DEFAULT;
        double k = (double) d.minGap().toMillis() / gap.toMillis();
        return d.withGap(gap, Duration.ofMillis(Math.round(d.jitter().toMillis() / k)))
                .withCaps((int) Math.round(d.hourlyCap() * k), (int) Math.round(d.dailyCap() * k),
                        (int) Math.round(d.newContactDailyCap() * k));
    }

    public PacingPolicy pacing() {
        return pacing;
    }

    static String instanceId(int i) {
        return "wasched-" + i;
    }

    /** One send as the transport saw it. */
    record Send(String account, String instance, Instant at, Instant allowedAt) {
        Duration added() {
            return Duration.between(allowedAt, at);
        }
    }

    /** A transport of an account started on an instance (at first, or when it took the account over). */
    record Start(String account, String instance, Instant at) {
    }

    /**
     * W7's failover, measured from the kill.
     *
     * @param accounts     how many accounts the killed instance had
     * @param lastRestart  until the last of them had its transport started on a survivor, or null if one never did
     * @param firstSend    until the first of them sent again from a survivor
     * @param lastSend     until the last of them sent again, or null if one never did
     * @param lease        the instances' lease duration: the engine promises a takeover within it
     */
    public record Takeover(String killed, int sentBeforeKill, int accounts, Duration lastRestart, Duration firstSend,
                           Duration lastSend, Duration lease) {
    }

    /**
     * @param startedInTime      every account's transport was running before T
     * @param complete           every delivery was settled (sent or UNCERTAIN) before the timeout
     * @param sent               distinct messages the transports sent
     * @param maxUncertainPerAccount the most UNCERTAIN deliveries one account was left with
     * @param addedDelay         per send, the time beyond the instant pacing allowed it
     * @param addedAfterFirst    the same without each account's first message (which waits for the fan-out)
     * @param early              sends before the instant pacing allowed (should be none)
     * @param slowestFirstMessage from T to the first message of the account that sent its first last
     * @param fanOut             from T until the last schedule had its deliveries written (its ScheduleFired event
     *                           reached a listener)
     * @param shortestGap        the shortest time between two consecutive sends of one account
     * @param bursts             consecutive sends of one account closer than the policy's gap
     * @param statements         statements all instances executed from their start to the end
     * @param takeover           W7 only, else null
     */
    public record Result(String contender, int messages, int accounts, int instances, boolean startedInTime,
                         boolean complete, int sent, long duplicates, long uncertain, long maxUncertainPerAccount,
                         LatencySummary addedDelay, LatencySummary addedAfterFirst, long early, Duration slowestFirstMessage, Duration fanOut, Duration shortestGap,
                         long bursts, long statements, Takeover takeover) implements ContenderResult {
        public double statementsPerMessage() {
            return (double) statements / messages;
        }
    }

    /** What the transports of every instance report, for one run. */
    private final class Recorder {
        final ExecutionLog log = new ExecutionLog();
        final Queue<Send> sends = new ConcurrentLinkedQueue<>();
        final Queue<Start> starts = new ConcurrentLinkedQueue<>();
        final Queue<Instant> fannedOut = new ConcurrentLinkedQueue<>();
        final PacingRepository pacingStore;
        final Instant fireAt;

        Recorder(PacingRepository pacingStore, Instant fireAt) {
            this.pacingStore = pacingStore;
            this.fireAt = fireAt;
        }

        NoOpTransport transport(String account, String instance, Freeze freeze) {
            return new NoOpTransport(account, new NoOpTransport.Sink() {
                private volatile Instant startedAt;

                @Override
                public void started(Instant at) {
                    freeze.pass();
                    startedAt = at;
                    starts.add(new Start(account, instance, at));
                }

                @Override
                public void sent(OutgoingMessage message, Instant at) {
                    freeze.pass();
                    // Written after the account's previous send and before this one was claimed: what the engine
                    // waited for. A read on another pool, so it is not counted as the engine's statement.
                    Instant paced = pacingStore.load(account).map(PacingState::nextAllowedAt).orElse(Instant.EPOCH);
                    // Each contact gets one message of the campaign: a second one is a duplicate, whatever its id.
                    log.record(account + " " + message.recipient().address(), at);
                    sends.add(new Send(account, instance, at, latest(latest(fireAt, paced), startedAt)));
                }
            });
        }
    }

    public Result run(boolean killOne) throws Exception {
        int n = settings.w6Instances();
        if (killOne && n <= KILLED) {
            throw new IllegalArgumentException("W7 kills instance " + KILLED + ": it needs at least 2 instances");
        }
        postgres.freshSchema(SCHEMA);
        Instant fireAt = setUpCampaign();
        int perAccount = settings.w6Messages() / accounts.size();
        Duration expected = pacing.minGap().plus(pacing.jitter().dividedBy(2)).multipliedBy(perAccount);
        Instant deadline = fireAt.plus(expected).plus(settings.timeout());
        List<PostgresServer.CountedPool> pools = new ArrayList<>();
        List<JdbcStore> stores = new ArrayList<>();
        List<Wasched> engines = new ArrayList<>();
        try (PostgresServer.CountedPool observerPool = postgres.pool(SCHEMA)) {
            JdbcStore observer = JdbcStore.create(observerPool.dataSource());
            Recorder rec = new Recorder(observer.pacing(), fireAt);
            for (int i = 0; i < n; i++) {
                PostgresServer.CountedPool pool = postgres.pool(SCHEMA);
                JdbcStore store = JdbcStore.create(pool.dataSource());
                pools.add(pool);
                stores.add(store);
                String id = instanceId(i);
                // Every instance can run every account, so survivors can take a dead instance's accounts over.
                WaschedBuilder b = Wasched.builder().store(store).instanceId(id).pacing(pacing)
                        .fallbackPoll(settings.pollInterval()).listener(e -> {
                            // The event's own instant is when the fan-out round began; it is published once the
                            // schedule's deliveries are written, so its arrival says when that was (a little late).
                            if (e instanceof WaschedEvent.ScheduleFired) {
                                rec.fannedOut.add(Instant.now());
                            }
                        });
                for (String account : accounts) {
                    b.transport(account, () -> rec.transport(account, id, pool.freeze()));
                }
                engines.add(b.build());
            }
            engines.forEach(Wasched::start);
            boolean inTime = awaitAll(() -> rec.starts.stream().map(Start::account).distinct().count()
                    == accounts.size(), fireAt) && Instant.now().isBefore(fireAt);
            Instant killedAt = null;
            int sentBeforeKill = 0;
            if (killOne && awaitAll(() -> rec.log.distinct() >= settings.w6Messages() / 2, deadline)) {
                sentBeforeKill = rec.log.distinct();
                killedAt = Instant.now();
                pools.get(KILLED).kill();
            }
            boolean complete = awaitAll(() -> settled(observer.deliveries().countByStatus(null)), deadline);
            // A moment more, so a duplicate sent just after the last delivery settled is still seen.
            Thread.sleep(1_000);
            long statements = pools.stream().mapToLong(PostgresServer.CountedPool::statements).sum();
            Map<String, Long> uncertain = new TreeMap<>();
            for (String account : accounts) {
                uncertain.put(account, observer.deliveries().countByStatus(account, EnumSet.of(DeliveryStatus.UNCERTAIN))
                        .getOrDefault(DeliveryStatus.UNCERTAIN, 0L));
            }
            observer.close();
            Takeover takeover = killedAt == null ? null
                    : takeover(rec, killedAt, sentBeforeKill, engines.get(0).config().leaseDuration());
            return result(rec, inTime, complete, statements, uncertain, takeover);
        } finally {
            for (int i = 0; i < engines.size(); i++) {
                if (!pools.get(i).killed()) {
                    closeInstance(engines.get(i), stores.get(i), pools.get(i));
                }
            }
        }
    }

    private static void closeInstance(Wasched engine, JdbcStore store, PostgresServer.CountedPool pool) {
        engine.close();
        store.close();
        pool.close();
    }

    /** Imports the contacts, creates one schedule per account firing at T, and places the accounts; returns T. */
    private Instant setUpCampaign() throws Exception {
        Path dir = Files.createTempDirectory("wasched-campaign-bench");
        try (PostgresServer.CountedPool pool = postgres.pool(SCHEMA)) {
            JdbcStore store = JdbcStore.builder(pool.dataSource()).autoMigrate(true).build();
            try (Wasched setup = Wasched.builder().store(store).instanceId("setup").defaultRegion("DE").build()) {
                for (String account : accounts) {
                    setup.accounts().add(dev.wasched.account.AccountSpec.builder(account)
                            .kind(dev.wasched.account.Account.DECLARED_IN_CODE).build());
                }
                Path csv = ContactCsv.write(dir.resolve("contacts.csv"), settings.w6Messages(),
                        i -> tag(accounts.get(i % accounts.size())));
                ImportReport report = setup.contacts().importer().from(csv).start().await(settings.timeout())
                        .orElseThrow(() -> new IllegalStateException("the contact import did not finish"));
                report.throwIfFailed();
                Instant fireAt = Instant.now().plus(settings.w6Lead()).truncatedTo(ChronoUnit.SECONDS);
                for (String account : accounts) {
                    setup.schedules().create(ScheduleSpec.builder().name("good morning " + account).account(account)
                            .to(Target.tag(tag(account))).text("Good morning!").trigger(Trigger.once(fireAt)).build());
                }
                placeAccounts(store, Duration.between(Instant.now(), fireAt).plusMinutes(1));
                return fireAt;
            } finally {
                store.close();
            }
        } finally {
            ContactCsv.deleteTree(dir);
        }
    }

    private static String tag(String account) {
        return "campaign-" + account;
    }

    /**
     * Spreads the accounts round-robin over the instances by taking each account's session lease (named
     * {@code session:<account>}, see {@code LeaseRepository}) for the instance that should run it. The engine does not
     * spread accounts itself (the first instance to start takes every account it has a transport for), and here
     * every instance has every account's transport, as a failover needs. An instance renews such a lease as its own
     * at its first heartbeat; until then nobody else may take it.
     */
    private void placeAccounts(WaschedStore store, Duration until) {
        for (int a = 0; a < accounts.size(); a++) {
            String owner = instanceId(a % settings.w6Instances());
            store.leases().acquire("session:" + accounts.get(a), owner, until)
                    .orElseThrow(() -> new IllegalStateException("could not place an account on " + owner));
        }
    }

    private boolean settled(Map<DeliveryStatus, Long> counts) {
        long all = counts.values().stream().mapToLong(Long::longValue).sum();
        return all == settings.w6Messages() && OPEN.stream().noneMatch(counts::containsKey);
    }

    private static boolean awaitAll(java.util.function.BooleanSupplier done, Instant deadline)
            throws InterruptedException {
        while (!done.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                return false;
            }
            Thread.sleep(250);
        }
        return true;
    }

    private Takeover takeover(Recorder rec, Instant killedAt, int sentBeforeKill, Duration lease) {
        String killed = instanceId(KILLED);
        List<String> lost = IntStream.range(0, accounts.size()).filter(a -> a % settings.w6Instances() == KILLED)
                .mapToObj(accounts::get).toList();
        Duration lastRestart = Duration.ZERO;
        Duration firstSend = null;
        Duration lastSend = Duration.ZERO;
        for (String account : lost) {
            Duration restart = rec.starts.stream().filter(s -> s.account().equals(account)
                            && !s.instance().equals(killed) && s.at().isAfter(killedAt))
                    .map(s -> Duration.between(killedAt, s.at())).min(Comparator.naturalOrder()).orElse(null);
            Duration send = rec.sends.stream().filter(s -> s.account().equals(account)
                            && !s.instance().equals(killed) && s.at().isAfter(killedAt))
                    .map(s -> Duration.between(killedAt, s.at())).min(Comparator.naturalOrder()).orElse(null);
            lastRestart = restart == null || lastRestart == null ? null : max(lastRestart, restart);
            lastSend = send == null || lastSend == null ? null : max(lastSend, send);
            if (send != null && (firstSend == null || send.compareTo(firstSend) < 0)) {
                firstSend = send;
            }
        }
        return new Takeover(killed, sentBeforeKill, lost.size(), lastRestart, firstSend, lastSend, lease);
    }

    private Result result(Recorder rec, boolean inTime, boolean complete, long statements, Map<String, Long> uncertain,
                          Takeover takeover) {
        Map<String, List<Send>> byAccount = rec.sends.stream().sorted(Comparator.comparing(Send::at))
                .collect(Collectors.groupingBy(Send::account, TreeMap::new, Collectors.toList()));
        List<Duration> added = rec.sends.stream().map(Send::added).toList();
        List<Duration> addedAfterFirst = byAccount.values().stream()
                .flatMap(s -> s.subList(1, s.size()).stream()).map(Send::added).toList();
        long early = added.stream().filter(d -> d.compareTo(STORED_PRECISION.negated()) < 0).count();
        Duration slowestFirst = byAccount.size() < accounts.size() ? null : byAccount.values().stream()
                .map(s -> Duration.between(rec.fireAt, s.get(0).at())).max(Comparator.naturalOrder()).orElse(null);
        Duration fanOut = rec.fannedOut.size() < accounts.size() ? null
                : Duration.between(rec.fireAt, rec.fannedOut.stream().max(Comparator.naturalOrder()).orElseThrow());
        Duration shortestGap = null;
        long bursts = 0;
        for (List<Send> s : byAccount.values()) {
            for (int i = 1; i < s.size(); i++) {
                Duration gap = Duration.between(s.get(i - 1).at(), s.get(i).at());
                shortestGap = shortestGap == null ? gap : min(shortestGap, gap);
                if (gap.compareTo(pacing.minGap()) < 0) {
                    bursts++;
                }
            }
        }
        return new Result("wasched", settings.w6Messages(), accounts.size(), settings.w6Instances(), inTime, complete,
                rec.log.distinct(), rec.log.duplicates(), uncertain.values().stream().mapToLong(Long::longValue).sum(),
                uncertain.values().stream().mapToLong(Long::longValue).max().orElse(0), LatencySummary.of(added),
                LatencySummary.of(addedAfterFirst), early, slowestFirst, fanOut, shortestGap, bursts, statements, takeover);
    }

    private static Instant latest(Instant a, Instant b) {
        return b != null && b.isAfter(a) ? b : a;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
