package dev.wasched.telegram.internal;

import dev.wasched.PageRequest;
import dev.wasched.delivery.Delivery;
import dev.wasched.delivery.DeliveryQuery;
import dev.wasched.delivery.DeliveryStatus;
import dev.wasched.health.AccountHealth;
import dev.wasched.health.Health;
import dev.wasched.health.QueueDepth;
import java.util.List;

/** {@code /status}: the health snapshot as a short text. */
final class StatusView {
    private static final int LAST_SENDS = 3;

    private StatusView() {
    }

    static String render(BotContext ctx) {
        Health h = ctx.wasched().health();
        StringBuilder b = new StringBuilder();
        b.append(switch (h.status()) {
            case UP -> "🟢";
            case DEGRADED -> "🟡";
            case DOWN -> "🔴";
        }).append(" wasched ").append(h.status());
        h.reasons().forEach(r -> b.append("\n  - ").append(Texts.line(r, 200)));
        b.append("\nSending: ").append(h.sendingPaused() ? "⏸ PAUSED (/resume to send again)" : "active");
        QueueDepth q = h.queue();
        if (q.pending() < 0) {
            b.append("\nQueue: unknown");
        } else {
            b.append("\nQueue: ").append(q.pending()).append(" pending (").append(q.dueNow()).append(" due now), ")
                    .append(q.uncertain()).append(" uncertain, ").append(q.dead()).append(" dead");
        }
        b.append("\nStore: ").append(h.store().reachable() ? "reachable" : "UNREACHABLE")
                .append(", ping ").append(h.store().latency().toMillis()).append(" ms");
        if (h.store().error() != null) {
            b.append(" (").append(Texts.line(h.store().error(), 200)).append(')');
        }
        b.append("\n\nAccounts:");
        if (h.accounts().isEmpty()) {
            b.append(" none");
        }
        for (AccountHealth a : h.accounts()) {
            b.append("\n• ").append(a.account()).append(": ").append(a.state());
            if (a.readyFor() != null) {
                b.append(" for ").append(Texts.duration(a.readyFor()));
            }
            b.append(" · circuit ").append(a.circuit())
                    .append(" · last sent ").append(ctx.time(a.lastSentAt()))
                    .append(" · today ").append(a.sentToday()).append(a.dailyCap() > 0 ? "/" + a.dailyCap() : "")
                    .append(" · owner ").append(a.owner() == null ? "none" : a.owner() + (a.ownedHere() ? " (here)" : ""));
        }
        if (h.store().reachable()) {
            List<Delivery> sent = ctx.wasched().deliveries().history(
                    DeliveryQuery.status(DeliveryStatus.SENT, DeliveryStatus.DELIVERED, DeliveryStatus.READ),
                    PageRequest.first(LAST_SENDS)).items();
            b.append("\nReplies: ").append(ctx.wasched().deliveries().repliedCount(null)).append(" deliveries answered");
            b.append("\n\nLast sends:");
            if (sent.isEmpty()) {
                b.append(" none");
            }
            sent.forEach(d -> b.append("\n• ").append(ctx.time(d.sentAt())).append(" → ")
                    .append(Recipients.describe(d.recipient())).append(" via ").append(d.account())
                    .append(" (").append(d.status()).append(')'));
        }
        b.append("\n\nInstance ").append(h.instanceId()).append(", ").append(h.liveInstances().size())
                .append(" live instance(s); as of ").append(ctx.time(h.at()));
        return b.toString();
    }
}
