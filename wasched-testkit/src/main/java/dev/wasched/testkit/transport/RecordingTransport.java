package dev.wasched.testkit.transport;

import dev.wasched.contact.PhoneNumber;
import dev.wasched.delivery.DeliveryStatus;
import dev.wasched.session.AccountState;
import dev.wasched.spi.transport.LookupResult;
import dev.wasched.spi.transport.MessageTransport;
import dev.wasched.spi.transport.OutcomeUnknownException;
import dev.wasched.spi.transport.OutgoingMessage;
import dev.wasched.spi.transport.PermanentTransportException;
import dev.wasched.spi.transport.RetryableTransportException;
import dev.wasched.spi.transport.SendReceipt;
import dev.wasched.spi.transport.SentMessage;
import dev.wasched.spi.transport.SessionLostException;
import dev.wasched.spi.transport.TransportContext;
import dev.wasched.spi.transport.TransportEvent;
import dev.wasched.spi.transport.TransportException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A transport that records what it "sends" into a {@link MessageLog} instead of talking to WhatsApp, with faults a
 * test can program: retryable failures, permanent failures, lost sessions, outcome-unknown failures (with or without
 * the message having gone out), slow or blocked sends, random failures, and a login that waits for a QR scan.
 * Thread-safe.
 *
 * <p>It follows the transport contract: right before its "send action" it reports a send marker (the id of the newest
 * message it sent from this account to the recipient, or {@code "none"}) through
 * {@link TransportContext#sendMarker}, and sends nothing when that throws; it reports the new message's id through
 * {@link TransportContext#messageIdSeen} before {@code send} returns. Its {@link #lookup} answers {@code Found} only
 * with proof: the message with the attempt's {@code knownMessageId}, or its own record of a message sent for this
 * delivery. The log is the whole chat, so anything else is {@code NotFound}.
 */
public final class RecordingTransport implements MessageTransport {
    private final String account;
    private final MessageLog log;
    private volatile TransportContext context;
    private volatile AccountState state = AccountState.STOPPED;
    private volatile boolean requireLogin;
    private final AtomicInteger retryableFailures = new AtomicInteger();
    private static final java.util.Set<AccountState> SCREENS = java.util.EnumSet.of(AccountState.OFFLINE,
            AccountState.RESTRICTED, AccountState.CONFLICT, AccountState.NEEDS_PASSKEY);
    private final AtomicInteger sessionLosses = new AtomicInteger();
    private final java.util.concurrent.atomic.AtomicReference<Object[]> screenOnNextSend =
            new java.util.concurrent.atomic.AtomicReference<>();
    private final AtomicInteger unknownOutcomesSent = new AtomicInteger();
    private final AtomicInteger unknownOutcomesUnsent = new AtomicInteger();
    private final Set<String> permanentRecipients = new HashSet<>();
    private final Set<String> unregistered = new HashSet<>();
    private volatile Duration sendDelay = Duration.ZERO;
    private volatile CountDownLatch gate;
    private volatile boolean closeCutsOffSends;
    private volatile double randomFailureRate;
    private volatile Random random = new Random(1);
    private final AtomicInteger starts = new AtomicInteger();
    private final AtomicInteger closes = new AtomicInteger();
    private final AtomicInteger attempts = new AtomicInteger();
    private final AtomicInteger lookups = new AtomicInteger();
    private final AtomicInteger unknownLookups = new AtomicInteger();
    private volatile Consumer<MessageLog.Entry> onSent = entry -> { };
    private volatile int concurrentSends = 1;
    private final AtomicInteger sendsRunning = new AtomicInteger();
    private final AtomicInteger mostSendsAtOnce = new AtomicInteger();

    private final List<SentMessage> followed = new java.util.concurrent.CopyOnWriteArrayList<>();

    public RecordingTransport(String account) {
        this(account, new MessageLog());
    }

    public RecordingTransport(String account, MessageLog log) {
        this.account = account;
        this.log = log;
    }

    public MessageLog log() {
        return log;
    }

    /** Messages this transport sent, oldest first. */
    public List<MessageLog.Entry> sent() {
        return log.entries().stream().filter(e -> e.account().equals(account)).toList();
    }

    // ---- programmable behaviour -----------------------------------------------------------------------------

    /** The next {@code n} sends fail with a retryable error. */
    public RecordingTransport failNext(int n) {
        retryableFailures.addAndGet(n);
        return this;
    }

    /** Sends to this address (E.164 or group name) fail permanently. */
    public synchronized RecordingTransport failPermanentlyFor(String address) {
        permanentRecipients.add(address);
        return this;
    }

    /** The next {@code n} sends find the session lost (nothing is sent; the state becomes DISCONNECTED). */
    public RecordingTransport loseSessionNext(int n) {
        sessionLosses.addAndGet(n);
        return this;
    }

    /**
     * The next {@code n} sends fail with {@link OutcomeUnknownException} after their send action: with
     * {@code sent}, the message went out (it is in the log and its id was reported), as when the connection drops
     * before the confirmation; without, nothing went out although the transport cannot know that.
     */
    public RecordingTransport failOutcomeUnknownNext(int n, boolean sent) {
        (sent ? unknownOutcomesSent : unknownOutcomesUnsent).addAndGet(n);
        return this;
    }

    /** The next {@code n} lookups answer {@link LookupResult.Unknown}, as when the chat could not be read. */
    public RecordingTransport answerLookupsUnknown(int n) {
        unknownLookups.addAndGet(n);
        return this;
    }

    /** Each send fails (retryable) with this probability, from a seeded generator. */
    public RecordingTransport failRandomly(double rate, long seed) {
        this.random = new Random(seed);
        this.randomFailureRate = rate;
        return this;
    }

    /** Every send takes this long (real time). */
    public RecordingTransport slowSends(Duration delay) {
        this.sendDelay = delay;
        return this;
    }

    /** Sends block until {@link #releaseSends()}; a test uses this to catch an engine mid-send. */
    public RecordingTransport blockSends() {
        this.gate = new CountDownLatch(1);
        return this;
    }

    /**
     * Blocked sends (see {@link #blockSends()}) wait after their send action instead of before it, and one still
     * blocked when the transport closes fails with {@link OutcomeUnknownException}: its message went out (it is in
     * the log, its id was reported), as when a browser is closed between pressing send and seeing the tick. Without
     * this, sends block before their send action and closing releases them to succeed.
     */
    public RecordingTransport cutOffSendsOnClose() {
        this.closeCutsOffSends = true;
        return this;
    }

    public RecordingTransport releaseSends() {
        CountDownLatch g = gate;
        gate = null;
        if (g != null) {
            g.countDown();
        }
        return this;
    }

    /**
     * Runs {@code action} on the sending thread after each message is recorded and before {@code send} returns: the
     * moment a transport that sees the tick at once reports an ack, before the engine has stored the send.
     */
    public RecordingTransport onSent(Consumer<MessageLog.Entry> action) {
        this.onSent = java.util.Objects.requireNonNull(action, "action");
        return this;
    }

    public synchronized RecordingTransport unregistered(String e164) {
        unregistered.add(e164);
        return this;
    }

    /** Start waits in state QR (with a payload event) until {@link #scanQr()}. */
    public RecordingTransport requireLogin() {
        this.requireLogin = true;
        return this;
    }

    public void scanQr() {
        requireLogin = false;
        context.sessionStorage().save(("session-of-" + account).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        moveTo(AccountState.READY, "linked");
    }

    /** The connection drops (DISCONNECTED) until {@link #reconnect()}. */
    public void disconnect() {
        moveTo(AccountState.DISCONNECTED, "connection lost");
    }

    public void reconnect() {
        moveTo(AccountState.READY, "reconnected");
    }

    /**
     * The page shows a screen that stops sending, as a browser transport reports it ({@link AccountState#OFFLINE},
     * {@link AccountState#RESTRICTED}, {@link AccountState#CONFLICT}, {@link AccountState#NEEDS_PASSKEY}...), until
     * {@link #reconnect()}. Sends and registration checks refuse with {@link SessionLostException} meanwhile.
     */
    public void showScreen(AccountState screen, String detail) {
        moveTo(screen, detail);
    }

    /**
     * The next send finds {@code screen} instead of the compose box: it reports the state and refuses with
     * {@link SessionLostException} before sending anything.
     */
    public RecordingTransport showScreenOnNextSend(AccountState screen, String detail) {
        screenOnNextSend.set(new Object[] {screen, detail});
        return this;
    }

    /** Reports a delivered or read ack for a message id returned by an earlier send. */
    public void ack(String messageId, DeliveryStatus level) {
        context.emit(new TransportEvent.Ack(messageId, level));
    }

    /** Reports that a message returned by an earlier send will not be delivered after all (as the Cloud API can). */
    public void undelivered(String messageId, String error) {
        context.emit(new TransportEvent.Undelivered(messageId, error));
    }

    /**
     * Reports a message someone sent to the account: from {@code sender} (E.164, or a LID such as
     * {@code 123@lid}), in the sender's direct chat, quoting {@code quotedMessageId} (or null), sent now.
     */
    public void receive(String messageId, String sender, String text, String quotedMessageId) {
        String chat = sender.startsWith("+") ? sender.substring(1) + "@c.us" : sender;
        context.emit(new TransportEvent.MessageReceived(messageId, sender, chat, text, null, quotedMessageId,
                context.clock().instant()));
    }

    public int starts() {
        return starts.get();
    }

    public int closes() {
        return closes.get();
    }

    /** Send calls so far, failed ones included. */
    public int attempts() {
        return attempts.get();
    }

    /** Lookup calls so far, unanswered ones included. */
    public int lookups() {
        return lookups.get();
    }

    private void moveTo(AccountState next, String detail) {
        state = next;
        TransportContext c = context;
        if (c != null) {
            c.emit(new TransportEvent.StateChanged(next, detail));
        }
    }

    // ---- MessageTransport -----------------------------------------------------------------------------------

    @Override
    public String account() {
        return account;
    }

    @Override
    public void start(TransportContext ctx) {
        this.context = ctx;
        starts.incrementAndGet();
        moveTo(AccountState.STARTING, null);
        boolean restored = ctx.sessionStorage().load().isPresent();
        if (requireLogin && !restored) {
            moveTo(AccountState.QR, null);
            ctx.emit(new TransportEvent.QrCode("2@" + UUID.randomUUID()));
        } else {
            moveTo(AccountState.READY, restored ? "session restored" : null);
        }
    }

    @Override
    public AccountState state() {
        return state;
    }

    @Override
    public SendReceipt send(OutgoingMessage m) throws TransportException {
        attempts.incrementAndGet();
        int running = sendsRunning.incrementAndGet();
        mostSendsAtOnce.accumulateAndGet(running, Math::max);
        try {
            return sendCounted(m);
        } finally {
            sendsRunning.decrementAndGet();
        }
    }

    /**
     * Declares that this transport takes {@code n} sends at once (like an HTTP API); takes effect when it is started.
     */
    public RecordingTransport concurrentSends(int n) {
        this.concurrentSends = n;
        return this;
    }

    @Override
    public int maxConcurrentSends() {
        return concurrentSends;
    }

    /** The most sends that ran on this transport at the same time. */
    public int mostSendsAtOnce() {
        return mostSendsAtOnce.get();
    }

    private SendReceipt sendCounted(OutgoingMessage m) throws TransportException {
        if (state != AccountState.READY) {
            throw new SessionLostException("account " + account + " is " + state);
        }
        Object[] screen = screenOnNextSend.getAndSet(null);
        if (screen != null) {
            moveTo((AccountState) screen[0], (String) screen[1]);
            throw new SessionLostException("account " + account + " is " + screen[0]);
        }
        if (sessionLosses.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            moveTo(AccountState.DISCONNECTED, "session lost while sending");
            throw new SessionLostException("session lost");
        }
        // A send that close cuts off is held between its send action and the confirmation; others before the action.
        boolean holdAfterAction = closeCutsOffSends;
        if (!holdAfterAction) {
            awaitGateAndDelay();
        }
        synchronized (this) {
            if (unregistered.contains(m.recipient().address())) {
                throw new PermanentTransportException("number " + m.recipient().address() + " is not on WhatsApp");
            }
            if (permanentRecipients.contains(m.recipient().address())) {
                throw new PermanentTransportException("recipient " + m.recipient().address() + " is invalid");
            }
        }
        if (retryableFailures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new RetryableTransportException("injected failure");
        }
        if (randomFailureRate > 0) {
            boolean fail;
            synchronized (this) {
                fail = random.nextDouble() < randomFailureRate;
            }
            if (fail) {
                throw new RetryableTransportException("injected random failure");
            }
        }
        // The send action: what the chat looked like right before it goes to the engine first.
        context.sendMarker(m, markerFor(m));
        if (unknownOutcomesUnsent.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new OutcomeUnknownException("injected: the connection dropped while the message was handed over");
        }
        Instant now = context.clock().instant();
        String id = "msg-" + UUID.randomUUID();
        MessageLog.Entry entry = new MessageLog.Entry(account, m.deliveryId(), id, m.recipient().address(),
                m.content().text(), m.content().hasMedia() ? m.content().media().sha256() : null, now);
        log.add(entry);
        context.messageIdSeen(m, id);
        if (holdAfterAction) {
            try {
                awaitGateAndDelay();
            } catch (RetryableTransportException e) {
                throw new OutcomeUnknownException("the send was not confirmed: " + e.getMessage());
            }
            if (state == AccountState.STOPPED) {
                throw new OutcomeUnknownException("transport closed before the send was confirmed");
            }
        }
        if (unknownOutcomesSent.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new OutcomeUnknownException("injected: the connection dropped before the send was confirmed");
        }
        onSent.accept(entry);
        return new SendReceipt(id, now);
    }

    /** The id of the newest message this account sent to the recipient, or {@code "none"}. */
    private String markerFor(OutgoingMessage m) {
        String marker = "none";
        for (MessageLog.Entry e : log.entries()) {
            if (e.account().equals(account) && e.recipient().equals(m.recipient().address())) {
                marker = e.messageId();
            }
        }
        return marker;
    }

    private void awaitGateAndDelay() throws RetryableTransportException {
        try {
            CountDownLatch g = gate;
            if (g != null && !g.await(60, TimeUnit.SECONDS)) {
                throw new RetryableTransportException("blocked send was never released");
            }
            if (!sendDelay.isZero()) {
                Thread.sleep(sendDelay.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RetryableTransportException("interrupted");
        }
    }

    @Override
    public synchronized boolean isRegistered(PhoneNumber number) throws SessionLostException {
        if (SCREENS.contains(state)) {
            // A page that cannot reach WhatsApp cannot judge a number; it must not call it unregistered.
            throw new SessionLostException("account " + account + " is " + state);
        }
        return !unregistered.contains(number.e164());
    }

    /**
     * {@code Found} with the message of {@code m.knownMessageId()}, or with the message this transport recorded for
     * the delivery; otherwise {@code NotFound} (the log holds every message sent, so nothing older can be mistaken for
     * this attempt's). A message of another delivery with the same text is never an answer.
     */
    @Override
    public LookupResult lookup(OutgoingMessage m) {
        lookups.incrementAndGet();
        if (unknownLookups.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            return new LookupResult.Unknown("injected: chat not readable");
        }
        for (MessageLog.Entry e : log.entries()) {
            boolean sameChat = e.account().equals(account) && e.recipient().equals(m.recipient().address());
            if (sameChat && (e.messageId().equals(m.knownMessageId()) || e.deliveryId().equals(m.deliveryId()))) {
                return new LookupResult.Found(new SendReceipt(e.messageId(), e.at()));
            }
        }
        return new LookupResult.NotFound();
    }

    @Override
    public void followAcks(List<SentMessage> messages) {
        followed.addAll(messages);
    }

    /** The messages awaiting acks the engine handed over ({@link MessageTransport#followAcks}), in order. */
    public List<SentMessage> followed() {
        return List.copyOf(followed);
    }

    @Override
    public String requestPairingCode(PhoneNumber phone) {
        String code = "ABCD-" + phone.digits().substring(phone.digits().length() - 4);
        context.emit(new TransportEvent.PairingCode(code));
        return code;
    }

    @Override
    public void logout() {
        context.sessionStorage().clear();
        moveTo(AccountState.LOGGED_OUT, "logged out");
    }

    @Override
    public void close() {
        if (state != AccountState.STOPPED) {
            closes.incrementAndGet();
        }
        // Stopped before blocked sends wake up, so they see that they were cut off.
        state = AccountState.STOPPED;
        releaseSends();
    }
}
