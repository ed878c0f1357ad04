package dev.wasched.internal.engine;

import dev.wasched.spi.store.DueTimes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * When each account this instance runs should next look for work, kept in memory (the store stays the truth) and
 * fed by the accounts' own passes, local writes, change notifications and one fallback poll for all accounts. It
 * wakes an account's sender only when its time comes, so an idle account costs nothing; the poll asks the store
 * once for every account's earliest due delivery, for writes nobody announced.
 */
final class Coordinator {
    private final EngineContext ctx;
    private final Map<String, LocalAccount> accounts;
    /** Accounts with a known time to look again, as their own passes said; an account absent here waits for a wake-up. */
    private final Map<String, Instant> lookAt = new ConcurrentHashMap<>();
    /**
     * Due times learnt from writes and the poll, kept apart from {@link #lookAt}: a pass that ran while the write was
     * made may not have seen it, and its answer must not overwrite the time the write brought.
     */
    private final Map<String, Instant> hinted = new ConcurrentHashMap<>();
    private final WakeSignal wake = new WakeSignal();
    private volatile Instant nextPoll = Instant.EPOCH;
    /** Told the earliest schedule fire time each poll reads, so the scheduler needs no poll of its own. */
    private final Consumer<Instant> schedulesDue;

    Coordinator(EngineContext ctx, Map<String, LocalAccount> accounts, Consumer<Instant> schedulesDue) {
        this.ctx = ctx;
        this.accounts = accounts;
        this.schedulesDue = schedulesDue;
    }

    WakeSignal wake() {
        return wake;
    }

    /**
     * {@code account} has deliveries due at {@code at} (a local write, a notification, the poll): wake it a moment
     * before, so that it claims them ahead (see {@link Dispatcher#CLAIM_AHEAD}).
     */
    void dueAt(String account, Instant at) {
        LocalAccount a = accounts.get(account);
        if (a == null) {
            return;
        }
        Instant wakeAt = at.minus(Dispatcher.CLAIM_AHEAD);
        if (!wakeAt.isAfter(ctx.now())) {
            lookAt.remove(account);
            a.wake().signal();
            return;
        }
        hinted.merge(account, wakeAt, (known, due) -> due.isBefore(known) ? due : known);
        wake.signal();
    }

    /** Every account may have work now: another instance wrote something. */
    void allDue() {
        lookAt.clear();
        accounts.values().forEach(a -> a.wake().signal());
    }

    /** After a pass, the account's sender says when to look again: null when nothing is known to be due. */
    void lookAgainAt(String account, Instant at) {
        if (at == null) {
            lookAt.remove(account);
        } else {
            lookAt.put(account, at);
        }
        wake.signal();
    }

    /**
     * Wakes the accounts whose time has come and, when the fallback poll is due, asks the store in one call for every
     * ready account's earliest due delivery and for the next schedule's fire time.
     *
     * @return when to run again
     */
    Instant tick() {
        Instant now = ctx.now();
        Instant next = wakeDue(now);
        if (!now.isBefore(nextPoll)) {
            // Set first: a poll that fails (the store is down) waits for the next one, like every fallback.
            nextPoll = now.plus(ctx.config().fallbackPoll());
            poll();
            next = wakeDue(ctx.now());
        }
        return next.isBefore(nextPoll) ? next : nextPoll;
    }

    private Instant wakeDue(Instant now) {
        Instant next = wakeDue(lookAt, now);
        Instant hint = wakeDue(hinted, now);
        return hint.isBefore(next) ? hint : next;
    }

    private Instant wakeDue(Map<String, Instant> times, Instant now) {
        Instant next = Instant.MAX;
        for (Map.Entry<String, Instant> e : times.entrySet()) {
            if (!e.getValue().isAfter(now)) {
                LocalAccount a = accounts.get(e.getKey());
                if (times.remove(e.getKey(), e.getValue()) && a != null) {
                    a.wake().signal();
                }
            } else if (e.getValue().isBefore(next)) {
                next = e.getValue();
            }
        }
        return next;
    }

    private void poll() {
        List<String> ready = new ArrayList<>();
        accounts.forEach((account, a) -> {
            if (a.session().ready()) {
                ready.add(account);
            }
        });
        DueTimes due = ctx.store().dueTimes(ready);
        schedulesDue.accept(due.schedules());
        due.deliveries().forEach((account, at) -> {
            Instant known = lookAt.get(account);
            if (known == null || at.isBefore(known)) {
                dueAt(account, at);
            }
        });
    }
}
