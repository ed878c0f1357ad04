package dev.wasched.internal.engine;

import dev.wasched.PageRequest;
import dev.wasched.delivery.Delivery;
import dev.wasched.delivery.DeliveryQuery;
import dev.wasched.delivery.DeliveryStatus;
import dev.wasched.event.WaschedEvent;
import dev.wasched.internal.redact.ErrorText;
import dev.wasched.internal.session.SessionVault;
import dev.wasched.session.AccountState;
import dev.wasched.session.AccountStatus;
import dev.wasched.spi.store.Lease;
import dev.wasched.spi.store.WaschedStore;
import dev.wasched.spi.transport.MessageTransport;
import dev.wasched.spi.transport.OutgoingMessage;
import dev.wasched.spi.transport.SentMessage;
import dev.wasched.spi.transport.SessionLostException;
import dev.wasched.spi.transport.SessionStorage;
import dev.wasched.spi.transport.TransportContext;
import dev.wasched.spi.transport.TransportEvent;
import dev.wasched.spi.transport.TransportException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WhatsApp account's session on this instance: holds the session lease (taking back what earlier owners left in
 * flight when it takes it), runs the transport while it does, and turns the transport's events into account states
 * and delivery acks.
 */
public final class AccountSession {
    private static final Logger log = LoggerFactory.getLogger(AccountSession.class);
    private static final int TAKE_BACK_PAGE = 500;
    /** The epoch of a lease's first taking ({@link Lease}). */
    private static final long FIRST_EPOCH = 1;
    /** How many messages awaiting acks are handed to the transport when the account becomes READY. */
    private static final int ACKS_FOLLOWED = 500;
    /** How old a message awaiting acks may be to be followed (its delivery made at most this long ago). */
    private static final Duration ACK_WINDOW = Duration.ofDays(7);

    private final String account;
    private final EngineContext ctx;
    private final WaschedStore store;
    private final String leaseName;
    private final SessionLease lease;
    private final DeliveryLedger ledger;
    private final RunningSend runningSend;
    private final InboundReceiver inbound;
    private final Supplier<MessageTransport> transports;
    private final Executor transportEvents;
    private final BooleanSupplier sendingPaused;
    private final WakeSignal wake;
    /**
     * The transport and the calls it takes at once (one, unless it declares more): the SPI promises a transport no
     * more callers than that, and this keeps the promise.
     */
    private record Running(MessageTransport transport, Semaphore calls, int callsAtOnce) {
        static Running of(MessageTransport t) {
            int n = Math.max(1, Math.min(MAX_CALLS_AT_ONCE, t.maxConcurrentSends()));
            return new Running(t, new Semaphore(n, true), n);
        }
    }

    /** More sends at once than this only make a longer queue inside the transport. */
    static final int MAX_CALLS_AT_ONCE = 1000;

    private volatile MessageTransport transport;
    /** Seals the dispatcher's batch and names its claims never handed to the transport (see {@link #handBack}). */
    private volatile Supplier<Set<String>> unhandedClaims = Set::of;
    private volatile Running running;
    private volatile boolean stopping;
    private volatile AccountState state = AccountState.STOPPED;
    private volatile Instant stateSince;
    private volatile String stateDetail;

    AccountSession(String account, EngineContext ctx, SessionLease lease, DeliveryLedger ledger,
                   RunningSend runningSend, Supplier<MessageTransport> transports, Executor transportEvents,
                   BooleanSupplier sendingPaused, WakeSignal wake, InboundReceiver inbound) {
        this.account = account;
        this.ctx = ctx;
        this.store = ctx.store();
        this.leaseName = leaseName(account);
        this.lease = lease;
        this.ledger = ledger;
        this.runningSend = runningSend;
        this.inbound = inbound;
        this.transports = transports;
        this.transportEvents = transportEvents;
        this.sendingPaused = sendingPaused;
        this.wake = wake;
        this.stateSince = ctx.now();
    }

    /** The name of an account's session lease. */
    static String leaseName(String account) {
        return "session:" + account;
    }

