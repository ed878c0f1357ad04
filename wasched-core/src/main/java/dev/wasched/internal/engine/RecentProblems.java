package dev.wasched.internal.engine;

import dev.wasched.event.WaschedEvent;
import dev.wasched.event.WaschedListener;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/** The last problems worth a human's look, for the diagnostics bundle. Never message text. */
public final class RecentProblems implements WaschedListener {
    private static final int KEEP = 50;
    private final Deque<String> lines = new ArrayDeque<>();

    public synchronized void add(Instant at, String line) {
        if (lines.size() == KEEP) {
            lines.removeFirst();
        }
        lines.addLast(at + " " + line);
    }

    public synchronized List<String> snapshot() {
        return List.copyOf(lines);
    }

    @Override
    public void onEvent(WaschedEvent event) {
        if (event instanceof WaschedEvent.DeliveryDead d) {
            add(d.at(), "delivery " + d.delivery().id() + " dead (account " + d.delivery().account() + "): " + d.reason());
        } else if (event instanceof WaschedEvent.DeliveryUncertain u) {
            add(u.at(), "delivery " + u.delivery().id() + " uncertain: " + u.delivery().lastError());
        } else if (event instanceof WaschedEvent.SessionQuarantined q) {
            add(q.at(), "session of account " + q.account() + " quarantined: " + q.reason());
        } else if (event instanceof WaschedEvent.AccountStateChanged c
                && (c.to().needsAPerson() || c.to().interrupted())) {
            add(c.at(), "account " + c.account() + " " + c.to() + (c.detail() == null ? "" : ": " + c.detail()));
        }
    }
}
