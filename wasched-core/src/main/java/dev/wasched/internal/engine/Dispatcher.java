package dev.wasched.internal.engine;

import dev.failsafe.CircuitBreaker;
import dev.wasched.contact.Contact;
import dev.wasched.delivery.Delivery;
import dev.wasched.delivery.DeliveryStatus;
import dev.wasched.delivery.Recipient;
import dev.wasched.internal.redact.ErrorText;
import dev.wasched.policy.QuietHours;
import dev.wasched.schedule.Schedule;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one account's due deliveries: claims what pacing allows, checks each claim is still wanted, marks it
 * SENDING, calls the transport and hands the outcome to the ledger, under the account's pacing and circuit breaker.
 * Runs on one thread at a time: the account's dispatch loop.
 */
final class Dispatcher {
    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

    private final String account;
    private final EngineContext ctx;
    private final WaschedStore store;
    private final AccountSession session;
    private final DeliveryLedger ledger;
    private final RunningSend runningSend;
    private final Pacer pacer;
    private final CircuitBreaker<Object> circuit;
    private final WakeSignal wake;
    /** Set when a failure broke off a batch; its leftover claims are taken back before the next claim. */
    private volatile boolean batchBroken;
    /**
     * A delivery known not to have been sent whose failure could not be recorded (the store failed): when the broken
     * batch is taken back it goes back to the queue, not to UNCERTAIN.
     */
    private volatile String unsentUnrecorded;
    private volatile Instant lastSentAt;
    private final AtomicLong sentTotal = new AtomicLong();