    public String account() {
        return account;
    }

    public boolean owned() {
        return lease.held() != null;
    }

    /** The session lease held now, or null. */
    public Lease lease() {
        return lease.held();
    }

    boolean leaseValid() {
        return lease.valid();
    }

    boolean stopping() {
        return stopping;
    }

    /** Whether the account may send now: lease valid, transport ready, not stopping, sending not paused. */
    public boolean ready() {
        return lease.valid() && state == AccountState.READY && !stopping && !sendingPaused.getAsBoolean();
    }

    public AccountStatus status() {
        String owner = owned() ? ctx.instanceId() : store.leases().owner(leaseName).orElse(null);
        return new AccountStatus(account, owner, true, state, stateSince, stateDetail);
    }

    public MessageTransport transport() {
        return transport;
    }

    // ---- ownership ------------------------------------------------------------------------------------------

    /**
     * The heartbeat renewed {@code renewed} with a statement sent at {@code started} ({@link System#nanoTime()}): the
     * local deadline moves on, unless the session has let go of that lease meanwhile.
     */
    synchronized void renewed(Lease renewed, long started) {
        if (renewed.equals(lease.held())) {
            boolean wasValid = lease.valid();
            lease.hold(renewed, started, ctx.leaseTtl());
            if (!wasValid) {
                wake.signal(); // a stalled renewal went through after the local deadline: sending may go on
            }
        }
    }

    /**
     * The heartbeat did not renew the session lease (or it is not held): takes it when free, and starts or stops the
     * transport to match. While stopping, nothing is taken: the lease was kept until the transport had closed (and
     * saved its session), and is gone now.
     */
    synchronized void notRenewed() {
        Duration ttl = ctx.leaseTtl();
        long started = System.nanoTime();
        Lease held = lease.held();
        if (stopping) {
            if (held != null) {
                log.warn("account {}: session lease (epoch {}) lost while shutting down", account, held.epoch());
                lease.drop();
            }
            return;
        }
        Optional<Lease> taken = store.leases().acquire(leaseName, ctx.instanceId(), ttl);
        if (taken.isEmpty()) {
            if (held != null) {
                log.warn("account {}: session lease (epoch {}) lost to another instance; stopping its transport here",
                        account, held.epoch());
                lease.drop();
                closeTransportElsewhere();
            }
            return;
        }
        lease.hold(taken.get(), started, ttl);
        Lease fence = taken.get();
        if (held != null) {
            // The lease lapsed (a stalled renewal) but nobody took it: the transport never ran anywhere else and
            // stays; what was in flight under the old epoch is settled like anyone else's.
            log.warn("account {}: session lease lapsed and was taken again (epoch {} -> {})", account, held.epoch(),
                    fence.epoch());
            takeBackInFlight(fence, "let its session lease lapse while sending", true);
            wake.signal(); // the transport stayed ready: sending goes on under the new epoch
            return;
        }
        log.info("account {}: session lease taken by instance {} (epoch {})", account, ctx.instanceId(),
                fence.epoch());
        try {
            takeBackInFlight(fence, "stopped while sending", false);
        } catch (RuntimeException e) {
            // Not ours until the takeover is complete: give the lease up and try again at the next heartbeat.
            lease.drop();
            store.leases().release(leaseName, ctx.instanceId());
            throw e;
        }
        startTransport();
    }

