package dev.wasched.internal.engine;

import dev.failsafe.CircuitBreaker;
import dev.wasched.delivery.Delivery;
import dev.wasched.delivery.DeliveryStatus;
import dev.wasched.delivery.Recipient;
import dev.wasched.internal.redact.ErrorText;
import dev.wasched.policy.QuietHours;
import dev.wasched.spi.store.DispatchCycle;
import dev.wasched.spi.store.Lease;
import dev.wasched.spi.store.PacingState;
import dev.wasched.spi.store.WaschedStore;
import dev.wasched.spi.transport.MessageTransport;
import dev.wasched.spi.transport.OutcomeUnknownException;
import dev.wasched.spi.transport.OutgoingMessage;
import dev.wasched.spi.transport.PermanentTransportException;
import dev.wasched.spi.transport.RetryableTransportException;
import dev.wasched.spi.transport.SendReceipt;
import dev.wasched.spi.transport.SessionLostException;
import dev.wasched.spi.transport.TransportException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one account's due deliveries. Each dispatch cycle is one store call ({@link WaschedStore#dispatch}, or with
 * other accounts' cycles through the {@link DispatchCombiner}): it
 * writes the outcomes of the sends since the last cycle and the pacing state, and claims what pacing allows straight
 * into SENDING (one delivery when the account's pacing has a gap, else up to the send window), cancelling due
 * deliveries that must not go out any more in the same call. Each claim is then checked against quiet hours, the
 * new-contact cap and the circuit breaker, and sent, or given back untouched. Runs on one thread at a time: the
 * account's dispatch loop.
 */
final class Dispatcher {
    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
    /**
     * How long before a delivery is due, or before pacing allows the next send, a running engine claims it: the claim's
     * commit is then out of the way when the moment comes, and the send goes out on time. A crash in between leaves the
     * claim UNCERTAIN (within the send window), never sent early: the send waits for the moment. Long enough for a
     * burst of claims at one instant (a hundred accounts at 09:00) to get through the database first.
     */
    static final Duration CLAIM_AHEAD = Duration.ofMillis(250);

    private final String account;
    private final EngineContext ctx;
    private final WaschedStore store;
    private final DispatchCombiner combiner;
    private final AccountSession session;
    private final DeliveryLedger ledger;
    private final RunningSend runningSend;
    private final Pacer pacer;
    private final CircuitBreaker<Object> circuit;
    private final WakeSignal wake;
    /** Runs the sends of a batch that go out at once (only for a transport that takes several). */
    private final Executor sends;
    /** Set when a failure broke off a cycle or a batch; its leftover claims are taken back before the next claim. */
    private volatile boolean batchBroken;
    private final Batch batch = new Batch();
    private volatile Instant lastSentAt;
    private final AtomicLong sentTotal = new AtomicLong();
    /** Set when a send found the session unusable: the batch stops, and this round with it. */
    private volatile boolean sessionLost;
    /** The lease epoch of the last cycle: pacing kept in memory is read again when the account was taken anew. */
    private long epoch;

    Dispatcher(String account, EngineContext ctx, DispatchCombiner combiner, AccountSession session,
               DeliveryLedger ledger, RunningSend runningSend, WakeSignal wake, Executor sends,
               java.util.function.Supplier<dev.wasched.policy.PacingPolicy> pacing) {
        this.account = account;
        this.ctx = ctx;
        this.store = ctx.store();
        this.combiner = combiner;
        this.session = session;
        this.ledger = ledger;
        this.runningSend = runningSend;
        this.wake = wake;
        this.sends = sends;
        this.pacer = new Pacer(account, pacing, store.pacing(), ctx.random());
        this.circuit = CircuitBreaker.builder()
                .withFailureThreshold(ctx.config().circuitFailureThreshold())
                .withDelay(ctx.config().circuitOpenFor())
                .build();
    }

    /** The pacing the account sends under now. */
    dev.wasched.policy.PacingPolicy pacing() {
        return pacer.policy();
    }

    /** Start of the pacing day that contains {@code now}. */
    Instant dayStart(Instant now) {
        return pacer.dayStart(now);
    }

    String circuitState() {
        return circuit.getState().name();
    }

    Optional<Instant> lastSentAt() {
        return Optional.ofNullable(lastSentAt);
    }

    /** Messages sent since this dispatcher was built. */
    long sentTotal() {
        return sentTotal.get();
    }

    /**
     * Runs one dispatch cycle and sends what it claimed. Outcomes are written with the next cycle when that follows
     * at once, else before this returns. With {@code blocking}, a short wait for the circuit or pacing inside a batch
     * is waited out; without, what cannot go now is given back.
     *
     * @return when to look again: {@code now} to go on at once, a later instant, or null when nothing is due
     */
    Instant dispatchOnce(boolean blocking) {
        try {
            if (batchBroken) {
                takeBackBrokenBatch();
            }
            Instant next = cycle(blocking);
            if (ledger.hasOutcomes() && (next == null || next.isAfter(ctx.now()))) {
                next = sooner(next, wakeFor(flush(), blocking));
            }
            return next;
        } catch (RuntimeException e) {
            // Even a failed cycle may have been committed before the answer was lost; and a failure while a batch
            // was sent leaves its other claims in nobody's hands. Either way they are taken back before the next
            // claim, under whatever lease this instance then holds. Queued outcomes stay queued for the next cycle.
            batchBroken = true;
            throw e;
        }
    }

    /** Writes the queued outcomes and pacing now; returns the account's next due time. */
    Instant flush() {
        PacingState p = pacer.unsaved();
        Instant now = ctx.now();
        DispatchCycle.Result r = combiner.dispatch(DispatchCycle.writeOnly(account, now, ledger.outcomes(), p));
        pacer.saveResult(p, r.pacingSaved(), now);
        ledger.written(r, ctx.now());
        return r.nextDue();
    }

    /** Writes what is queued, logging a failure: for shutdown, when no cycle follows. */
    void flushQuietly() {
        if (!ledger.hasOutcomes() && pacer.unsaved() == null) {
            return;
        }
        try {
            flush();
        } catch (RuntimeException e) {
            log.warn("account {}: outcomes of the last sends not written ({}); they are taken back as the store"
                    + " allows", account, e.toString());
        }
    }

    private Instant cycle(boolean blocking) {
        if (!session.ready()) {
            return null;
        }
        Lease fence = session.lease();
        if (fence == null) {
            return null;
        }
        if (fence.epoch() != epoch) {
            pacer.forget(); // taken anew: another owner may have sent meanwhile
            epoch = fence.epoch();
        }
        Instant now = ctx.now();
        if (circuit.isOpen() && !circuit.getRemainingDelay().isZero()) {
            return now.plus(circuit.getRemainingDelay()).plusMillis(1);
        }
        PacingState p = pacer.current(now);
        Instant allowed = pacer.allowedFrom(p, now);
        // Only a running engine claims ahead: it waits for the moment; runDue() sends what is due now.
        Instant claimUntil = blocking ? now.plus(CLAIM_AHEAD) : now;
        if (allowed.isAfter(claimUntil)) {
            return wakeFor(allowed, blocking);
        }
        int n = Math.min(pacer.hasGap() ? 1 : ctx.config().sendWindow(), pacer.remaining(p));
        if (n < 1) {
            return pacer.allowedFrom(p, now);
        }
        PacingState unsaved = pacer.unsaved();
        long claimStart = System.nanoTime();
        // Whatever it takes, the batch is sent and the next cycle follows at once: its next due time is not needed.
        DispatchCycle.Result r = combiner.dispatch(new DispatchCycle(account, now, fence, ledger.outcomes(), unsaved, n,
                pacer.policy().newContactDailyCap() > 0, claimUntil, false));
        ctx.metrics().claimFinished(account, r.sending().size(), Duration.ofNanos(System.nanoTime() - claimStart));
        pacer.saveResult(unsaved, r.pacingSaved(), now);
        ledger.written(r, ctx.now());
        if (r.sending().isEmpty()) {
            if (!r.cancelled().isEmpty()) {
                return ctx.now(); // cancelled ones may have hidden due ones behind them: look again at once
            }
            Instant due = r.nextDue();
            // Due but nothing was claimable (another transaction holds it): look again soon, not in a spin.
            return due != null && !due.isAfter(claimUntil) ? now.plusSeconds(1) : wakeFor(due, blocking);
        }
        return sendAll(r.sending(), r.firstContact(), pacer.current(ctx.now()), blocking);
    }

    private Instant sendAll(List<Delivery> sending, Set<String> firstContact, PacingState p, boolean blocking) {
        batchBroken = true; // until every claim of the batch is sent or queued to go back
        batch.start(sending);
        int atOnce = pacer.hasGap() ? 1 : Math.min(session.sendsAtOnce(), sending.size());
        InFlight inFlight = atOnce > 1 ? new InFlight(atOnce) : null;
        Instant next = ctx.now(); // the batch went out: go on at once
        Instant giveBackUntil = null;
        int i = 0;
        try {
            for (; i < sending.size(); i++) {
                if (inFlight != null) {
                    p = inFlight.recordFinished(p);
                }
                Delivery d = sending.get(i);
                Instant now = ctx.now();
                Instant allowed = pacer.allowedFrom(p, now);
                // Claimed ahead, or paced: the send waits for its moment, never goes before it.
                Instant moment = later(allowed, d.dueAt());
                if (moment.isAfter(now) && blocking && !session.stopping()
                        && Duration.between(now, moment).compareTo(ctx.config().leaseDuration().dividedBy(2)) < 0) {
                    awaitUntil(moment);
                    now = ctx.now();
                    allowed = pacer.allowedFrom(p, now);
                }
                // Asking for a permit is also what moves an open circuit whose delay is over to half-open.
                if (!circuit.tryAcquirePermit()) {
                    Duration wait = circuit.getRemainingDelay();
                    next = now.plus(wait.isZero() ? Duration.ofSeconds(1) : wait).plusMillis(1);
                    break;
                }
                if (allowed.isAfter(now) || d.dueAt().isAfter(now) || session.stopping() || !session.ready()) {
                    circuit.recordSuccess(); // the permit was not used
                    giveBackUntil = allowed.isAfter(now) ? allowed : null;
                    next = wakeFor(giveBackUntil != null ? giveBackUntil : d.dueAt().isAfter(now) ? d.dueAt() : null,
                            blocking);
                    break;
                }
                Boolean newContact = admitted(d, p, now, firstContact.contains(d.id()),
                        inFlight == null ? 0 : inFlight.newContacts());
                if (newContact == null) {
                    circuit.recordSuccess(); // not sent: the permit was not used
                } else if (inFlight == null) {
                    p = recorded(p, attempt(d, newContact));
                } else {
                    inFlight.start(d, newContact);
                }
                if (sessionLost) {
                    // The account changes state (its event may still be on its way): nothing more goes out this round.
                    i++;
                    next = null;
                    break;
                }
            }
        } catch (RuntimeException e) {
            if (inFlight != null) {
                inFlight.awaitQuietly(); // the broken batch is taken back only once none of its sends runs
            }
            throw e;
        }
        if (inFlight != null) {
            inFlight.await(p);
        }
        giveBackAll(sending.subList(i, sending.size()), giveBackUntil);
        sessionLost = false;
        batchBroken = false;
        batch.end();
        return next;
    }

    /** Records a finished attempt for pacing: an uncertain send counts as a send, as it may well have gone out. */
    private PacingState recorded(PacingState p, Attempt a) {
        // The clock's own instant, not the stored millisecond: the message left up to a millisecond after that.
        return pacer.recordAttempt(p, ctx.clock().instant(), a.counts(), a.newContact());
    }

    /**
     * What one send attempt came to, for pacing.
     *
     * @param counts     the message went out, or may have
     * @param newContact it was the first message to a new number
     */
    private record Attempt(boolean counts, boolean newContact) {
    }

    /**
     * The sends of one batch that run at once on a transport that takes several ({@link
     * MessageTransport#maxConcurrentSends}); pacing then has no gap, so only its counters are kept, on this
     * dispatcher's thread, as sends finish.
     */
    private final class InFlight {
        private final int size;
        private final Semaphore slots;
        private final Queue<Attempt> finished = new ConcurrentLinkedQueue<>();
        /** First messages to new numbers started and not yet recorded: the daily cap counts them already. */
        private final AtomicInteger newContacts = new AtomicInteger();
        private final AtomicReference<RuntimeException> failure = new AtomicReference<>();

        InFlight(int size) {
            this.size = size;
            this.slots = new Semaphore(size);
        }

        int newContacts() {
            return newContacts.get();
        }

        /** Starts a send once fewer than {@code size} run. */
        void start(Delivery d, boolean newContact) {
            slots.acquireUninterruptibly();
            if (newContact) {
                newContacts.incrementAndGet();
            }
            try {
                sends.execute(() -> {
                    try {
                        finished.add(attempt(d, newContact));
                    } catch (RuntimeException e) {
                        failure.compareAndSet(null, e);
                    } finally {
                        slots.release();
                    }
                });
            } catch (RuntimeException e) {
                slots.release(); // the engine is closing: this one never started
                throw e;
            }
        }

        PacingState recordFinished(PacingState p) {
            for (Attempt a = finished.poll(); a != null; a = finished.poll()) {
                if (a.newContact()) {
                    newContacts.decrementAndGet();
                }
                p = recorded(p, a);
            }
            return p;
        }

        /** Waits for every send started, records them, and rethrows the first failure one of them could not queue. */
        PacingState await(PacingState p) {
            awaitQuietly();
            p = recordFinished(p);
            RuntimeException e = failure.get();
            if (e != null) {
                throw e;
            }
            return p;
        }

        void awaitQuietly() {
            slots.acquireUninterruptibly(size);
            slots.release(size);
        }
    }

    /**
     * For the account's hand-back as it stops, which may run while a send of this dispatcher still hangs: from now on
     * nothing more goes to the transport, and the claims of the current batch never handed to it are returned, known
     * unsent (they go back to the queue rather than becoming UNCERTAIN).
     */
    Set<String> sealForHandBack() {
        return batch.seal();
    }

    /**
     * The claims of the batch being sent and which of them went to the transport, under one lock: the hand-back at a
     * stop seals it from another thread, and a send is handed over only while it is not sealed, so a claim the
     * hand-back finds unhanded stays unsent.
     */
    private static final class Batch {
        private final Set<String> claimed = new HashSet<>();
        private final Set<String> handed = new HashSet<>();
        private boolean sealed;

        synchronized void start(List<Delivery> sending) {
            end();
            sending.forEach(d -> claimed.add(d.id()));
        }

        synchronized void end() {
            claimed.clear();
            handed.clear();
        }

        /** Right before {@code id} goes to the transport; false once sealed, and then it must not go. */
        synchronized boolean handOver(String id) {
            if (sealed) {
                return false;
            }
            handed.add(id);
            return true;
        }

        synchronized boolean knownUnsent(String id) {
            return claimed.contains(id) && !handed.contains(id);
        }

        synchronized Set<String> seal() {
            sealed = true;
            Set<String> unsent = new HashSet<>(claimed);
            unsent.removeAll(handed);
            return unsent;
        }
    }

    /**
     * A failure (the store down) broke off the last cycle or batch: claims this instance holds and no queued outcome
     * covers are in nobody's hands. One never handed to the transport goes back to PENDING; a send whose outcome was
     * not recorded becomes UNCERTAIN. Only this dispatcher handles the account's claims, so none of them is in use
     * now. Queued outcomes are written first.
     */
    private void takeBackBrokenBatch() {
        Lease fence = session.lease();
        if (fence == null) {
            batchBroken = false; // the next owner takes them back
            return;
        }
        flush();
        int taken = 0;
        Instant now = ctx.now();
        for (Delivery d : store.deliveries().findInFlight(account, 10_000)) {
            if (!ctx.instanceId().equals(d.leaseOwner()) || ledger.isQueued(d.id())) {
                continue;
            }
            boolean sending = d.status() == DeliveryStatus.SENDING;
            // Known unsent only when this dispatcher received the claim and never handed it over; a claim whose
            // answer was lost may have been anything, so it is UNCERTAIN, never blindly sent again.
            boolean unsent = sending && batch.knownUnsent(d.id());
            if (unsent ? ledger.returnUnsentNow(d, "the store failed before this attempt was sent", now)
                    : ledger.takeBack(d, "a failure interrupted its send", fence, true)) {
                taken++;
            }
        }
        batch.end();
        batchBroken = false;
        if (taken > 0) {
            log.info("account {}: took back {} claim(s) left by an interrupted batch", account, taken);
        }
    }

    private void awaitUntil(Instant deadline) {
        try {
            while (!session.stopping() && ctx.clock().instant().isBefore(deadline)) {
                wake.awaitUntil(ctx.clock(), deadline);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void giveBackAll(List<Delivery> rest, Instant due) {
        Instant now = ctx.now();
        for (Delivery d : rest) {
            ledger.notStarted(d, due, now);
        }
    }

    /**
     * Checks a claim against expiry, quiet hours and the new-contact cap; one that must not go now is queued back
     * (or expired) here.
     *
     * @param newContactsInFlight first messages to new numbers started and not yet recorded in {@code p}
     * @return whether it is a first message to a new number, or null when it is not to be sent now
     */
    private Boolean admitted(Delivery d, PacingState p, Instant now, boolean firstContact, int newContactsInFlight) {
        String expired = expiryReason(d, now);
        if (expired != null) {
            ledger.expired(d, expired, now);
            return null;
        }
        Recipient r = d.recipient();
        QuietHours quiet = pacer.policy().quietHours();
        ZoneId zone = r.zone() != null ? r.zone() : ctx.config().defaultZone();
        if (quiet != null && quiet.contains(now, zone)) {
            ledger.notStarted(d, quiet.endAfter(now, zone), now);
            return null;
        }
        boolean newContact = firstContact && pacer.policy().newContactDailyCap() > 0;
        if (newContact && !pacer.newContactAllowed(p, newContactsInFlight)) {
            ledger.notStarted(d, pacer.nextDayStart(now), now);
            return null;
        }
        return newContact;
    }

    /** Why a claim made ahead of its occurrence must not go out any more (see {@link Expiry}), or null. */
    private String expiryReason(Delivery d, Instant now) {
        if (!Expiry.pastExpiry(d, now)) {
            return null; // the usual case: no store read
        }
        return store.schedules().findById(d.scheduleId()).map(s -> Expiry.reason(ctx, d, s, now)).orElse(null);
    }

    /**
     * When to look again for a delivery due, or a send allowed, at {@code t}: for a running engine a moment before, so
     * that it claims ahead; other reasons to look again (the circuit, settling) keep their own time.
     */
    private static Instant wakeFor(Instant t, boolean blocking) {
        return t == null || !blocking ? t : t.minus(CLAIM_AHEAD);
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static Instant sooner(Instant a, Instant b) {
        return a == null ? b : b == null || a.isBefore(b) ? a : b;
    }

    /**
     * Sends one claimed delivery and queues its outcome; the caller holds a circuit permit, which this releases. Only
     * a failure that proves nothing was sent (retryable, session lost, or an error before the transport was called)
     * may lead to another attempt; every other ends UNCERTAIN. May run on several threads at once (see {@link
     * InFlight}).
     */
    private Attempt attempt(Delivery sending, boolean newContact) {
        MessageTransport t = session.transport();
        boolean sent = false;
        boolean handedOver = false;
        boolean handedBack = false;
        boolean failed = false;
        long started = System.nanoTime();
        String outcome = "retry";
        String id = sending.id();
        sending = sending.expiringAt(null); // an attempt starts: its retries are not judged by the occurrence's expiry
        runningSend.begin(sending);
        try {
            if (t == null || !session.leaseValid()) {
                throw new SessionLostException(t == null ? "transport stopped" : "session lease ending");
            }
            byte[] media = sending.content().hasMedia()
                    ? store.media().get(sending.content().media().sha256()).orElse(null) : null;
            if (sending.content().hasMedia() && media == null) {
                throw new PermanentTransportException("media " + sending.content().media().sha256() + " is missing from the store");
            }
            OutgoingMessage message = new OutgoingMessage(id, account, sending.recipient(),
                    sending.content(), media, pacer.policy().simulateTyping());
            if (!batch.handOver(id)) {
                handedBack = true; // the stopping account gave it back to the queue: not ours to send or record
                return new Attempt(false, newContact);
            }
            handedOver = true;
            SendReceipt receipt = session.withTransport(tr -> tr.send(message));
            sent = true;
            outcome = "sent";
            Instant now = ctx.now();
            lastSentAt = now;
            sentTotal.incrementAndGet();
            ledger.sent(runningSend.current(id), receipt, now);
        } catch (SessionLostException e) {
            outcome = "session_lost";
            ledger.returnUnsent(runningSend.current(id), "session lost: " + e.getMessage(), ctx.now());
            if (!sessionLost) {
                log.info("account {}: session not usable ({}); deliveries wait", account,
                        ErrorText.clean(e.getMessage()));
            }
            sessionLost = true;
            session.sessionLost(t, e.getMessage());
            return new Attempt(false, newContact);
        } catch (PermanentTransportException e) {
            outcome = "dead";
            ledger.failed(runningSend.current(id), e.getMessage(), true);
        } catch (RetryableTransportException e) {
            failed = true;
            outcome = ledger.failed(runningSend.current(id), e.getMessage(), false);
        } catch (OutcomeUnknownException e) {
            failed = true;
            outcome = "uncertain";
            ledger.uncertain(runningSend.current(id), "outcome unknown: " + e.getMessage());
        } catch (TransportException e) {
            // The kinds above are all there are (the type is sealed); the compiler cannot see that.
            throw new IllegalStateException(e);
        } catch (RuntimeException e) {
            if (sent) {
                // The message went out; only recording it failed (the store is down). A retry would send it
                // twice: the delivery stays SENDING and is taken back as UNCERTAIN once the store answers.
                throw e;
            }
            failed = true;
            log.warn("account {}: transport threw unexpectedly on delivery {}", account, id, e);
            String why = "unexpected " + e.getClass().getSimpleName() + ": " + e.getMessage();
            if (handedOver && !runningSend.markerRefused(id)) {
                // A transport that breaks the contract may still have sent: never try again blindly. (After a
                // refused marker the contract says nothing was sent, and the transport kit checks that.)
                outcome = "uncertain";
                ledger.uncertain(runningSend.current(id), why);
            } else {
                outcome = ledger.failed(runningSend.current(id), why, false);
            }
        } finally {
            runningSend.end(id);
            if (failed) {
                circuit.recordFailure();
            } else {
                circuit.recordSuccess();
            }
            if (!handedBack) {
                ctx.metrics().sendFinished(account, outcome, Duration.ofNanos(System.nanoTime() - started));
            }
        }
        return new Attempt(sent || "uncertain".equals(outcome), newContact);
    }
}
