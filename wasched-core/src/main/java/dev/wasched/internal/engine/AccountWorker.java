package dev.wasched.internal.engine;

import dev.failsafe.CircuitBreaker;
import dev.wasched.Page;
import dev.wasched.PageRequest;
import dev.wasched.contact.Contact;
import dev.wasched.delivery.Delivery;
import dev.wasched.delivery.DeliveryQuery;
import dev.wasched.delivery.DeliveryStatus;
import dev.wasched.delivery.Recipient;
import dev.wasched.event.WaschedEvent;
import dev.wasched.internal.session.SessionVault;
import dev.wasched.policy.QuietHours;
import dev.wasched.schedule.Schedule;
import dev.wasched.session.AccountState;
import dev.wasched.session.AccountStatus;
import dev.wasched.internal.redact.ErrorText;
import dev.wasched.spi.store.Lease;
import dev.wasched.spi.store.PacingState;
import dev.wasched.spi.store.WaschedStore;
import dev.wasched.spi.transport.LookupResult;
import dev.wasched.spi.transport.MessageTransport;
import dev.wasched.spi.transport.OutcomeUnknownException;
import dev.wasched.spi.transport.OutgoingMessage;
import dev.wasched.spi.transport.PermanentTransportException;
import dev.wasched.spi.transport.RetryableTransportException;
import dev.wasched.spi.transport.SendReceipt;
import dev.wasched.spi.transport.SessionLostException;
import dev.wasched.spi.transport.SessionStorage;
import dev.wasched.spi.transport.TransportContext;
import dev.wasched.spi.transport.TransportEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything the engine does for one WhatsApp account on this instance: holds the session lease, owns the transport
 * while it does, and dispatches the account's deliveries under its pacing, retry and circuit-breaker rules.
 */
public final class AccountWorker {
    private static final Logger log = LoggerFactory.getLogger(AccountWorker.class);
    private static final int UNCERTAIN_LOOKUPS_PER_PASS = 20;
    private static final int UNCERTAIN_READ_PER_PASS = 100;

    private final String account;
    private final EngineContext ctx;
    private final WaschedStore store;
    private final Supplier<MessageTransport> transports;
    private final Pacer pacer;
    private final CircuitBreaker<Object> circuit;
    private final Executor transportEvents;
    private final String leaseName;
    private final WakeSignal wake = new WakeSignal();
    private final UncertainLookups uncertainLookups = new UncertainLookups();
    private final HeldAcks heldAcks;
    /** A transport is called by one thread at a time (the SPI promises it); this lock keeps that promise. */
    private final java.util.concurrent.locks.ReentrantLock transportLock = new java.util.concurrent.locks.ReentrantLock();
    private volatile Instant nextSettleAt = Instant.EPOCH;
    /** Set when a failure broke off a batch; its leftover claims are taken back before the next claim. */
    private volatile boolean batchBroken;

    private volatile MessageTransport transport;
    /** The session lease while this instance holds it; every write for the account is fenced by it. */
    private volatile Lease lease;
    /**
     * {@link System#nanoTime()} after which this instance must not claim or send for the account: the start of the
     * last successful acquire or renew plus the lease's time to live. The store's lease cannot end sooner, so the
     * instance stops before any other can take over, whatever the wall clocks say.
     */
    private volatile long leaseDeadline;
    /** The delivery whose send is running, so the transport's evidence is stored on the right version. */
    private volatile Delivery currentSend;
    /** Set when the running send's marker could not be stored: the transport then sends nothing. */
    private volatile boolean markerRefused;
    /**
     * A delivery known not to have been sent whose failure could not be recorded (the store failed): when the broken
     * batch is taken back it goes back to the queue, not to UNCERTAIN.
     */
    private volatile String unsentUnrecorded;
    private volatile boolean stopping;
    private volatile AccountState state = AccountState.STOPPED;
    private volatile Instant stateSince;
    private volatile String stateDetail;
    private volatile Instant lastSentAt;
    private final java.util.concurrent.atomic.AtomicLong sentTotal = new java.util.concurrent.atomic.AtomicLong();

    private final java.util.function.BooleanSupplier sendingPaused;

    public AccountWorker(String account, EngineContext ctx, Supplier<MessageTransport> transports,
                         Executor transportEvents, java.util.function.BooleanSupplier sendingPaused) {
        this.sendingPaused = sendingPaused;
        this.account = account;
        this.ctx = ctx;
        this.store = ctx.store();
        this.transports = transports;
        this.transportEvents = transportEvents;
        this.leaseName = "session:" + account;
        this.pacer = new Pacer(account, ctx.config().pacingFor(account), store.pacing(), ctx.random());
        this.circuit = CircuitBreaker.builder()
                .withFailureThreshold(ctx.config().circuitFailureThreshold())
                .withDelay(ctx.config().circuitOpenFor())
                .build();
        this.stateSince = ctx.now();
        this.heldAcks = new HeldAcks(ctx.clock());
    }

