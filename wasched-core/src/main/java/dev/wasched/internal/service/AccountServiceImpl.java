package dev.wasched.internal.service;

import dev.wasched.ConcurrentUpdateException;
import dev.wasched.Page;
import dev.wasched.PageRequest;
import dev.wasched.account.Account;
import dev.wasched.account.AccountService;
import dev.wasched.account.AccountSpec;
import dev.wasched.account.DuplicateAccountException;
import dev.wasched.account.UnknownAccountException;
import dev.wasched.delivery.Delivery;
import dev.wasched.delivery.DeliveryQuery;
import dev.wasched.delivery.DeliveryStatus;
import dev.wasched.internal.engine.AccountChoice;
import dev.wasched.internal.engine.Engine;
import dev.wasched.internal.engine.EngineContext;
import dev.wasched.schedule.Schedule;
import dev.wasched.spi.store.AccountRepository;
import dev.wasched.spi.store.DuplicateKeyException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The account registry, in the store; each change is a compare-and-set, and this instance applies it at once. */
public final class AccountServiceImpl implements AccountService {
    private static final Logger log = LoggerFactory.getLogger(AccountServiceImpl.class);
    private static final int ATTEMPTS = 10;
    private static final int MOVE_PAGE = 500;

    private final EngineContext ctx;
    private final AccountRepository repo;
    private final Engine engine;
    private final DeliveryCancellation cancellation;

    public AccountServiceImpl(EngineContext ctx, Engine engine, DeliveryCancellation cancellation) {
        this.ctx = ctx;
        this.repo = ctx.store().accounts();
        this.engine = engine;
        this.cancellation = cancellation;
        engine.onCannotSend(this::moveShare);
        engine.onRemovedStopped(this::settleRemoved);
    }

    @Override
    public Account add(AccountSpec spec) {
        Instant now = ctx.now();
        for (int i = 0; i < ATTEMPTS; i++) {
            Account existing = repo.find(spec.name()).orElse(null);
            if (existing != null && existing.live()) {
                throw new DuplicateAccountException(spec.name());
            }
            try {
                Account added;
                if (existing == null) {
                    added = new Account(spec.name(), spec.kind(), spec.settings(), spec.pacing(),
                            Account.Status.ACTIVE, now, now, 1);
                    repo.insert(added);
                } else {
                    added = existing.withSpec(spec, now);
                    if (!repo.update(added)) {
                        continue;
                    }
                }
                log.info("account {} ({}) {}", added.name(), added.kind(), existing == null ? "added" : "restored");
                applied();
                return added;
            } catch (DuplicateKeyException e) {
                // added by someone else meanwhile: look again
            }
        }
        throw new ConcurrentUpdateException("account", spec.name());
    }

    @Override
    public Account update(AccountSpec spec) {
        return change(spec.name(), a -> a.withSpec(spec, ctx.now()), "updated");
    }

    @Override
    public List<Account> list() {
        return repo.list();
    }

    @Override
    public Account get(String name) {
        return repo.find(Account.checkName(name)).orElseThrow(() -> new UnknownAccountException(name));
    }

    @Override
    public Account pause(String name) {
        Account paused = change(name, a -> a.status() == Account.Status.PAUSED ? a
                : a.withStatus(Account.Status.PAUSED, ctx.now()), "paused");
        moveShare(name);
        return paused;
    }

    @Override
    public Account resume(String name) {
        return change(name, a -> a.status() == Account.Status.ACTIVE ? a
                : a.withStatus(Account.Status.ACTIVE, ctx.now()), "resumed");
    }

    @Override
    public Account remove(String name) {
        Account removed = change(name, a -> a.withStatus(Account.Status.REMOVED, ctx.now()), "removed");
        settleRemoved(name);
        return removed;
    }

    /**
     * The removed account's PENDING deliveries: those of campaigns over several accounts move to the others, the rest
     * are cancelled. Done at the removal, and again where the account stopped (what it had claimed went back).
     */
    private void settleRemoved(String name) {
        if (repo.find(name).filter(Account::live).isPresent()) {
            return; // added again meanwhile
        }
        moveShare(name);
        int cancelled = cancellation.forAccount(name, "account " + name + " was removed");
        if (cancelled > 0) {
            log.info("account {}: {} pending deliveries cancelled", name, cancelled);
        }
    }

    /** Applies {@code edit} to the live account (compare-and-set, retried); unchanged when it returns the same one. */
    private Account change(String name, UnaryOperator<Account> edit, String what) {
        for (int i = 0; i < ATTEMPTS; i++) {
            Account current = repo.find(Account.checkName(name)).filter(Account::live)
                    .orElseThrow(() -> new UnknownAccountException(name));
            Account next = edit.apply(current);
            if (next == current) {
                return current;
            }
            if (repo.update(next)) {
                log.info("account {} {}", name, what);
                applied();
                return next;
            }
        }
        throw new ConcurrentUpdateException("account", name);
    }

    /**
     * Moves the account's PENDING deliveries of campaigns over several accounts to the account each recipient gets
     * among those that can send ({@link AccountChoice}); each move is a compare-and-set, so one claimed meanwhile
     * stays where it is. Called when the account is paused or removed, and at each heartbeat of the instance that runs
     * it while it is paused or WhatsApp shows it restricted.
     */
    private void moveShare(String account) {
        Map<String, Account.Status> statuses = new HashMap<>();
        repo.list().forEach(a -> statuses.put(a.name(), a.status()));
        Predicate<String> usable = a -> (statuses.get(a) == null || statuses.get(a) == Account.Status.ACTIVE)
                && !engine.restrictedHere(a);
        Map<String, Optional<Schedule>> schedules = new HashMap<>();
        DeliveryQuery pending = DeliveryQuery.status(DeliveryStatus.PENDING).forAccount(account);
        PageRequest page = PageRequest.first(MOVE_PAGE);
        int moved = 0;
        while (true) {
            Page<Delivery> found = ctx.store().deliveries().history(pending, page);
            for (Delivery d : found.items()) {
                Schedule s = d.scheduleId() == null ? null : schedules.computeIfAbsent(d.scheduleId(),
                        id -> ctx.store().schedules().findById(id)).orElse(null);
                if (s == null || !s.spread()) {
                    continue;
                }
                String to = AccountChoice.of(s, d.recipient(), usable);
                if (!to.equals(account) && ctx.store().deliveries().reassignPending(d, to, ctx.now())) {
                    moved++;
                    engine.deliveriesDue(to, d.dueAt());
                }
            }
            if (found.nextCursor().isEmpty()) {
                break;
            }
            page = PageRequest.after(found.nextCursor().get(), MOVE_PAGE);
        }
        if (moved > 0) {
            log.info("account {}: {} pending deliveries of campaigns moved to their other accounts", account, moved);
        }
    }

    /** This instance follows at once; the others at their next heartbeat. */
    private void applied() {
        try {
            engine.registryChanged();
            engine.syncAccounts();
        } catch (RuntimeException e) {
            log.warn("the account registry could not be read again (the next heartbeat does): {}", e.toString());
        }
    }
}
