package dev.wasched.health;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a user attaches to a bug report: versions, the configuration with secrets redacted, health and recent
 * problems. Contains no message text, no phone numbers beyond what health shows, and no secrets.
 */
public record Diagnostics(Instant at, String waschedVersion, String javaVersion, String os,
                          Map<String, String> configuration, Health health, List<String> recentProblems) {
    public Diagnostics {
        configuration = Map.copyOf(configuration);
        recentProblems = List.copyOf(recentProblems);
    }

    /** A plain-text rendering for pasting into an issue. */
    public String toText() {
        StringBuilder b = new StringBuilder();
        b.append("wasched ").append(waschedVersion).append(" on Java ").append(javaVersion).append(", ").append(os)
                .append("\ntaken at ").append(at).append(" by instance ").append(health.instanceId())
                .append("\n\nhealth: ").append(health.status());
        health.reasons().forEach(r -> b.append("\n  - ").append(r));
        b.append("\nstore: ").append(health.store().reachable() ? "reachable" : "UNREACHABLE")
                .append(", ping ").append(health.store().latency().toMillis()).append(" ms");
        if (health.store().error() != null) {
            b.append(" (").append(health.store().error()).append(')');
        }
        QueueDepth q = health.queue();
        b.append("\nqueue: pending ").append(q.pending()).append(", due now ").append(q.dueNow())
                .append(", uncertain ").append(q.uncertain()).append(", dead ").append(q.dead());
        b.append("\nsending paused: ").append(health.sendingPaused());
        b.append("\ninstances: ").append(health.liveInstances());
        for (AccountHealth a : health.accounts()) {
            b.append("\naccount ").append(a.account()).append(": ").append(a.state()).append(", owner ")
                    .append(a.owner()).append(", circuit ").append(a.circuit()).append(", sent today ")
                    .append(a.sentToday()).append(a.dailyCap() > 0 ? "/" + a.dailyCap() : "")
                    .append(", last sent ").append(a.lastSentAt())
                    .append(", session saved ").append(a.sessionSavedAt());
        }
        b.append("\n\nconfiguration:");
        configuration.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> b.append("\n  ").append(e.getKey()).append(" = ").append(e.getValue()));
        b.append("\n\nrecent problems (newest last):");
        if (recentProblems.isEmpty()) {
            b.append("\n  none");
        }
        recentProblems.forEach(p -> b.append("\n  ").append(p));
        return b.append('\n').toString();
    }
}