    /**
     * Takes back what earlier owners of the account left in flight (claims to PENDING, sends to UNCERTAIN), fenced by
     * the lease just taken, before this instance claims anything under it. After a lapse of this instance's own lease
     * ({@code othersOnly}) its own work is left to its dispatcher, which records every outcome (by version when the
     * lease is gone) and takes back a broken batch itself; only other instances' leftovers are taken here.
     */
    private void takeBackInFlight(Lease fence, String whyUncertain, boolean othersOnly) {
        if (fence.epoch() == FIRST_EPOCH) {
            // Nobody held the lease before, and every claim is fenced by it: nothing of this account can be in flight.
            // Skipping the lookup matters where an account has a long queue, which the lookup would read through.
            return;
        }
        int taken = 0;
        while (true) {
            List<Delivery> inFlight = store.deliveries().findInFlight(account, TAKE_BACK_PAGE);
            int before = taken;
            for (Delivery d : inFlight) {
                if (othersOnly && ctx.instanceId().equals(d.leaseOwner())) {
                    continue;
                }
                if (ledger.takeBack(d, "owner " + d.leaseOwner() + " " + whyUncertain, fence, false)) {
                    taken++;
                }
            }
            if (inFlight.size() < TAKE_BACK_PAGE || taken == before) {
                break;
            }
        }
        if (taken > 0) {
            log.info("account {}: took back {} delivery claim(s) and send(s) left in flight", account, taken);
            wake.signal();
        }
    }

    // ---- transport life cycle -------------------------------------------------------------------------------

