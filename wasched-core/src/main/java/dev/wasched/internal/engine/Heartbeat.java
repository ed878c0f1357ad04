package dev.wasched.internal.engine;

import dev.wasched.spi.store.InstanceInfo;
import dev.wasched.spi.store.Lease;
import dev.wasched.spi.store.LeaseRenewal;
import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This instance's heartbeat, one store call ({@code WaschedStore.heartbeat}): its row in the instance table, and one
 * renewal for all its session leases that also reads the pause flag and who holds every other registered account.
 * From that (and the live instances, read when one started or an account is free) it keeps the spread of
 * accounts even ({@link LeaseBalance}): it takes free accounts up to its share and hands one over when another
 * instance has room. Only an account whose lease was not renewed, or is free to take, costs more than that.
 */
final class Heartbeat {
    private static final Logger log = LoggerFactory.getLogger(Heartbeat.class);
    /** An account free this many beats in a row is taken whatever the shares say: nobody else can run it. */
    static final int ORPHAN_BEATS = 3;
    /** An account handed over is not taken back by this instance for this many beats, unless it is left free. */
    private static final int COOLDOWN_BEATS = 3;

    private final EngineContext ctx;
    private final Supplier<Collection<AccountSession>> sessions;
    private final Supplier<Collection<String>> registered;
    private final java.util.function.BooleanSupplier registryRead;
    private final Consumer<AccountSession> handOver;
    private final String pauseLease;
    private final Instant startedAt;
    private final int weight;
    private final String host = host();
    private long beats;
    /** The webhook endpoints' marker epoch as last read (-1 before the first beat). */
    private volatile long webhooksEpoch = -1;
    /** The instance marker's epoch last read; every instance that starts moves it. */
    private long instancesEpoch = -1;
    private Map<String, Integer> liveWeights = Map.of();
    private final Map<String, Integer> freeFor = new HashMap<>();
    private final Map<String, Long> handedOverAt = new HashMap<>();
    /** The registry marker's epoch last read; it grows with every change of the registry. */
    private long registryEpoch = -1;
    private boolean registryChanged = true;
    /** Accounts handed over that nobody else took (no other instance can run them): never handed over again. */
    private final java.util.Set<String> onlyHere = new java.util.HashSet<>();

    /**
     * @param registered the accounts registered and not removed (whether this instance can run them or not)
     * @param registryRead whether the registry was read at least once (no account is handed over before)
     * @param handOver   gives an account's lease up cleanly (claims back, session saved and closed, lease released),
     *                   off this thread
     */
    Heartbeat(EngineContext ctx, Supplier<Collection<AccountSession>> sessions, Supplier<Collection<String>> registered,
              java.util.function.BooleanSupplier registryRead, Consumer<AccountSession> handOver, String pauseLease,
              Instant startedAt, int weight) {
        this.ctx = ctx;
        this.registryRead = registryRead;
        this.sessions = sessions;
        this.registered = registered;
        this.handOver = handOver;
        this.pauseLease = pauseLease;
        this.startedAt = startedAt;
        this.weight = weight;
    }