    public String account() {
        return account;
    }

    public boolean owned() {
        return lease != null;
    }

    /** The session lease held now, or null. */
    public Lease lease() {
        return lease;
    }

    /** Whether the lease is held and its local deadline has not passed: the condition for every claim and send. */
    boolean leaseValid() {
        return lease != null && System.nanoTime() - leaseDeadline < 0;
    }

    public WakeSignal wake() {
        return wake;
    }

    public boolean ready() {
        return leaseValid() && state == AccountState.READY && !stopping && !sendingPaused.getAsBoolean();
    }

    /** Start of the pacing day that contains {@code now}. */
    public Instant dayStart(Instant now) {
        return pacer.dayStart(now);
    }

    public String circuitState() {
        return circuit.getState().name();
    }

    public Optional<Instant> lastSentAt() {
        return Optional.ofNullable(lastSentAt);
    }

    /** Messages this worker sent since it was built. */
    public long sentTotal() {
        return sentTotal.get();
    }

    public AccountStatus status() {
        String owner = lease != null ? ctx.instanceId() : store.leases().owner(leaseName).orElse(null);
        return new AccountStatus(account, owner, true, state, stateSince, stateDetail);
    }

    // ---- ownership ------------------------------------------------------------------------------------------

    /**
     * Renews the session lease, or takes it when free; starts or stops the transport to match. While stopping, only
     * renews: the lease is kept until the transport has closed (and saved its session), then released.
     */
    public synchronized void ensureOwnership(Instant now) {
        Duration ttl = ctx.leaseTtl();
        long started = System.nanoTime();
        Lease held = lease;
        if (held != null && store.leases().renew(held, ttl)) {
            leaseDeadline = deadlineAfter(started, ttl);
            return;
        }
        if (stopping) {
            if (held != null) {
                log.warn("account {}: session lease (epoch {}) lost while shutting down", account, held.epoch());
                lease = null;
            }
            return;
        }
        Optional<Lease> taken = store.leases().acquire(leaseName, ctx.instanceId(), ttl);
        if (taken.isEmpty()) {
            if (held != null) {
                log.warn("account {}: session lease (epoch {}) lost to another instance; stopping its transport here",
                        account, held.epoch());
                lease = null;
                closeTransportElsewhere();
            }
            return;
        }
        leaseDeadline = deadlineAfter(started, ttl);
        lease = taken.get();
        if (held != null) {
            // The lease lapsed (a stalled renewal) but nobody took it: the transport never ran anywhere else and
            // stays; what was in flight under the old epoch is settled like anyone else's.
            log.warn("account {}: session lease lapsed and was taken again (epoch {} -> {})", account, held.epoch(),
                    lease.epoch());
            takeBackInFlight(lease, "let its session lease lapse while sending", true);
            return;
        }
        log.info("account {}: session lease taken by instance {} (epoch {})", account, ctx.instanceId(),
                lease.epoch());
        try {
            takeBackInFlight(lease, "stopped while sending", false);
        } catch (RuntimeException e) {
            // Not ours until the takeover is complete: give the lease up and try again at the next heartbeat.
            lease = null;
            store.leases().release(leaseName, ctx.instanceId());
            throw e;
        }
        startTransport();
    }

    /**
     * The local deadline for a lease renewed or taken by a statement sent at {@code started}: the store's expiry is
     * at least {@code ttl} after that, so a deadline {@code ttl} minus a twentieth after it ends first, with room for
     * millisecond rounding of stored times and for clocks that run at slightly different rates.
     */
    private static long deadlineAfter(long started, Duration ttl) {
        return started + ttl.toNanos() - ttl.toNanos() / 20;
    }

    /**
     * Closes a transport whose lease was lost without holding up the heartbeat: a browser may take seconds to close,
     * and the other accounts' renewals wait on this thread.
     */
    private void closeTransportElsewhere() {
        MessageTransport t = transport;
        transport = null;
        setState(AccountState.STOPPED, null);
        if (t != null) {
            Thread closer = Threads.named("wasched-close-" + account).newThread(() -> {
                try {
                    t.close();
                } catch (RuntimeException e) {
                    log.warn("account {}: transport close failed", account, e);
                }
            });
            closer.start();
        }
    }

