package dev.wasched.internal.engine;

import dev.wasched.spi.store.InstanceInfo;
import dev.wasched.spi.store.Lease;
import dev.wasched.spi.store.LeaseRenewal;
import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This instance's heartbeat, one store call ({@code WaschedStore.heartbeat}): its row in the instance table, and one
 * renewal for all its session leases that also reads the pause flag and which other accounts' leases are taken. Only an account whose lease was not renewed, or
 * is free to take, costs more than that.
 */
final class Heartbeat {
    private static final Logger log = LoggerFactory.getLogger(Heartbeat.class);

    private final EngineContext ctx;
    private final Collection<AccountSession> sessions;
    private final String pauseLease;
    private final Instant startedAt;
    private final String host = host();

    Heartbeat(EngineContext ctx, Collection<AccountSession> sessions, String pauseLease, Instant startedAt) {
        this.ctx = ctx;
        this.sessions = sessions;
        this.pauseLease = pauseLease;
        this.startedAt = startedAt;
    }

    /** Beats once; returns whether sending is paused. */
    boolean beat(Instant now) {
        Map<AccountSession, Lease> held = new LinkedHashMap<>();
        List<String> read = new ArrayList<>(List.of(pauseLease));
        for (AccountSession s : sessions) {
            Lease l = s.lease();
            if (l != null) {
                held.put(s, l);
            } else {
                read.add(AccountSession.leaseName(s.account()));
            }
        }
        long started = System.nanoTime();
        LeaseRenewal renewal = ctx.store().heartbeat(
                new InstanceInfo(ctx.instanceId(), host, startedAt, now, ctx.leaseUntil(now)), held.values(),
                ctx.leaseTtl(), read);
        for (AccountSession s : sessions) {
            Lease l = held.get(s);
            try {
                if (l != null && renewal.renewed().contains(l)) {
                    s.renewed(l, started);
                } else if (l != null || takeable(renewal.current().get(AccountSession.leaseName(s.account())))) {
                    s.notRenewed();
                }
            } catch (RuntimeException e) {
                // One account's trouble must not leave the others unrenewed this beat.
                log.warn("account {}: session lease not renewed or taken this time: {}", s.account(), e.toString());
            }
        }
        return renewal.current().containsKey(pauseLease);
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