    private void startTransport() {
        setState(AccountState.STARTING, null);
        try {
            SessionVault vault = new SessionVault(account, store.sessions(), ctx.config().sessionKey(),
                    ctx.config().previousSessionKey(), ctx.config().adoptUnencryptedSessions(), ctx.clock(),
                    ctx.events(), lease::held);
            Optional<String> problem = vault.problem();
            if (problem.isPresent()) {
                // Starting would log in afresh and replace a good login that is only under another key.
                setState(AccountState.FAILED, problem.get());
                return;
            }
            MessageTransport t = transports.get();
            running = Running.of(t);
            transport = t;
            t.start(new Context(t, vault));
        } catch (RuntimeException e) {
            log.error("account {}: transport failed to start", account, e);
            setState(AccountState.FAILED, "start failed: " + e.getMessage());
        }
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
            Thread closer = Threads.named("wasched-close-" + account).newThread(() -> close(t));
            closer.start();
        }
    }

    private void closeTransport() {
        MessageTransport t = transport;
        transport = null;
        if (t != null) {
            close(t);
        }
        setState(AccountState.STOPPED, null);
    }

    private void close(MessageTransport t) {
        try {
            t.close();
        } catch (RuntimeException e) {
            log.warn("account {}: transport close failed", account, e);
        }
    }

    /** A send found the session unusable: the account waits for the transport to report it ready again. */
    void sessionLost(MessageTransport sentOn, String why) {
        if (state == AccountState.READY && sentOn != null && lease.valid()) {
            setState(AccountState.DISCONNECTED, why);
        }
    }

    /** Stops claiming and sending for the account; what runs ends, and the session stays until {@link #shutdown()}. */
    public void stopClaiming() {
        stopping = true;
        wake.signal();
    }

    /**
     * Shutdown, once dispatching has stopped or the shutdown timeout is over: gives back the claims of this account
     * that have not started sending and marks sends still running UNCERTAIN (closing the transport may cut such a send
     * off after the message left; should it still finish, its receipt settles the delivery as SENT), closes the
     * transport (it saves its session, still under the lease, which the heartbeat keeps renewing) and then gives the
     * session lease back at once.
     */
    /** Wires the account's dispatcher in: at a stop, the claims it never handed over go back unsent. */
    void unhandedClaims(Supplier<Set<String>> sealAndName) {
        this.unhandedClaims = sealAndName;
    }

    public void shutdown() {
        stopClaiming();
        Lease held = lease.held();
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
            lease.drop();
        }
        store.leases().release(leaseName, ctx.instanceId());
    }

    private void handBack(Lease fence) {
        int released = 0;
        String whyUncertain = "instance " + ctx.instanceId() + " shut down while sending";
        // Sealed first: what the dispatcher never handed to the transport stays unsent, even if a hung send returns.
        Set<String> unsent = unhandedClaims.get();
        for (Delivery d : store.deliveries().findInFlight(account, 10_000)) {
            if (!ctx.instanceId().equals(d.leaseOwner())) {
                continue;
            }
            if (d.status() == DeliveryStatus.SENDING && unsent.contains(d.id()) && !ledger.isQueued(d.id())) {
                if (ledger.notStartedNow(d, ctx.now())) {
                    released++;
                }
            } else if (ledger.takeBack(d, whyUncertain, fence, false) && d.status() == DeliveryStatus.CLAIMED) {
                released++;
            }
        }
        if (released > 0) {
            log.info("account {}: handed back {} claimed deliveries", account, released);
        }
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

    /** A call on the account's transport, made while no more calls run on it than it takes at once. */
    @FunctionalInterface
    public interface TransportCall<T> {
        T call(MessageTransport transport) throws TransportException;
    }

    /**
     * Runs {@code call} on this account's transport, waiting while it already runs as many calls as it takes at once
     * (one, unless it declares more).
     *
     * @throws SessionLostException when this instance does not run the account's transport
     */
    public <T> T withTransport(TransportCall<T> call) throws TransportException {
        MessageTransport t = transport;
        Running r = running;
        if (t == null || r == null || r.transport() != t) {
            throw new SessionLostException("account " + account + " is not running on this instance");
        }
        r.calls().acquireUninterruptibly();
        try {
            return call.call(t);
        } finally {
            r.calls().release();
        }
    }

    /** How many sends the running transport takes at once (1 when none runs). */
    int sendsAtOnce() {
        Running r = running;
        return r == null || r.transport() != transport ? 1 : r.callsAtOnce();
    }

    // ---- transport events -----------------------------------------------------------------------------------

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
            runningSend.recordMarker(message, marker, lease.valid());
        }

        @Override
        public void messageIdSeen(OutgoingMessage message, String messageId) {
            runningSend.recordMessageId(message, messageId);
        }
    }

    /**
     * Hands the transport the account's recent messages still waiting for acks (newest first, at most
     * {@value #ACKS_FOLLOWED}, sent within {@link #ACK_WINDOW}): acks that came while nobody listened are learnt now.
     */
    private void followAcks(Instant now) {
        MessageTransport t = transport;
        if (t == null) {
            return;
        }
        Instant since = now.minus(ACK_WINDOW);
        DeliveryQuery waiting = DeliveryQuery.status(DeliveryStatus.SENT, DeliveryStatus.DELIVERED).forAccount(account)
                .between(since, null);
        List<SentMessage> sent = new ArrayList<>();
        for (Delivery d : store.deliveries().history(waiting, PageRequest.first(ACKS_FOLLOWED)).items()) {
            if (d.transportMessageId() != null && d.sentAt() != null && d.sentAt().isAfter(since)) {
                sent.add(new SentMessage(d.transportMessageId(), d.recipient(), d.status(), d.sentAt()));
            }
        }
        if (!sent.isEmpty()) {
            log.debug("account {}: following the acks of {} messages sent earlier", account, sent.size());
            t.followAcks(List.copyOf(sent));
        }
    }

    private void onTransportEvent(TransportEvent event) {
        Instant now = ctx.now();
        try {
            if (event instanceof TransportEvent.StateChanged s) {
                AccountState before = state;
                setState(s.state(), s.detail());
                if (s.state() == AccountState.READY && before != AccountState.READY) {
                    followAcks(now);
                }
            } else if (event instanceof TransportEvent.QrCode qr) {
                ctx.events().publish(new WaschedEvent.LoginQrCode(account, qr.payload(), now));
            } else if (event instanceof TransportEvent.PairingCode code) {
                ctx.events().publish(new WaschedEvent.LoginPairingCode(account, code.code(), now));
            } else if (event instanceof TransportEvent.Ack ack) {
                ledger.applyAck(ack, now);
            } else if (event instanceof TransportEvent.Undelivered undelivered) {
                ledger.applyUndelivered(undelivered, now);
            } else if (event instanceof TransportEvent.MessageReceived received) {
                inbound.receive(received, now);
            }
        } catch (RuntimeException e) {
            log.warn("account {}: transport event {} not applied", account, event.getClass().getSimpleName(), e);
        }
    }
}