    Dispatcher(String account, EngineContext ctx, AccountSession session, DeliveryLedger ledger,
               RunningSend runningSend, WakeSignal wake) {
        this.account = account;
        this.ctx = ctx;
        this.store = ctx.store();
        this.session = session;
        this.ledger = ledger;
        this.runningSend = runningSend;
        this.wake = wake;
        this.pacer = new Pacer(account, ctx.config().pacingFor(account), store.pacing(), ctx.random());
        this.circuit = CircuitBreaker.builder()
                .withFailureThreshold(ctx.config().circuitFailureThreshold())
                .withDelay(ctx.config().circuitOpenFor())
                .build();
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
     * Claims what pacing allows and sends it. With {@code blocking}, waits out pacing gaps inside one lease period;
     * without, gives back what cannot go out now.
     *
     * @return when to look again: {@code now} to go on at once, a later instant, or null when nothing was due
     */
    Instant dispatchOnce(boolean blocking) {
        if (batchBroken) {
            takeBackBrokenBatch();
        }
        if (!session.ready()) {
            return null;
        }
        Instant now = ctx.now();
        if (circuit.isOpen() && !circuit.getRemainingDelay().isZero()) {
            return now.plus(circuit.getRemainingDelay()).plusMillis(1);
        }
        PacingState p = pacer.current(now);
        Instant allowed = pacer.allowedFrom(p, now);
        if (allowed.isAfter(now)) {
            return allowed;
        }
        int n = Math.min(pacer.policy().sendsWithin(ctx.config().leaseDuration(), ctx.config().claimBatchSize()),
                pacer.remaining(p));
        Lease fence = session.lease();
        if (fence == null) {
            return null;
        }
        try {
            long claimStart = System.nanoTime();
            List<Delivery> claimed = store.deliveries().claimDue(account, now, fence, Math.max(1, n));
            ctx.metrics().claimFinished(account, claimed.size(), Duration.ofNanos(System.nanoTime() - claimStart));
            return claimed.isEmpty() ? null : dispatchClaimed(claimed, p, blocking);
        } catch (RuntimeException e) {
            // Even a failed claim may have been committed before the answer was lost; and a failure while the batch
            // was being sent or given back (the store down) leaves its other claims in nobody's hands. Either way
            // they are taken back before the next claim, under whatever lease this instance then holds.
            batchBroken = true;
            throw e;
        }
    }

    private Instant dispatchClaimed(List<Delivery> claimed, PacingState p, boolean blocking) {
        // One batch usually comes from few schedules: look each up once, not once per delivery.
        Map<String, Optional<Schedule>> schedules = new HashMap<>();
        for (int i = 0; i < claimed.size(); i++) {
            Delivery d = claimed.get(i);
            Instant now = ctx.now();
            Instant allowed = pacer.allowedFrom(p, now);
            if (allowed.isAfter(now) && blocking && !session.stopping()
                    && Duration.between(now, allowed).compareTo(ctx.config().leaseDuration().dividedBy(2)) < 0) {
                awaitUntil(allowed);
                now = ctx.now();
                allowed = pacer.allowedFrom(p, now);
            }
            // Asking for a permit is also what moves an open circuit whose delay is over to half-open.
            if (!circuit.tryAcquirePermit()) {
                releaseAll(claimed.subList(i, claimed.size()), null);
                Duration wait = circuit.getRemainingDelay();
                return now.plus(wait.isZero() ? Duration.ofSeconds(1) : wait).plusMillis(1);
            }
            if (allowed.isAfter(now) || session.stopping() || !session.ready()) {
                releaseAll(claimed.subList(i, claimed.size()), allowed.isAfter(now) ? allowed : null);
                return allowed.isAfter(now) ? allowed : null;
            }
            p = process(d, p, now, schedules);
        }
        return ctx.now();
    }

    /**
     * A failure (the store down) broke off the last batch: the rest of its claims are in nobody's hands. Claims go
     * back to PENDING; a send whose outcome was not recorded becomes UNCERTAIN. Only this dispatcher handles the
     * account's claims, so none of them is in use now.
     */
    private void takeBackBrokenBatch() {
        Lease fence = session.lease();
        if (fence == null) {
            batchBroken = false; // the next owner takes them back
            return;
        }
        int taken = 0;
        Instant now = ctx.now();
        for (Delivery d : store.deliveries().findInFlight(account, 10_000)) {
            if (!ctx.instanceId().equals(d.leaseOwner())) {
                continue;
            }
            boolean unsent = d.status() == DeliveryStatus.SENDING && d.id().equals(unsentUnrecorded);
            if (unsent ? ledger.returnUnsent(d, "the store failed while this attempt's failure was recorded", now)
                    : ledger.takeBack(d, "a failure interrupted its send", fence, true)) {
                taken++;
            }
        }
        unsentUnrecorded = null;
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

    private void releaseAll(List<Delivery> rest, Instant due) {
        Instant now = ctx.now();
        for (Delivery d : rest) {
            ledger.release(d, due, now);
        }
    }

    /** Handles one claimed delivery; the caller holds a circuit permit, which this releases on every path. */
    private PacingState process(Delivery d, PacingState p, Instant now, Map<String, Optional<Schedule>> schedules) {
        boolean[] failed = {false};
        try {
            return processWithPermit(d, p, now, failed, schedules);
        } finally {
            if (failed[0]) {
                circuit.recordFailure();
            } else {
                circuit.recordSuccess();
            }
        }
    }

    private PacingState processWithPermit(Delivery d, PacingState p, Instant now, boolean[] failed,
                                          Map<String, Optional<Schedule>> schedules) {
        Recipient r = d.recipient();
        String skip = cancellationReason(d, schedules);
        if (skip != null) {
            ledger.cancel(d, skip, now);
            return p;
        }
        QuietHours quiet = pacer.policy().quietHours();
        ZoneId zone = r.zone() != null ? r.zone() : ctx.config().defaultZone();
        if (quiet != null && quiet.contains(now, zone)) {
            ledger.release(d, quiet.endAfter(now, zone), now);
            return p;
        }
        boolean newContact = r.kind() == Recipient.Kind.CONTACT && pacer.policy().newContactDailyCap() > 0
                && !store.deliveries().wasSentTo(account, r.address());
        if (newContact && !pacer.newContactAllowed(p)) {
            ledger.release(d, pacer.nextDayStart(now), now);
            return p;
        }
        Optional<Delivery> sending = ledger.startSending(d, now);
        return sending.isPresent() ? send(sending.get(), p, newContact, failed) : p;
    }

    /** Why a claimed delivery must not go out any more, or null. */
    private String cancellationReason(Delivery d, Map<String, Optional<Schedule>> schedules) {
        if (d.recipient().kind() == Recipient.Kind.CONTACT) {
            Optional<Contact> c = store.contacts().findById(d.recipient().contactId());
            if (c.isEmpty()) {
                return "contact deleted";
            }
            if (c.get().optedOut()) {
                return "contact opted out";
            }
        }
        Optional<Schedule> s = schedules.computeIfAbsent(d.scheduleId(), id -> store.schedules().findById(id));
        if (s.isEmpty()) {
            return "schedule deleted";
        }
        return s.get().paused() ? "schedule paused" : Expiry.reason(ctx, d, s.get(), ctx.now());
    }

    /**
     * Sends; sets {@code failed[0]} when the failure counts against the circuit. Only a failure that proves nothing
     * was sent (retryable, session lost, or an error before the transport was called) may lead to another attempt;
     * every other ends UNCERTAIN.
     */
    private PacingState send(Delivery sending, PacingState p, boolean newContact, boolean[] failed) {
        MessageTransport t = session.transport();
        boolean sent = false;
        boolean handedOver = false;
        long started = System.nanoTime();
        String outcome = "retry";
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
            OutgoingMessage message = new OutgoingMessage(sending.id(), account, sending.recipient(),
                    sending.content(), media, pacer.policy().simulateTyping());
            handedOver = true;
            SendReceipt receipt = session.withTransport(tr -> tr.send(message));
            sent = true;
            outcome = "sent";
            Instant now = ctx.now();
            lastSentAt = now;
            sentTotal.incrementAndGet();
            ledger.sent(runningSend.current(), receipt, now);
        } catch (SessionLostException e) {
            outcome = "session_lost";
            ctx.metrics().sendFinished(account, outcome, Duration.ofNanos(System.nanoTime() - started));
            unsentUnrecorded = sending.id();
            ledger.returnUnsent(runningSend.current(), "session lost: " + e.getMessage(), ctx.now());
            unsentUnrecorded = null;
            log.info("account {}: session not usable ({}); deliveries wait", account, ErrorText.clean(e.getMessage()));
            session.sessionLost(t, e.getMessage());
            return p;
        } catch (PermanentTransportException e) {
            outcome = "dead";
            unsentUnrecorded = sending.id();
            ledger.failed(runningSend.current(), e.getMessage(), true);
            unsentUnrecorded = null;
        } catch (RetryableTransportException e) {
            failed[0] = true;
            unsentUnrecorded = sending.id();
            outcome = ledger.failed(runningSend.current(), e.getMessage(), false);
            unsentUnrecorded = null;
        } catch (OutcomeUnknownException e) {
            failed[0] = true;
            outcome = "uncertain";
            ledger.uncertain(runningSend.current(), "outcome unknown: " + e.getMessage());
        } catch (TransportException e) {
            // The kinds above are all there are (the type is sealed); the compiler cannot see that.
            throw new IllegalStateException(e);
        } catch (RuntimeException e) {
            if (sent) {
                // The message went out; only recording it failed (the store is down). A retry would send it
                // twice: the delivery stays SENDING and is taken back as UNCERTAIN once the store answers.
                throw e;
            }
            failed[0] = true;
            log.warn("account {}: transport threw unexpectedly on delivery {}", account, sending.id(), e);
            String why = "unexpected " + e.getClass().getSimpleName() + ": " + e.getMessage();
            if (handedOver && !runningSend.markerRefused()) {
                // A transport that breaks the contract may still have sent: never try again blindly. (After a
                // refused marker the contract says nothing was sent, and the transport kit checks that.)
                outcome = "uncertain";
                ledger.uncertain(runningSend.current(), why);
            } else {
                unsentUnrecorded = sending.id();
                outcome = ledger.failed(runningSend.current(), why, false);
                unsentUnrecorded = null;
            }
        } finally {
            runningSend.end();
        }
        ctx.metrics().sendFinished(account, outcome, Duration.ofNanos(System.nanoTime() - started));
        // An uncertain send counts as a send for pacing: it may well have gone out.
        return pacer.recordAttempt(p, ctx.now(), sent || "uncertain".equals(outcome), newContact);
    }
}