    /** Beats once; returns whether sending is paused. */
    synchronized boolean beat(Instant now) {
        beats++;
        Collection<AccountSession> local = sessions.get();
        Collection<String> accounts = registered.get(); // once a beat: it is a copy of the registry
        Map<AccountSession, Lease> held = new LinkedHashMap<>();
        List<String> read = new ArrayList<>(List.of(pauseLease, Engine.REGISTRY_LEASE, Engine.INSTANCES_LEASE,
                Engine.WEBHOOKS_LEASE));
        Map<String, AccountSession> byLease = new HashMap<>();
        for (AccountSession s : local) {
            byLease.put(AccountSession.leaseName(s.account()), s);
            Lease l = s.lease();
            if (l != null) {
                held.put(s, l);
            } else {
                read.add(AccountSession.leaseName(s.account()));
            }
        }
        for (String account : accounts) {
            if (!byLease.containsKey(AccountSession.leaseName(account))) {
                read.add(AccountSession.leaseName(account));
            }
        }
        long started = System.nanoTime();
        InstanceInfo me = new InstanceInfo(ctx.instanceId(), host, startedAt, now, ctx.leaseUntil(now), weight);
        LeaseRenewal renewal = ctx.store().heartbeat(me, held.values(), ctx.leaseTtl(), read);
        int mine = 0;
        List<AccountSession> free = new ArrayList<>();
        for (AccountSession s : local) {
            Lease l = held.get(s);
            try {
                if (l != null && renewal.renewed().contains(l)) {
                    s.renewed(l, started);
                    if (!s.stopping()) {
                        mine++;
                    }
                } else if (l != null) {
                    s.notRenewed(); // lost or lapsed: taken again if nobody else has it
                    mine += s.owned() ? 1 : 0;
                } else if (takeable(renewal.current().get(AccountSession.leaseName(s.account())))) {
                    free.add(s);
                } else {
                    freeFor.remove(s.account());
                }
            } catch (RuntimeException e) {
                // One account's trouble must not leave the others unrenewed this beat.
                log.warn("account {}: session lease not renewed or taken this time: {}", s.account(), e.toString());
            }
        }
        long joined = epochOf(renewal, Engine.INSTANCES_LEASE);
        // Read only when it can have changed: an instance started (it moved the marker), or an account is free (one
        // stopped or died); so an idle instance's whole cost is its heartbeat.
        if (!free.isEmpty() || joined != instancesEpoch || liveWeights.isEmpty()) {
            instancesEpoch = joined;
            liveWeights = readLiveWeights(now, me);
        }
        webhooksEpoch = epochOf(renewal, Engine.WEBHOOKS_LEASE);
        long epoch = epochOf(renewal, Engine.REGISTRY_LEASE);
        // The registry changed since this instance read it: a free account may have been removed (released by the
        // instance that ran it), so nothing is taken until the registry is read again, right after this beat.
        boolean registryStale = registryEpoch != -1 && (epoch != registryEpoch || registryChanged);
        if (epoch != registryEpoch) {
            registryEpoch = epoch;
            registryChanged = true;
        }
        Map<String, Integer> holders = new HashMap<>();
        holders.put(ctx.instanceId(), mine);
        renewal.current().forEach((name, lease) -> {
            if (name.startsWith(AccountSession.leaseName("")) && !lease.owner().equals(ctx.instanceId())) {
                holders.merge(lease.owner(), 1, Integer::sum);
            }
        });
        LeaseBalance balance = new LeaseBalance(ctx.instanceId(), liveWeights, holders, accounts.size());
        int share = balance.share();
        for (AccountSession s : registryStale ? List.<AccountSession>of() : free) {
            int beatsFree = freeFor.merge(s.account(), 1, Integer::sum);
            boolean orphan = beatsFree >= ORPHAN_BEATS;
            Long gaveAt = handedOverAt.get(s.account());
            boolean coolingDown = gaveAt != null && beats - gaveAt < COOLDOWN_BEATS;
            Lease left = renewal.current().get(AccountSession.leaseName(s.account()));
            boolean ours = left != null; // left behind by this instance id (a restart): always taken back
            if (!ours && !orphan && (mine >= share || coolingDown)) {
                continue;
            }
            try {
                s.notRenewed();
                if (s.owned()) {
                    mine++;
                    freeFor.remove(s.account());
                    if (orphan && handedOverAt.containsKey(s.account())) {
                        onlyHere.add(s.account());
                    }
                }
            } catch (RuntimeException e) {
                log.warn("account {}: session lease not taken this time: {}", s.account(), e.toString());
            }
        }
        holders.put(ctx.instanceId(), mine);
        // Only with the whole registry known: before, the other instances' holdings are not read, and every
        // instance would look like the most loaded.
        if (registryRead.getAsBoolean() && noneFree(accounts, local, renewal)
                && new LeaseBalance(ctx.instanceId(), liveWeights, holders, balance.accounts()).shouldHandOver()) {
            local.stream().filter(s -> s.owned() && !s.stopping() && !onlyHere.contains(s.account()))
                    .reduce((a, b) -> b).ifPresent(s -> {
                        log.info("account {}: handed over to even out the accounts over {} live instance(s) ({} held"
                                + " here)", s.account(), liveWeights.size(), holders.get(ctx.instanceId()));
                        handedOverAt.put(s.account(), beats);
                        handOver.accept(s);
                    });
        }
        return renewal.current().containsKey(pauseLease);
    }

    /**
     * Whether every registered account is held by some instance: while one is free, the instance with room takes it
     * (if it can run it) rather than one handed over, which it may not be able to run.
     */
    private static boolean noneFree(Collection<String> accounts, Collection<AccountSession> local,
                                    LeaseRenewal renewal) {
        java.util.Set<String> ownedHere = new java.util.HashSet<>();
        local.stream().filter(AccountSession::owned).forEach(s -> ownedHere.add(s.account()));
        return accounts.stream().allMatch(account -> ownedHere.contains(account)
                || renewal.current().containsKey(AccountSession.leaseName(account)));
    }

    /**
     * Whether the registry changed since it was last read here (its marker's epoch moved, read with the beat at no
     * cost); resets the flag.
     */
    synchronized boolean takeRegistryChanged() {
        boolean changed = registryChanged;
        registryChanged = false;
        return changed;
    }

    /** Whether the registry changed since it was last read here (the heartbeat takes no free account then). */
    synchronized boolean registryStale() {
        return registryChanged;
    }

    /** The registry could not be read after a change: it is read again after the next beat, which takes nothing. */
    synchronized void registryStillChanged() {
        registryChanged = true;
    }

    /** The webhook endpoints' marker epoch as the last beat read it: it moves when an endpoint changes. */
    long webhooksEpoch() {
        return webhooksEpoch;
    }

    private static long epochOf(LeaseRenewal renewal, String marker) {
        Lease l = renewal.current().get(marker);
        return l == null ? 0 : l.epoch();
    }

    private Map<String, Integer> readLiveWeights(Instant now, InstanceInfo me) {
        Map<String, Integer> out = new HashMap<>();
        for (InstanceInfo i : ctx.store().instances().live(now)) {
            out.put(i.id(), i.weight());
        }
        out.put(me.id(), me.weight());
        return out;
    }

    /** Whether a lease read as {@code current} may be ours to take: free, or (left behind) held by this instance. */
    private boolean takeable(Lease current) {
        return current == null || current.owner().equals(ctx.instanceId());
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "unknown";
        }
    }
}