    /**
     * Takes back what earlier owners of the account left in flight (claims to PENDING, sends to UNCERTAIN), fenced by
     * the lease just taken, before this instance claims anything under it. After a lapse of this instance's own lease
     * ({@code othersOnly}) its own work is left to its dispatcher, which records every outcome (by version when the
     * lease is gone) and takes back a broken batch itself; only other instances' leftovers are taken here.
     */
    private void takeBackInFlight(Lease fence, String whyUncertain, boolean othersOnly) {
        int taken = 0;
        while (true) {
            List<Delivery> inFlight = store.deliveries().findInFlight(account, 500);
            int before = taken;
            for (Delivery d : inFlight) {
                if (othersOnly && ctx.instanceId().equals(d.leaseOwner())) {
                    continue;
                }
                if (takeBack(d, "owner " + d.leaseOwner() + " " + whyUncertain, fence, false)) {
                    taken++;
                }
            }
            if (inFlight.size() < 500 || taken == before) {
                break;
            }
        }
        if (taken > 0) {
            log.info("account {}: took back {} delivery claim(s) and send(s) left in flight", account, taken);
            wake.signal();
        }
    }

    private void startTransport() {
        setState(AccountState.STARTING, null);
        try {
            SessionVault vault = new SessionVault(account, store.sessions(), ctx.config().sessionKey(),
                    ctx.config().previousSessionKey(), ctx.config().adoptUnencryptedSessions(), ctx.clock(),
                    ctx.events(), () -> lease);
            Optional<String> problem = vault.problem();
            if (problem.isPresent()) {
                // Starting would log in afresh and replace a good login that is only under another key.
                setState(AccountState.FAILED, problem.get());
                return;
            }
            MessageTransport t = transports.get();
            transport = t;
            t.start(new Context(t, vault));
        } catch (RuntimeException e) {
            log.error("account {}: transport failed to start", account, e);
            setState(AccountState.FAILED, "start failed: " + e.getMessage());
        }
    }

    private void closeTransport() {
        MessageTransport t = transport;
        transport = null;
        if (t != null) {
            try {
                t.close();
            } catch (RuntimeException e) {
                log.warn("account {}: transport close failed", account, e);
            }
        }
        setState(AccountState.STOPPED, null);
    }

    /**
     * Shutdown, once dispatching has stopped or the shutdown timeout is over: gives back the claims of this account
     * that have not started sending and marks sends still running UNCERTAIN (closing the transport may cut such a send
     * off after the message left; should it still finish, its receipt settles the delivery as SENT), closes the
     * transport (it saves its session, still under the lease, which the heartbeat keeps renewing) and then gives the
     * session lease back at once.
     */
    public void shutdown() {
        stopping = true;
        wake.signal();
        Lease held = lease;
        if (held == null) {
            closeTransport(); // the lease was lost while stopping: the transport still must end
            return;
        }
        try {
            handBack(held);
        } catch (RuntimeException e) {
            log.warn("account {}: could not hand back claims and sends in flight (the next owner takes them back): {}",
                    account, e.toString());
        }
        closeTransport();
        synchronized (this) {
            lease = null;
        }
        store.leases().release(leaseName, ctx.instanceId());
    }

    private void handBack(Lease fence) {
        int released = 0;
        Instant now = ctx.now();
        for (Delivery d : store.deliveries().findInFlight(account, 10_000)) {
            if (!ctx.instanceId().equals(d.leaseOwner())) {
                continue;
            }
            if (d.status() == DeliveryStatus.CLAIMED) {
                if (store.deliveries().update(d.release(d.dueAt(), now), fence)) {
                    released++;
                }
            } else {
                Delivery uncertain = d.uncertain("instance " + ctx.instanceId() + " shut down while sending", now);
                if (store.deliveries().update(uncertain, fence)) {
                    log.warn("delivery {} is UNCERTAIN: its send was still running at the end of the shutdown"
                            + " timeout", d.id());
                    ctx.events().publish(new WaschedEvent.DeliveryUncertain(uncertain, now));
                }
            }
        }
        if (released > 0) {
            log.info("account {}: handed back {} claimed deliveries", account, released);
        }
    }

    public void stopClaiming() {
        stopping = true;
        wake.signal();
    }

    private void setState(AccountState next, String detail) {
        AccountState prev = state;
        state = next;
        detail = ErrorText.clean(detail);
        stateDetail = detail;
        stateSince = ctx.now();
        if (prev != next) {
            log.info("account {}: {} -> {}{}", account, prev, next, detail == null ? "" : " (" + detail + ")");
            ctx.events().publish(new WaschedEvent.AccountStateChanged(account, prev, next, detail, stateSince));
        }
        if (next == AccountState.READY) {
            wake.signal();
        }
    }

