package dev.wasched.spring.boot.internal;

import dev.wasched.Wasched;
import dev.wasched.health.AccountHealth;
import dev.wasched.health.Health;
import dev.wasched.health.QueueDepth;
import dev.wasched.health.StoreHealth;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.health.contributor.HealthIndicator;

/** {@link Wasched#health()} as Actuator health; details are strings and numbers, so any JSON mapper shows them. */
public final class WaschedHealthIndicator implements HealthIndicator {
    private final Wasched wasched;

    public WaschedHealthIndicator(Wasched wasched) {
        this.wasched = wasched;
    }

    @Override
    public org.springframework.boot.health.contributor.Health health() {
        Health h;
        try {
            h = wasched.health();
        } catch (RuntimeException e) {
            // a store that answers the ping but fails a later query (a schema dropped under it) is as good as down
            return org.springframework.boot.health.contributor.Health.down(e).build();
        }
        var result = h.status() == Health.Status.DOWN
                ? org.springframework.boot.health.contributor.Health.down()
                : org.springframework.boot.health.contributor.Health.up();
        result.withDetail("wasched", h.status().name())
                .withDetail("instanceId", h.instanceId())
                .withDetail("sendingPaused", h.sendingPaused())
                .withDetail("liveInstances", h.liveInstances());
        if (!h.reasons().isEmpty()) {
            result.withDetail("reasons", h.reasons());
        }
        return result.withDetail("store", store(h.store()))
                .withDetail("queue", queue(h.queue()))
                .withDetail("accounts", accounts(h))
                .build();
    }

    private static Map<String, Object> store(StoreHealth s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("reachable", s.reachable());
        if (s.latency() != null) {
            m.put("latencyMillis", s.latency().toMillis());
        }
        if (s.error() != null) {
            m.put("error", s.error());
        }
        return m;
    }

    private static Map<String, Object> queue(QueueDepth q) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pending", q.pending());
        m.put("dueNow", q.dueNow());
        m.put("uncertain", q.uncertain());
        m.put("dead", q.dead());
        return m;
    }

    private static Map<String, Object> accounts(Health h) {
        Map<String, Object> all = new LinkedHashMap<>();
        for (AccountHealth a : h.accounts()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("state", a.state().name());
            put(m, "owner", a.owner());
            m.put("ownedHere", a.ownedHere());
            put(m, "circuit", a.circuit());
            put(m, "lastSentAt", a.lastSentAt());
            put(m, "nextAllowedSend", a.nextAllowedSend());
            m.put("sentToday", a.sentToday());
            m.put("dailyCap", a.dailyCap());
            put(m, "stateDetail", a.stateDetail());
            all.put(a.account(), m);
        }
        return all;
    }

    private static void put(Map<String, Object> m, String key, Object value) {
        if (value != null) {
            m.put(key, value.toString());
        }
    }
}
