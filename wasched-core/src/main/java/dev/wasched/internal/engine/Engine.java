package dev.wasched.internal.engine;

import dev.wasched.spi.store.StoreChange;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the engine: the fan-out loop, the coordinator that wakes each local account's sender when it has work, one
 * sender per local account, and the maintenance tick (heartbeat, session leases, lease takeover, retention). Loops
 * sleep until the next due time or a local change, with a fallback poll for other instances' writes; store errors
 * back off exponentially instead of spinning.
 */
public final class Engine implements Wakeups, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Engine.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    private static final Duration PURGE_EVERY = Duration.ofHours(1);
    private static final int PURGE_BATCH = 1000;
    /**
     * Batches of {@link #PURGE_BATCH} one maintenance tick deletes at most; while more are left, the next tick goes on
     * (every heartbeat rather than every hour), so retention keeps up with any sending rate without one long tick.
     */
    static final int PURGE_BATCHES_PER_TICK = 10;
    private static final Duration AFTER_TRANSPORT_CLOSE = Duration.ofSeconds(5);
    /** How long a sender waits when nothing is known to be due; the coordinator wakes it sooner when work comes. */
    private static final Duration IDLE_WAIT = Duration.ofHours(1);

    private final EngineContext ctx;
    private final FanOut fanOut;
    /** The accounts this instance may run now, by name: those declared in code and registered ones it can start. */
    private final Map<String, LocalAccount> accounts = new java.util.concurrent.ConcurrentSkipListMap<>();
    /** Transports given to the builder for their account. */
    private final Map<String, java.util.function.Supplier<dev.wasched.spi.transport.MessageTransport>> declared;
    /** Transport factories by kind, for registered accounts. */
    private final Map<String, dev.wasched.spi.transport.TransportFactory> factories;
    /** The registry as last read (every heartbeat, and after a change made here), by name. */
    private volatile Map<String, dev.wasched.account.Account> registry = Map.of();
    private volatile boolean registryRead;
    /** The accounts whose sender thread was started (each once). */
    private final java.util.Set<LocalAccount> withSender = ConcurrentHashMap.newKeySet();
    /** Whether the other instances were told, by the instance marker, that this one is live. */
    private volatile boolean announced;
    /** Guards reading the registry and wiring accounts in and out (not the engine's monitor: runDue holds that). */
    private final Object registryLock = new Object();
    /** Each local account's sender thread, so an account handed over can wait for it to end. */
    private final Map<String, Thread> senders = new java.util.concurrent.ConcurrentHashMap<>();
    private final ExecutorService transportEvents;
    /** Sends that run at once on transports that take several; idle threads end after a minute. */
    private final ExecutorService sends = Executors.newCachedThreadPool(Threads.named("wasched-send"));
    private final WakeSignal schedulerWake = new WakeSignal();
    /** When the scheduler looks again by itself; a poll that finds a schedule due sooner wakes it. */
    private volatile Instant schedulerWaitsUntil = Instant.EPOCH;
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final List<Thread> threads = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Heartbeat heartbeat;
    private final Coordinator coordinator;
    /** Shared by the dispatchers of this instance's accounts. */
    private final DispatchCombiner combiner;
    private ScheduledExecutorService maintenance;
    private AutoCloseable changeSubscription;
    private volatile boolean running;
    private Instant lastPurge = Instant.EPOCH;
    /** The last purge stopped at its bound with finished deliveries left: the next tick purges again. */
    private boolean purgeBehind;
    private volatile boolean sendingPaused;
    private final List<Runnable> closeHooks = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final RecentProblems problems = new RecentProblems();
    /** A lease nobody renews, held by "operator" while all sending is paused: visible to every instance. */
    static final String PAUSE_LEASE = "control:sending-paused";
    /**
     * A lease nobody renews whose epoch is moved by every change of the account registry ({@link #registryChanged}):
     * instances read it with their heartbeat and read the registry itself only when it moved (or every few beats).
     */
    static final String REGISTRY_LEASE = "control:accounts";
    /** Like {@link #REGISTRY_LEASE}, moved by every change of the webhook endpoints. */
    static final String WEBHOOKS_LEASE = "control:webhooks";
    /** Like {@link #REGISTRY_LEASE}, moved by every instance that starts: the others then read the live instances. */
    static final String INSTANCES_LEASE = "control:instances";
    private static final Duration PAUSE_FOR = Duration.ofDays(365L * 100);

    private final ReplyActions replyActions = new ReplyActions();

    /** What reply keywords do to contacts; the builder hands the contact service's actions over. */
    public ReplyActions replyActions() {
        return replyActions;
    }

    /**
     * @param declared  transports given to the builder, by account
     * @param factories transport factories by kind, for accounts registered at run time
     * @param weight    this instance's share of the accounts relative to other instances'
     */
    public Engine(EngineContext ctx, FanOut fanOut,
                  Map<String, java.util.function.Supplier<dev.wasched.spi.transport.MessageTransport>> declared,
                  Map<String, dev.wasched.spi.transport.TransportFactory> factories, int weight) {
        this.ctx = ctx;
        this.fanOut = fanOut;
        this.transportEvents = Executors.newSingleThreadExecutor(Threads.named("wasched-transport-events"));
        this.combiner = new DispatchCombiner(ctx.store());
        this.declared = Map.copyOf(declared);
        this.factories = Map.copyOf(factories);
        declared.forEach((account, factory) -> accounts.put(account, wire(account, factory)));
        this.coordinator = new Coordinator(ctx, accounts, this::schedulesDueAt);
        fanOut.accountStatusFrom(account -> {
            dev.wasched.account.Account a = registry.get(account);
            dev.wasched.account.Account.Status st = a == null ? null : a.status();
            // Restricted (seen here) counts as paused for a campaign's choice of account.
            return restrictedHere(account) && st != dev.wasched.account.Account.Status.REMOVED
                    ? dev.wasched.account.Account.Status.PAUSED : st;
        });
        this.heartbeat = new Heartbeat(ctx, () -> sessions().values(), this::registeredAccounts, () -> registryRead,
                this::handOver,
                PAUSE_LEASE, ctx.now(), weight);
        ctx.events().add(problems);
    }

    private LocalAccount wire(String account,
                              java.util.function.Supplier<dev.wasched.spi.transport.MessageTransport> transports) {
        return LocalAccount.wire(account, ctx, combiner, transports, transportEvents, sends,
                () -> sendingPaused || !ctx.config().sendingEnabled() || accountPaused(account), replyActions,
                () -> pacingOf(account));
    }

    // ---- the account registry -----------------------------------------------------------------------------

    private volatile java.util.function.Consumer<String> shareMover = account -> { };

    /**
     * Told, at each heartbeat, of every account this instance runs that cannot send (paused, or shown restricted by
     * WhatsApp): campaigns over several accounts move its pending share to the others, including what its sender
     * claimed ahead and gave back after the pause.
     */
    public void onCannotSend(java.util.function.Consumer<String> moveShare) {
        this.shareMover = moveShare;
    }

    private volatile java.util.function.Consumer<String> removedStopped = account -> { };

    /**
     * Told when an account removed from the registry has stopped here: what its sender had claimed went back to
     * PENDING as it stopped, after the removal cancelled the pending ones, so it is settled again.
     */
    public void onRemovedStopped(java.util.function.Consumer<String> settle) {
        this.removedStopped = settle;
    }

    /** Whether this instance runs {@code account} and WhatsApp shows it restricted. */
    public boolean restrictedHere(String account) {
        LocalAccount l = accounts.get(account);
        return l != null && l.session().owned()
                && l.session().status().state() == dev.wasched.session.AccountState.RESTRICTED;
    }

    /** Tells every instance, through the registry marker they read with their heartbeat, to read the registry. */
    public void registryChanged() {
        moveMarker(REGISTRY_LEASE);
    }

    /** Tells every instance, through a marker read with its heartbeat, to read the webhook endpoints again. */
    public void webhooksChanged() {
        moveMarker(WEBHOOKS_LEASE);
    }

    /** The webhook endpoints' marker epoch as this instance's last heartbeat read it (-1 before its first). */
    public long webhooksEpoch() {
        return heartbeat.webhooksEpoch();
    }

    /** A new epoch for a marker lease (released, then taken again: taking anew gives a new epoch). */
    private void moveMarker(String marker) {
        ctx.store().leases().release(marker, "marker");
        ctx.store().leases().acquire(marker, "marker", PAUSE_FOR);
    }

    /** Whether the registry holds {@code account} paused. */
    public boolean accountPaused(String account) {
        dev.wasched.account.Account a = registry.get(account);
        return a != null && a.status() == dev.wasched.account.Account.Status.PAUSED;
    }

    /** The account's own pacing from the registry, else the configured one. */
    private dev.wasched.policy.PacingPolicy pacingOf(String account) {
        dev.wasched.account.Account a = registry.get(account);
        return a != null && a.pacing() != null ? a.pacing() : ctx.config().pacingFor(account);
    }

    /** Whether this instance has a transport for {@code account} (declared in code, or a factory for its kind). */
    public boolean canRun(dev.wasched.account.Account account) {
        return declared.containsKey(account.name()) || factories.containsKey(account.kind());
    }

    /**
     * Whether schedules may name {@code account}: registered and not removed (read from the store now), or declared
     * in code here and not yet written to the registry.
     */
    public boolean accountRegistered(String account) {
        return ctx.store().accounts().find(account).map(dev.wasched.account.Account::live)
                .orElse(declared.containsKey(account));
    }

    /** The accounts declared in code on this instance. */
    public java.util.Set<String> declaredAccounts() {
        return declared.keySet();
    }

    /** Accounts registered and not removed (declared ones not yet written count too), whoever can run them. */
    private Collection<String> registeredAccounts() {
        java.util.Set<String> out = new java.util.TreeSet<>();
        registry.values().stream().filter(dev.wasched.account.Account::live).forEach(a -> out.add(a.name()));
        declared.keySet().stream().filter(a -> !registry.containsKey(a)).forEach(out::add);
        return out;
    }

    /**
     * Reads the registry and brings this instance's accounts in line: declared accounts registered (kind
     * {@code code}) when missing, registered ones it can run wired (started once their lease is taken), removed ones
     * stopped. Called every heartbeat, and by the account service after a change made here.
     */
    public void syncAccounts() {
        synchronized (registryLock) {
            syncAccountsLocked();
        }
    }

    private void syncAccountsLocked() {
        Instant now = ctx.now();
        Map<String, dev.wasched.account.Account> read = new LinkedHashMap<>();
        for (dev.wasched.account.Account a : ctx.store().accounts().list()) {
            read.put(a.name(), a);
        }
        for (String name : declared.keySet()) {
            if (!read.containsKey(name)) {
                dev.wasched.account.Account a = new dev.wasched.account.Account(name,
                        dev.wasched.account.Account.DECLARED_IN_CODE, Map.of(), null,
                        dev.wasched.account.Account.Status.ACTIVE, now, now, 1);
                try {
                    ctx.store().accounts().insert(a);
                    read.put(name, a);
                    registryChanged();
                } catch (dev.wasched.spi.store.DuplicateKeyException e) {
                    ctx.store().accounts().find(name).ifPresent(found -> read.put(name, found));
                }
            }
        }
        registry = java.util.Collections.unmodifiableMap(read);
        registryRead = true;
        for (dev.wasched.account.Account a : read.values()) {
            if (a.live() && !accounts.containsKey(a.name()) && canRun(a) && !closed.get()) {
                addAccount(a.name());
            }
        }
        for (LocalAccount l : accounts.values()) {
            dev.wasched.account.Account a = read.get(l.account());
            if (a != null && !a.live() && !l.session().stopping()) {
                log.info("account {} was removed from the registry: stopping it here", l.account());
                retireLater(l, false);
            }
        }
    }

    private void addAccount(String name) {
        java.util.function.Supplier<dev.wasched.spi.transport.MessageTransport> transports = declared.get(name);
        if (transports == null) {
            transports = () -> {
                dev.wasched.account.Account now = ctx.store().accounts().find(name)
                        .orElseThrow(() -> new dev.wasched.account.UnknownAccountException(name));
                dev.wasched.spi.transport.TransportFactory f = factories.get(now.kind());
                if (f == null) {
                    throw new IllegalStateException("no transport factory for kind '" + now.kind() + "' here");
                }
                return f.create(now);
            };
        }
        LocalAccount l = wire(name, transports);
        if (accounts.putIfAbsent(name, l) == null) {
            log.info("account {} added on instance {}", name, ctx.instanceId());
            ctx.metrics().accountWired(name);
            if (running) {
                startSender(l);
            }
        }
    }

    /** The heartbeat chose {@code s} to hand over to another instance: stop it here cleanly, then offer it again. */
    private void handOver(AccountSession s) {
        LocalAccount l = accounts.get(s.account());
        if (l != null && l.session() == s) {
            retireLater(l, true);
        }
    }

    /**
     * Stops a local account (its sender ends and records what it sent, claims go back, the transport saves its
     * session and closes, the lease is released), on its own thread while the engine runs (a browser may take seconds
     * to close), inline in step mode. With {@code again}, a fresh one is wired in its place, to be taken when the
     * spread of accounts says so.
     */
    private void retireLater(LocalAccount l, boolean again) {
        l.session().stopClaiming();
        Runnable retire = () -> {
            Thread sender = senders.get(l.account());
            if (sender != null && sender != Thread.currentThread()) {
                try {
                    sender.join(ctx.config().shutdownTimeout().toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            boolean ran = l.session().owned();
            try {
                l.session().shutdown();
            } catch (RuntimeException e) {
                log.warn("account {} did not stop cleanly: {}", l.account(), e.toString());
            }
            boolean wanted;
            synchronized (registryLock) {
                dev.wasched.account.Account a = registry.get(l.account());
                wanted = declared.containsKey(l.account()) ? a == null || a.live() : a != null && a.live();
                if (accounts.remove(l.account(), l)) {
                    senders.remove(l.account(), sender);
                    withSender.remove(l);
                    if (again && wanted && !closed.get()) {
                        addAccount(l.account());
                    }
                }
            }
            if (ran && !wanted) {
                try {
                    removedStopped.accept(l.account());
                } catch (RuntimeException e) {
                    log.warn("account {}: deliveries it gave back as it stopped not settled: {}", l.account(),
                            e.toString());
                }
            }
        };
        if (running) {
            Threads.named("wasched-handover-" + l.account()).newThread(retire).start();
        } else {
            retire.run();
        }
    }

    public RecentProblems problems() {
        return problems;
    }

    public dev.wasched.health.Health health() {
        return new HealthProbe(this).take();
    }

    public boolean sendingPaused() {
        return sendingPaused;
    }

    /** Pauses all sending on every instance sharing the store, until {@link #resumeSending()}. */
    public void pauseSending() {
        ctx.store().leases().acquire(PAUSE_LEASE, "operator", PAUSE_FOR);
        sendingPaused = true;
        log.info("all sending paused by an operator");
    }

    public void resumeSending() {
        ctx.store().leases().release(PAUSE_LEASE, "operator");
        sendingPaused = false;
        log.info("sending resumed by an operator");
        wakeAll();
    }

    /** The sessions of the accounts this instance may run now, by account name. */
    public Map<String, AccountSession> sessions() {
        Map<String, AccountSession> out = new LinkedHashMap<>();
        accounts.forEach((name, l) -> out.put(name, l.session()));
        return out;
    }

    Map<String, LocalAccount> accounts() {
        return accounts;
    }

    public EngineContext context() {
        return ctx;
    }

    public boolean isRunning() {
        return running;
    }

    /**
     * Runs {@code hook} at the start of {@link #close()}, while transports still run: services end their background
     * jobs there (a registration check needs its transport until it stops).
     */
    public void onClose(Runnable hook) {
        closeHooks.add(hook);
    }

    // ---- wake-ups from services ---------------------------------------------------------------------------

    @Override
    public void schedulesChanged() {
        schedulerWake.signal();
    }

    @Override
    public void deliveriesDue(String account, Instant at) {
        // A time ahead only sets when to look: a cycle now would find nothing due.
        coordinator.dueAt(account, at == null ? ctx.now() : at);
    }

    /** Another instance wrote something: the part it concerns looks now instead of at the next fallback poll. */
    private void changed(StoreChange change) {
        switch (change.kind()) {
            case SCHEDULES -> schedulerWake.signal();
            case DELIVERIES -> deliveriesDue(change.account(), change.dueAt());
            case ANYTHING -> wakeAll();
        }
    }

    /** Something may have changed anywhere: every part looks now. */
    private void wakeAll() {
        schedulerWake.signal();
        coordinator.allDue();
    }

    // ---- background mode ----------------------------------------------------------------------------------

    public void start() {
        if (closed.get()) {
            throw new IllegalStateException("this wasched instance is closed; build a new one");
        }
        if (!started.compareAndSet(false, true)) {
            return;
        }
        running = true;
        log.info("instance {} starting with accounts {}", ctx.instanceId(), accounts.keySet());
        if (ctx.config().sessionKey() == null && !accounts.isEmpty()) {
            log.warn("no session key is configured: WhatsApp logins are stored unencrypted, and anyone who can read the"
                    + " store can take over these accounts");
        }
        maintenance = Executors.newSingleThreadScheduledExecutor(Threads.named("wasched-maintenance"));
        maintenance.scheduleWithFixedDelay(this::maintenanceTickSafely, 0,
                ctx.config().heartbeatInterval().toMillis(), TimeUnit.MILLISECONDS);
        changeSubscription = ctx.store().subscribeToStoreChanges(this::changed);
        startThread("wasched-scheduler", this::schedulerLoop);
        startThread("wasched-coordinator", this::coordinatorLoop);
        for (LocalAccount a : accounts.values()) {
            startSender(a);
        }
    }

    private void startSender(LocalAccount a) {
        // start() and the first heartbeat (which may wire the account) both start senders: one per account.
        if (!withSender.add(a)) {
            return;
        }
        Thread t = Threads.named("wasched-dispatch-" + a.account()).newThread(() -> dispatchLoop(a));
        senders.put(a.account(), t);
        threads.add(t);
        t.start();
    }

    private void startThread(String name, Runnable body) {
        Thread t = Threads.named(name).newThread(body);
        threads.add(t);
        t.start();
    }

    private void schedulerLoop() {
        Backoff backoff = new Backoff();
        while (running) {
            try {
                Instant now = ctx.now();
                Instant next = nextFanOut();
                if (next != null && !next.isAfter(now)) {
                    // Only then claim: a look that finds nothing due is one cheap statement, not a claim as well.
                    fanOut.runDue(now).forEach(this::deliveriesDue);
                    next = nextFanOut();
                }
                // No poll of its own: the coordinator's fallback poll reads the next fire time with the accounts' due
                // times and wakes this thread when it is sooner (schedulesDueAt), as local writes and notifications do.
                Instant deadline = next != null ? next : ctx.now().plus(IDLE_WAIT);
                if (!deadline.isAfter(ctx.now())) {
                    // Due but not claimable here (another instance holds its lease): look again soon, not in a spin.
                    deadline = ctx.now().plusSeconds(1);
                }
                schedulerWaitsUntil = deadline;
                backoff.reset();
                schedulerWake.awaitUntil(ctx.clock(), deadline);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (!backoff.pause("fan-out", e, schedulerWake)) {
                    return;
                }
            }
        }
    }

    /** The fallback poll read the earliest schedule fire time: wake the scheduler if it waits longer than that. */
    private void schedulesDueAt(Instant nextFireAt) {
        if (nextFireAt != null && nextFireAt.minus(ctx.config().fanOutLookAhead()).isBefore(schedulerWaitsUntil)) {
            schedulerWake.signal();
        }
    }

    /** When the next schedule is to be fanned out: with a look-ahead, that long before its occurrence is due. */
    private Instant nextFanOut() {
        return ctx.store().schedules().earliestDue().map(at -> at.minus(ctx.config().fanOutLookAhead())).orElse(null);
    }

    private void coordinatorLoop() {
        Backoff backoff = new Backoff();
        while (running) {
            try {
                Instant next = coordinator.tick();
                backoff.reset();
                coordinator.wake().awaitUntil(ctx.clock(), next);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (!backoff.pause("the fallback poll for due deliveries", e, coordinator.wake())) {
                    return;
                }
            }
        }
    }

    /**
     * One account's sender: sends while there is work, then tells the coordinator when to look again and waits for
     * it (or for a local write or notification) to wake it.
     */
    private void dispatchLoop(LocalAccount a) {
        try {
            Backoff backoff = new Backoff();
            while (running && !a.session().stopping()) {
                try {
                    a.settler().settleIfDue();
                    Instant next = a.dispatcher().dispatchOnce(true);
                    Instant now = ctx.now();
                    if (next != null && !next.isAfter(now)) {
                        backoff.reset();
                        continue;
                    }
                    coordinator.lookAgainAt(a.account(), sooner(next, settlingWanted(a, now)));
                    backoff.reset();
                    a.wake().awaitUntil(ctx.clock(), now.plus(IDLE_WAIT));
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    if (!backoff.pause("dispatch for account " + a.account(), e, a.wake())) {
                        return;
                    }
                }
            }
        } finally {
            a.dispatcher().flushQuietly(); // what the last sends became, before the session hands its work back
        }
    }

    /** When the account's settler wants its next pass, while the account can make one. */
    private Instant settlingWanted(LocalAccount a, Instant now) {
        Instant at = a.session().ready() ? a.settler().nextPassWanted() : null;
        return at != null && at.isAfter(now) ? at : null;
    }

    private static Instant sooner(Instant a, Instant b) {
        return a == null ? b : b == null || a.isBefore(b) ? a : b;
    }

    /** Exponential pause after a failure (store down), logged once per streak, cut short by close(). */
    private final class Backoff {
        private Duration delay = Duration.ZERO;

        void reset() {
            if (delay.compareTo(Duration.ZERO) > 0) {
                log.info("recovered after store errors");
            }
            delay = Duration.ZERO;
        }

        boolean pause(String what, RuntimeException e, WakeSignal wake) {
            delay = delay.isZero() ? Duration.ofSeconds(1) : min(delay.multipliedBy(2), MAX_BACKOFF);
            if (delay.equals(Duration.ofSeconds(1))) {
                problems.add(ctx.now(), what + " failed: " + e);
                log.warn("{} failed, backing off: {}", what, e.toString(), e);
            } else {
                log.warn("{} still failing, next try in {}: {}", what, delay, e.toString());
            }
            long until = System.nanoTime() + delay.toNanos();
            try {
                while (running && System.nanoTime() < until) {
                    synchronized (wake) {
                        wake.wait(Math.max(1, (until - System.nanoTime()) / 1_000_000));
                    }
                }
            } catch (InterruptedException ie) {
                return false;
            }
            return running;
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) < 0 ? a : b;
    }

    private void maintenanceTickSafely() {
        try {
            maintenanceTick(ctx.now());
        } catch (RuntimeException e) {
            log.warn("maintenance failed (will retry in {}): {}", ctx.config().heartbeatInterval(), e.toString());
        }
    }

    /**
     * Heartbeat, session leases (renewed, or taken with what earlier owners left in flight), retention. Runs until
     * the last transport has closed, so sessions are saved under a live lease.
     */
    public void maintenanceTick(Instant now) {
        if (!registryRead && !closed.get()) {
            try {
                syncAccounts(); // the first beat knows every account, not just those declared here
            } catch (RuntimeException e) {
                log.warn("the account registry could not be read: {}", e.toString());
            }
        }
        boolean paused = heartbeat.beat(now);
        if (!announced && !closed.get()) {
            // Only now that this instance's row is written: an instance that read the live ones before would
            // otherwise never count this one in.
            moveMarker(INSTANCES_LEASE);
            announced = true;
        }
        if (!closed.get() && heartbeat.takeRegistryChanged()) {
            try {
                syncAccounts();
            } catch (RuntimeException e) {
                heartbeat.registryStillChanged();
                log.warn("the account registry could not be read: {}", e.toString());
            }
            if (!heartbeat.registryStale()) {
                // The beat took nothing while the registry it knew was stale; accounts new here start now too.
                paused = heartbeat.beat(now);
            }
        }
        for (LocalAccount l : accounts.values()) {
            String account = l.account();
            if (l.session().owned() && (accountPaused(account) || restrictedHere(account))) {
                try {
                    shareMover.accept(account);
                } catch (RuntimeException e) {
                    log.warn("account {}: its campaigns' share not moved this time: {}", account, e.toString());
                }
            }
        }
        if (paused != sendingPaused) {
            sendingPaused = paused;
            if (!paused) {
                wakeAll();
            }
        }
        if (closed.get()) {
            return;
        }
        boolean hourly = Duration.between(lastPurge, now).compareTo(PURGE_EVERY) >= 0;
        if (hourly || purgeBehind) {
            purgeDeliveries(now);
        }
        if (hourly) {
            lastPurge = now;
            int sessions = ctx.store().sessions().purgeQuarantined(now.minus(ctx.config().quarantineRetention()));
            if (sessions > 0) {
                log.info("deleted {} quarantined session snapshot(s) older than {}", sessions,
                        ctx.config().quarantineRetention());
            }
        }
    }

    /** Finished deliveries older than the retention, in batches, up to {@link #PURGE_BATCHES_PER_TICK} of them. */
    private void purgeDeliveries(Instant now) {
        int purged = 0;
        boolean full = false;
        for (int batch = 0; batch < PURGE_BATCHES_PER_TICK; batch++) {
            int n = ctx.store().deliveries().purge(now.minus(ctx.config().retention()), PURGE_BATCH);
            purged += n;
            full = n >= PURGE_BATCH;
            if (!full) {
                break;
            }
        }
        purgeBehind = full;
        if (purged > 0) {
            log.info("purged {} finished deliveries older than {}{}", purged, ctx.config().retention(),
                    full ? "; more are left, the next heartbeat goes on" : "");
        }
    }

    // ---- step mode ----------------------------------------------------------------------------------------

    /**
     * Does, on the calling thread, everything due at the clock's current instant: maintenance, fan-out and
     * dispatch of every account as far as pacing allows now. For tests with a settable clock and for tools.
     *
     * @return how many deliveries were sent
     */
    public synchronized int runDue() {
        if (running) {
            throw new IllegalStateException("runDue() is for an engine that was not start()ed");
        }
        if (closed.get()) {
            throw new IllegalStateException("this wasched instance is closed");
        }
        Instant now = ctx.now();
        maintenanceTick(now);
        flushTransportEvents();
        fanOut.runDue(now);
        int sent = 0;
        for (LocalAccount a : List.copyOf(accounts.values())) {
            if (a.session().stopping()) {
                continue;
            }
            a.settler().settleIfDue();
            while (true) {
                long before = a.dispatcher().sentTotal();
                Instant next = a.dispatcher().dispatchOnce(false);
                sent += (int) (a.dispatcher().sentTotal() - before);
                if (next == null || next.isAfter(ctx.now())) {
                    break;
                }
            }
        }
        flushTransportEvents();
        ctx.events().flush();
        return sent;
    }

    /** Waits until transport events reported so far are applied. */
    public void flushTransportEvents() {
        try {
            transportEvents.submit(() -> { }).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.debug("transport event flush: {}", e.toString());
        }
    }

    // ---- shutdown -----------------------------------------------------------------------------------------

    /** Waits for the engine's threads until {@code deadline} ({@link System#nanoTime()}); logs those still busy. */
    private void joinThreads(long deadline, String when) {
        for (Thread t : threads) {
            try {
                t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (t.isAlive()) {
                log.warn("thread {} still busy {}", t.getName(), when);
            }
        }
    }

    /**
     * Stops claiming, lets sends in flight finish (up to the shutdown timeout), hands unsent claims back, marks sends
     * still running UNCERTAIN, closes transports (they save their sessions while the heartbeat still renews their
     * leases), releases session leases, stops the heartbeat and removes this instance's row. A second call does
     * nothing.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        log.info("instance {} shutting down", ctx.instanceId());
        for (Runnable hook : closeHooks) {
            try {
                hook.run();
            } catch (RuntimeException e) {
                log.warn("a close hook failed: {}", e.toString(), e);
            }
        }
        running = false;
        if (changeSubscription != null) {
            try {
                changeSubscription.close();
            } catch (Exception e) {
                log.warn("could not end the store change subscription: {}", e.toString());
            }
        }
        schedulerWake.signal();
        coordinator.wake().signal();
        Collection<AccountSession> sessions = sessions().values();
        sessions.forEach(AccountSession::stopClaiming);
        joinThreads(System.nanoTime() + ctx.config().shutdownTimeout().toNanos(), "after the shutdown timeout");
        for (AccountSession s : sessions) {
            try {
                s.shutdown();
            } catch (RuntimeException e) {
                log.warn("account {} did not shut down cleanly: {}", s.account(), e.toString());
            }
        }
        // A closed transport ends the sends it cut off: let their threads record that before close returns.
        joinThreads(System.nanoTime() + AFTER_TRANSPORT_CLOSE.toNanos(), "after its transport closed");
        sends.shutdown();
        // Only now: leases were renewed while transports closed and saved their sessions.
        if (maintenance != null) {
            maintenance.shutdownNow();
            try {
                maintenance.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            ctx.store().instances().remove(ctx.instanceId());
        } catch (RuntimeException e) {
            log.warn("could not remove instance heartbeat: {}", e.toString());
        }
        transportEvents.shutdown();
        try {
            transportEvents.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ctx.events().close();
        log.info("instance {} stopped", ctx.instanceId());
    }
}