    /** Transport → engine, on the engine's transport-event thread so a transport never waits for the store. */
    private final class Context implements TransportContext {
        private final MessageTransport owner;
        private final SessionStorage storage;

        Context(MessageTransport owner, SessionStorage storage) {
            this.owner = owner;
            this.storage = storage;
        }

        @Override
        public String account() {
            return account;
        }

        @Override
        public Clock clock() {
            return ctx.clock();
        }

        @Override
        public void emit(TransportEvent event) {
            transportEvents.execute(() -> {
                if (transport == owner) {
                    onTransportEvent(event);
                }
            });
        }

        @Override
        public SessionStorage sessionStorage() {
            return storage;
        }

        @Override
        public void sendMarker(OutgoingMessage message, String marker) {
            // Whatever goes wrong here, the transport must send nothing: remember that nothing was sent.
            markerRefused = true;
            Delivery d = currentSend;
            if (d == null || !d.id().equals(message.deliveryId())) {
                throw new IllegalStateException("delivery " + message.deliveryId() + " is not being sent");
            }
            if (!leaseValid()) {
                // The last gate before the send action: a slow chat opening may have outlasted the lease.
                throw new IllegalStateException("the session lease of account " + account + " ended before the send");
            }
            if (!store.deliveries().recordEvidence(d.id(), d.version(), marker, null)) {
                throw new IllegalStateException("delivery " + d.id() + " changed before its send marker was stored");
            }
            currentSend = d.withEvidence(marker, null);
            markerRefused = false;
        }

        @Override
        public void messageIdSeen(OutgoingMessage message, String messageId) {
            Delivery d = currentSend;
            if (d == null || !d.id().equals(message.deliveryId()) || messageId == null) {
                return;
            }
            try {
                if (store.deliveries().recordEvidence(d.id(), d.version(), null, messageId)) {
                    currentSend = d.withEvidence(null, messageId);
                }
            } catch (RuntimeException e) {
                log.warn("account {}: message id of delivery {} not stored before confirmation: {}", account, d.id(),
                        e.toString());
            }
        }
    }

    void onTransportEvent(TransportEvent event) {
        Instant now = ctx.now();
        try {
            if (event instanceof TransportEvent.StateChanged s) {
                setState(s.state(), s.detail());
            } else if (event instanceof TransportEvent.QrCode qr) {
                ctx.events().publish(new WaschedEvent.LoginQrCode(account, qr.payload(), now));
            } else if (event instanceof TransportEvent.PairingCode code) {
                ctx.events().publish(new WaschedEvent.LoginPairingCode(account, code.code(), now));
            } else if (event instanceof TransportEvent.Ack ack) {
                applyAck(ack, now);
            }
        } catch (RuntimeException e) {
            log.warn("account {}: transport event {} not applied", account, event.getClass().getSimpleName(), e);
        }
    }

    private void applyAck(TransportEvent.Ack ack, Instant now) {
        if (acknowledge(ack.messageId(), ack.level(), now)) {
            return;
        }
        // The dispatcher may not have stored SENT yet. Hold the ack, then look once more: the dispatcher takes held
        // acks only after storing SENT, so one of the two sees the other.
        heldAcks.hold(ack.messageId(), ack.level());
        log.debug("account {}: ack for message {} not known yet; held", account, ack.messageId());
        if (store.deliveries().findByTransportMessageId(account, ack.messageId())
                .filter(d -> d.status().isSent()).isPresent()) {
            applyHeldAck(ack.messageId(), now);
        }
    }

    /**
     * Applies the ack held for {@code messageId}, if any; called once a delivery with that id is stored as sent. A
     * failure here is logged, never mistaken for a failed send.
     */
    private void applyHeldAck(String messageId, Instant now) {
        try {
            heldAcks.take(messageId).ifPresent(level -> acknowledge(messageId, level, now));
        } catch (RuntimeException e) {
            log.warn("account {}: held ack for message {} not applied: {}", account, messageId, e.toString());
        }
    }

    /** Moves the sent delivery with this message id on to {@code level}; false when no delivery has the id. */
    private boolean acknowledge(String messageId, DeliveryStatus level, Instant now) {
        for (int i = 0; i < 5; i++) {
            Optional<Delivery> found = store.deliveries().findByTransportMessageId(account, messageId);
            if (found.isEmpty()) {
                return false;
            }
            Delivery d = found.get();
            if (!d.status().isSent()) {
                // Still SENDING with the id the transport reported early: the dispatcher stores SENT next, so the
                // ack is held for it. In any other state it is dropped.
                return d.status() != DeliveryStatus.SENDING;
            }
            Delivery acked = d.acknowledged(level, now);
            Lease fence = lease;
            if (acked != d && fence == null) {
                return true; // the transport is going away with the lease: the next owner's acks will do
            }
            if (acked == d || store.deliveries().update(acked, fence)) {
                if (acked != d) {
                    ctx.events().publish(new WaschedEvent.DeliveryAcknowledged(acked, now));
                }
                return true;
            }
        }
        return true;
    }

    public MessageTransport transport() {
        return transport;
    }

    /** A call on the account's transport, made while no send or lookup runs on it. */
    @FunctionalInterface
    public interface TransportCall<T> {
        T call(MessageTransport transport) throws dev.wasched.spi.transport.TransportException;
    }

    /**
     * Runs {@code call} on this account's transport, one caller at a time with the dispatcher.
     *
     * @throws SessionLostException when this instance does not run the account's transport
     */
    public <T> T withTransport(TransportCall<T> call) throws dev.wasched.spi.transport.TransportException {
        MessageTransport t = transport;
        if (t == null) {
            throw new SessionLostException("account " + account + " is not running on this instance");
        }
        transportLock.lock();
        try {
            return call.call(t);
        } finally {
            transportLock.unlock();
        }
    }

    // ---- dispatch -------------------------------------------------------------------------------------------

    /**
     * Claims what pacing allows and sends it. With {@code blocking}, waits out pacing gaps inside one lease period;
     * without, gives back what cannot go out now.
     *
     * @return when to look again: {@code now} to go on at once, a later instant, or null when nothing was due
     */
    public Instant dispatchOnce(boolean blocking) {
        if (batchBroken) {
            takeBackBrokenBatch();
        }
        if (!ready()) {
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
        Lease fence = lease;
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
        java.util.Map<String, Optional<Schedule>> schedules = new java.util.HashMap<>();
        for (int i = 0; i < claimed.size(); i++) {
            Delivery d = claimed.get(i);
            Instant now = ctx.now();
            Instant allowed = pacer.allowedFrom(p, now);
            if (allowed.isAfter(now) && blocking && !stopping
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
            if (allowed.isAfter(now) || stopping || !ready()) {
                releaseAll(claimed.subList(i, claimed.size()), allowed.isAfter(now) ? allowed : null);
                return allowed.isAfter(now) ? allowed : null;
            }
            p = process(d, p, now, schedules);
        }
        return ctx.now();
    }

    /**
     * A failure (the store down) broke off the last batch: the rest of its claims are in nobody's hands. Claims go
     * back to PENDING; a send whose outcome was not recorded becomes UNCERTAIN. Only this worker's dispatcher handles
     * the account's claims, so none of them is in use now. The lease may have lapsed meanwhile (the store was down
     * through a renewal): then the writes go by version, as for any outcome of this instance's own work, because the
     * heartbeat that takes the lease again leaves this instance's claims to its dispatcher.
     */
    private void takeBackBrokenBatch() {
        Lease fence = lease;
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
            if (unsent ? giveBack(d.returnUnsent("the store failed while this attempt's failure was recorded", now, now))
                    : takeBack(d, "a failure interrupted its send", fence, true)) {
                taken++;
            }
        }
        unsentUnrecorded = null;
        batchBroken = false;
        if (taken > 0) {
            log.info("account {}: took back {} claim(s) left by an interrupted batch", account, taken);
        }
    }

    /**
     * A claim nobody works on goes back to PENDING; a send in flight becomes UNCERTAIN (never blindly resent). The
     * write is fenced by {@code fence}; for this instance's own work ({@code own}) it falls back to the version alone,
     * as {@link #giveBack} does: a claim that was not sent stays unsent whoever holds the lease, and had the next owner
     * taken the delivery over, its version no longer matches. Other instances' work is only ever taken under the lease.
     */
    private boolean takeBack(Delivery d, String whyUncertain, Lease fence, boolean own) {
        Instant now = ctx.now();
        Delivery next = d.status() == DeliveryStatus.SENDING ? d.uncertain(whyUncertain, now) : d.release(d.dueAt(), now);
        if (!store.deliveries().update(next, fence) && !(own && store.deliveries().update(next))) {
            return false;
        }
        if (next.status() == DeliveryStatus.UNCERTAIN) {
            log.warn("delivery {} is UNCERTAIN: {}", d.id(), whyUncertain);
            ctx.events().publish(new WaschedEvent.DeliveryUncertain(next, now));
        }
        return true;
    }

    private void awaitUntil(Instant deadline) {
        try {
            while (!stopping && ctx.clock().instant().isBefore(deadline)) {
                wake.awaitUntil(ctx.clock(), deadline);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void releaseAll(List<Delivery> rest, Instant due) {
        Instant now = ctx.now();
        for (Delivery d : rest) {
            Delivery back = d.release(due != null && due.isAfter(d.dueAt()) ? due : d.dueAt(), now);
            if (!giveBack(back)) {
                log.debug("account {}: delivery {} changed before it could be released", account, d.id());
            }
        }
    }

    /** Handles one claimed delivery; the caller holds a circuit permit, which this releases on every path. */
    private PacingState process(Delivery d, PacingState p, Instant now,
                                java.util.Map<String, Optional<Schedule>> schedules) {
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
                                          java.util.Map<String, Optional<Schedule>> schedules) {
        Recipient r = d.recipient();
        String skip = cancellationReason(d, schedules);
        if (skip != null) {
            Delivery c = d.cancel(skip, now);
            if (!fencedUpdate(c)) {
                giveBack(d.release(d.dueAt(), now)); // the next owner decides
            } else {
                ctx.metrics().cancelled(account);
                ctx.events().publish(new WaschedEvent.DeliveryCancelled(c, skip, now));
            }
            return p;
        }
        QuietHours quiet = pacer.policy().quietHours();
        ZoneId zone = r.zone() != null ? r.zone() : ctx.config().defaultZone();
        if (quiet != null && quiet.contains(now, zone)) {
            releaseAll(List.of(d), quiet.endAfter(now, zone));
            return p;
        }
        boolean newContact = r.kind() == Recipient.Kind.CONTACT && pacer.policy().newContactDailyCap() > 0
                && !store.deliveries().wasSentTo(account, r.address());
        if (newContact && !pacer.newContactAllowed(p)) {
            releaseAll(List.of(d), pacer.nextDayStart(now));
            return p;
        }
        Delivery sending = d.startSending(now);
        if (!fencedUpdate(sending)) {
            giveBack(d.release(d.dueAt(), now)); // not ours to send any more: never left in our hands
            return p;
        }
        return send(sending, p, newContact, failed);
    }

    /** Why a claimed delivery must not go out any more, or null. */
    private String cancellationReason(Delivery d, java.util.Map<String, Optional<Schedule>> schedules) {
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
        return s.get().paused() ? "schedule paused" : null;
    }

    /**
     * Sends; sets {@code failed[0]} when the failure counts against the circuit. Only a failure that proves nothing
     * was sent (retryable, session lost, or an error before the transport was called) may lead to another attempt;
     * every other ends UNCERTAIN.
     */
    private PacingState send(Delivery sending, PacingState p, boolean newContact, boolean[] failed) {
        MessageTransport t = transport;
        boolean sent = false;
        boolean handedOver = false;
        long started = System.nanoTime();
        String outcome = "retry";
        currentSend = sending;
        markerRefused = false;
        try {
            if (t == null || !leaseValid()) {
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
            SendReceipt receipt = withTransport(tr -> tr.send(message));
            sent = true;
            outcome = "sent";
            Instant now = ctx.now();
            lastSentAt = now;
            sentTotal.incrementAndGet();
            Delivery done = currentSend.sent(receipt.messageId(), receipt.sentAt(), now);
            if (fencedUpdate(done)) {
                log.atDebug().addKeyValue("deliveryId", sending.id()).addKeyValue("scheduleId", sending.scheduleId())
                        .addKeyValue("account", account).addKeyValue("attempt", sending.attempts()).log("delivery sent");
                ctx.events().publish(new WaschedEvent.DeliverySent(done, now));
                applyHeldAck(receipt.messageId(), now);
            } else {
                settleAfterLostLease(sending, receipt, now);
            }
        } catch (SessionLostException e) {
            outcome = "session_lost";
            ctx.metrics().sendFinished(account, outcome, Duration.ofNanos(System.nanoTime() - started));
            Instant now = ctx.now();
            unsentUnrecorded = sending.id();
            if (!giveBack(currentSend.returnUnsent("session lost: " + e.getMessage(), now, now))) {
                log.warn("delivery {} changed concurrently; its return to the queue was not recorded", sending.id());
            }
            unsentUnrecorded = null;
            log.info("account {}: session not usable ({}); deliveries wait", account, ErrorText.clean(e.getMessage()));
            if (state == AccountState.READY && t != null && leaseValid()) {
                setState(AccountState.DISCONNECTED, e.getMessage());
            }
            return p;
        } catch (PermanentTransportException e) {
            outcome = "dead";
            unsentUnrecorded = sending.id();
            fail(e.getMessage(), true);
            unsentUnrecorded = null;
        } catch (RetryableTransportException e) {
            failed[0] = true;
            unsentUnrecorded = sending.id();
            outcome = fail(e.getMessage(), false);
            unsentUnrecorded = null;
        } catch (OutcomeUnknownException e) {
            failed[0] = true;
            outcome = "uncertain";
            markUncertain("outcome unknown: " + e.getMessage());
        } catch (dev.wasched.spi.transport.TransportException e) {
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
            if (handedOver && !markerRefused) {
                // A transport that breaks the contract may still have sent: never try again blindly. (After a
                // refused marker the contract says nothing was sent, and the transport kit checks that.)
                outcome = "uncertain";
                markUncertain("unexpected " + e.getClass().getSimpleName() + ": " + e.getMessage());
            } else {
                unsentUnrecorded = sending.id();
                outcome = fail("unexpected " + e.getClass().getSimpleName() + ": " + e.getMessage(), false);
                unsentUnrecorded = null;
            }
        } finally {
            currentSend = null;
        }
        ctx.metrics().sendFinished(account, outcome, Duration.ofNanos(System.nanoTime() - started));
        // An uncertain send counts as a send for pacing: it may well have gone out.
        return pacer.recordAttempt(p, ctx.now(), sent || "uncertain".equals(outcome), newContact);
    }

    private void markUncertain(String why) {
        Instant now = ctx.now();
        Delivery uncertain = currentSend.uncertain(why, now);
        if (update(uncertain)) {
            log.warn("account {}: delivery {} is UNCERTAIN ({}); it is not sent again unless a lookup or a person"
                    + " settles it", account, uncertain.id(), ErrorText.clean(why));
            ctx.events().publish(new WaschedEvent.DeliveryUncertain(uncertain, now));
        }
    }

    /** Records a failed attempt of {@link #currentSend} as a retry or as dead; returns which ("retry" or "dead"). */
    private String fail(String error, boolean permanent) {
        Delivery sending = currentSend;
        Instant now = ctx.now();
        String reason = error == null ? "unknown error" : error;
        if (!permanent && ctx.config().retry().hasAttemptsLeft(sending.attempts())) {
            Instant retryAt = now.plus(ctx.config().retry().delayAfter(sending.attempts(), ctx.random()));
            Delivery retry = sending.retryLater(reason, retryAt, now);
            if (giveBack(retry)) {
                log.atDebug().addKeyValue("deliveryId", sending.id()).addKeyValue("account", account)
                        .addKeyValue("attempt", sending.attempts()).addKeyValue("retryAt", retryAt)
                        .log("delivery failed, will retry: {}", retry.lastError());
                ctx.events().publish(new WaschedEvent.DeliveryRetryScheduled(retry, retry.lastError(), now));
            }
            return "retry";
        } else {
            String why = permanent ? reason : "gave up after " + sending.attempts() + " attempt(s): " + reason;
            Delivery dead = sending.dead(why, now);
            if (update(dead)) {
                log.atWarn().addKeyValue("deliveryId", sending.id()).addKeyValue("scheduleId", sending.scheduleId())
                        .addKeyValue("account", account).addKeyValue("attempt", sending.attempts())
                        .log("delivery moved to the dead-letter queue: {}", dead.lastError());
                ctx.events().publish(new WaschedEvent.DeliveryDead(dead, dead.lastError(), now));
            }
            return "dead";
        }
    }

    /**
     * Writes a transition under the session lease held now. That is the lease the work was claimed under, or this
     * instance's own new epoch after a lapse nobody else used (then nothing else touched the account; had another
     * instance held it meanwhile, it took the work back and the version no longer matches).
     */
    private boolean fencedUpdate(Delivery d) {
        Lease held = lease;
        return held != null && store.deliveries().update(d, held);
    }

    /**
     * Records what became of this instance's own claim or send (given back unsent, retried, dead, UNCERTAIN): under
     * the lease, else by version alone. Claiming and starting a send need the lease; recording what already happened
     * does not: if the account's next owner has taken the delivery over, the version no longer matches and nothing
     * changes, and otherwise the record is the truth. Without this, work whose outcome arrived just as the lease lapsed
     * would stay in this instance's hands, or be marked UNCERTAIN although it is known not sent.
     */
    private boolean giveBack(Delivery d) {
        return fencedUpdate(d) || store.deliveries().update(d);
    }

    private boolean update(Delivery d) {
        boolean ok = giveBack(d);
        if (!ok) {
            log.warn("delivery {} changed concurrently or the session lease was lost; its {} was not recorded", d.id(),
                    d.status());
        }
        return ok;
    }

    /**
     * The message went out but SENT could not be recorded under our lease (it lapsed, and the delivery may have been
     * taken back as UNCERTAIN): the receipt is proof, so it is recorded without the fence, by version.
     */
    private void settleAfterLostLease(Delivery sending, SendReceipt receipt, Instant now) {
        Optional<Delivery> current = store.deliveries().findById(sending.id());
        if (current.isPresent() && (current.get().status() == DeliveryStatus.UNCERTAIN
                || current.get().status() == DeliveryStatus.SENDING)) {
            Delivery d = current.get();
            Delivery settled = d.status() == DeliveryStatus.SENDING
                    ? d.sent(receipt.messageId(), receipt.sentAt(), now)
                    : d.settledAsSent(receipt.messageId(), receipt.sentAt(), now);
            if (store.deliveries().update(settled)) {
                ctx.events().publish(new WaschedEvent.DeliverySent(settled, now));
                applyHeldAck(receipt.messageId(), now);
                return;
            }
        }
        log.error("delivery {} was sent but its record had changed ({}); check it by hand", sending.id(),
                current.map(Delivery::status).orElse(null));
    }

    /**
     * Asks the transport whether UNCERTAIN deliveries went out, at most once per heartbeat interval; a found message
     * becomes SENT. Each pass reads one page of them (going on where the last pass stopped) and makes a bounded
     * number of lookups. A delivery is asked about once when the transport answers; when it cannot tell, again after
     * a growing pause. Runs on the dispatch thread, so lookups never hold up lease renewal.
     */
    public void settleUncertainIfDue() {
        Instant now = ctx.now();
        if (now.isBefore(nextSettleAt) || !ready() || transport == null) {
            return;
        }
        nextSettleAt = now.plus(ctx.config().heartbeatInterval());
        DeliveryQuery q = DeliveryQuery.status(DeliveryStatus.UNCERTAIN).forAccount(account);
        Page<Delivery> page = store.deliveries().history(q,
                new PageRequest(uncertainLookups.cursor(), UNCERTAIN_READ_PER_PASS));
        int lookups = 0;
        for (Delivery d : page.items()) {
            if (lookups == UNCERTAIN_LOOKUPS_PER_PASS || !ready()) {
                return; // the cursor points at the last delivery seen: the next pass goes on from there
            }
            if (uncertainLookups.due(d, now)) {
                lookups++;
                lookUp(d);
            }
            uncertainLookups.continueAfter(d.id());
        }
        page.nextCursor().ifPresentOrElse(uncertainLookups::continueAfter, uncertainLookups::startOver);
    }

    /** A found message proves this delivery only when no other delivery of the account already has its id. */
    private boolean provenFor(Delivery d, String messageId) {
        return store.deliveries().findByTransportMessageId(account, messageId)
                .map(other -> other.id().equals(d.id())).orElse(true);
    }

    private void lookUp(Delivery d) {
        Lease fence = lease;
        if (fence == null) {
            return;
        }
        try {
            byte[] media = d.content().hasMedia() ? store.media().get(d.content().media().sha256()).orElse(null) : null;
            if (d.content().hasMedia() && media == null) {
                log.info("delivery {} is UNCERTAIN and its media is missing from the store: not looked up", d.id());
                uncertainLookups.answered(d);
                return;
            }
            OutgoingMessage probe = new OutgoingMessage(d.id(), account, d.recipient(), d.content(), media, false,
                    d.transportMessageId(), d.sendMarker());
            LookupResult result = withTransport(tr -> tr.lookup(probe));
            if (result instanceof LookupResult.Found found && !provenFor(d, found.receipt().messageId())) {
                result = new LookupResult.Unknown("the message found belongs to another delivery");
            }
            if (result instanceof LookupResult.Unknown unknown) {
                Instant retryAt = uncertainLookups.unanswered(d, ctx.now());
                log.debug("lookup of delivery {} could not tell ({}); asking again at {}", d.id(), unknown.reason(), retryAt);
                return;
            }
            uncertainLookups.answered(d);
            if (result instanceof LookupResult.Found found) {
                Instant at = ctx.now();
                Delivery settled = d.settledAsSent(found.receipt().messageId(), found.receipt().sentAt(), at);
                if (store.deliveries().update(settled, fence)) {
                    log.info("delivery {} was UNCERTAIN and is found in the chat: SENT", d.id());
                    ctx.events().publish(new WaschedEvent.DeliverySent(settled, at));
                    applyHeldAck(found.receipt().messageId(), at);
                }
            } else {
                log.info("delivery {} is UNCERTAIN and not in the chat; it waits for a requeue or to be left", d.id());
            }
        } catch (Exception e) {
            Instant retryAt = uncertainLookups.unanswered(d, ctx.now());
            log.debug("lookup of delivery {} failed ({}); asking again at {}", d.id(), e.toString(), retryAt);
        }
    }
}
