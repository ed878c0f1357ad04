package dev.wasched.testkit.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.wasched.contact.PhoneNumber;
import dev.wasched.delivery.Recipient;
import dev.wasched.message.MessageContent;
import dev.wasched.session.AccountState;
import dev.wasched.spi.transport.LookupResult;
import dev.wasched.spi.transport.MessageTransport;
import dev.wasched.spi.transport.OutgoingMessage;
import dev.wasched.spi.transport.PermanentTransportException;
import dev.wasched.spi.transport.SendReceipt;
import dev.wasched.spi.transport.SessionLostException;
import dev.wasched.spi.transport.TransportEvent;
import dev.wasched.testkit.transport.RecordingTransportContext.Evidence;
import dev.wasched.testkit.transport.RecordingTransportContext.EvidenceKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The contract every {@link MessageTransport} fulfils. A transport's test extends this class and supplies a way to
 * create the transport, to link it (scan the QR code) and to read what a number received.
 *
 * <p>Besides states, sending, sessions and closing, it checks the evidence a transport owes the engine: a send marker
 * before the send action and the message id before {@code send} returns, both on the thread that called {@code send};
 * nothing sent when the marker cannot be stored; sends at once, each sent once, when the transport declares it takes
 * several; and a lookup that answers {@code Found} only with proof, never for an
 * older message that merely has the same text.
 *
 * <p>A transport whose start is costly may let the tests that only need a linked transport share one per test class
 * ({@link #sharesLinkedTransport}).
 */
public abstract class TransportCompatibilityKit {
    /** A fresh transport for the account; several may be created in one test (restarts). */
    protected abstract MessageTransport createTransport(String account);

    /** Completes a login the transport is waiting for (for example: scans the QR payload it reported). */
    protected abstract void link(MessageTransport transport, List<TransportEvent> eventsSoFar);

    /** A number the transport can send to. */
    protected abstract PhoneNumber registeredNumber();

    /** A number that is not on WhatsApp. */
    protected abstract PhoneNumber unregisteredNumber();

    /** Texts the number received, oldest first (the truth, read outside the transport). */
    protected abstract List<String> receivedBy(PhoneNumber number);

    /**
     * Whether the transport implements {@link MessageTransport#lookup}. When it does, a lookup that answers
     * {@code Unknown} fails the kit; when it does not, the lookup test is skipped on {@code Unknown}.
     */
    protected boolean supportsLookup() {
        return false;
    }

    /** How long a start or a link may take. */
    protected Duration readyTimeout() {
        return Duration.ofSeconds(60);
    }

    /**
     * Whether the tests that only need a linked transport (sending, evidence, refusals, lookups) share one per test
     * class instead of each starting and linking its own: worth it where a start is costly (a browser). They stay
     * independent: each sends texts of its own (unique) and reads only their receipts, evidence and arrivals, so none
     * relies on what another left behind, and a transport a test left other than READY is replaced. The tests of
     * starting, linking, restoring and closing always start their own. When this is on, {@link #receivedBy} must read
     * what outlives a test instance (the tests of a class run on instances of their own).
     */
    protected boolean sharesLinkedTransport() {
        return false;
    }

    /** A linked transport and the context it reports to. */
    private record Linked(MessageTransport transport, RecordingTransportContext ctx) {
    }

    /** The linked transport each test class shares when {@link #sharesLinkedTransport} is on. */
    private static final Map<Class<?>, Linked> SHARED = new ConcurrentHashMap<>();

    private final List<MessageTransport> opened = new CopyOnWriteArrayList<>();

    @AfterEach
    void closeTransports() {
        opened.forEach(MessageTransport::close);
    }

    @AfterAll
    static void closeSharedTransportAfterAll(TestInfo info) {
        info.getTestClass().ifPresent(TransportCompatibilityKit::closeSharedTransport);
    }

    /**
     * Closes the linked transport the tests of {@code testClass} shared, if any; a test class calls it from its own
     * {@code @AfterAll} when what the transport talks to closes there (they run before this class's).
     */
    protected static void closeSharedTransport(Class<?> testClass) {
        Linked l = SHARED.remove(testClass);
        if (l != null) {
            l.transport().close();
        }
    }

    private MessageTransport started(String account, RecordingTransportContext ctx) {
        MessageTransport t = createTransport(account);
        opened.add(t);
        t.start(ctx);
        return t;
    }

    /** A READY transport for a test that needs nothing but that: the class's shared one, or one of its own. */
    private Linked linked() {
        if (!sharesLinkedTransport()) {
            RecordingTransportContext ctx = new RecordingTransportContext(account());
            return new Linked(ready(ctx.account(), ctx), ctx);
        }
        Linked shared = SHARED.get(getClass());
        if (shared != null && shared.transport().state() == AccountState.READY) {
            return shared;
        }
        closeSharedTransport(getClass());
        RecordingTransportContext ctx = new RecordingTransportContext(account());
        MessageTransport t = ready(ctx.account(), ctx);
        opened.remove(t); // outlives this test
        shared = new Linked(t, ctx);
        SHARED.put(getClass(), shared);
        return shared;
    }

    private void awaitState(MessageTransport t, AccountState... states) {
        List<AccountState> wanted = List.of(states);
        awaitUntil(() -> wanted.contains(t.state()), () -> "transport stayed " + t.state() + ", expected one of " + wanted);
    }

    /**
     * Waits until {@code ctx} has recorded the state change to {@code state}: a transport sets its state a moment
     * before it reports it, so a state read from the transport does not yet mean the event has reached the engine.
     */
    private void awaitReported(RecordingTransportContext ctx, AccountState state) {
        awaitUntil(() -> ctx.events.stream().anyMatch(
                        e -> e instanceof TransportEvent.StateChanged c && c.state() == state),
                () -> "no " + state + " reported; events: " + ctx.events);
    }

    private void awaitUntil(BooleanSupplier condition, Supplier<String> failure) {
        long deadline = System.nanoTime() + readyTimeout().toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(failure.get());
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    private MessageTransport ready(String account, RecordingTransportContext ctx) {
        MessageTransport t = started(account, ctx);
        awaitState(t, AccountState.READY, AccountState.QR);
        if (t.state() == AccountState.QR) {
            link(t, ctx.events);
            awaitState(t, AccountState.READY);
        }
        awaitReported(ctx, AccountState.READY);
        return t;
    }

    private static OutgoingMessage text(String account, PhoneNumber to, String text) {
        return new OutgoingMessage(UUID.randomUUID().toString(), account,
                Recipient.contact("c-" + to.digits(), to.e164(), null), MessageContent.text(text), null, false);
    }

    /** The same delivery as {@code m}, as the engine hands it to {@code lookup}, with the evidence it stored. */
    private static OutgoingMessage withEvidence(OutgoingMessage m, String knownMessageId, String sendMarker) {
        return new OutgoingMessage(m.deliveryId(), m.account(), m.recipient(), m.content(), m.media(), false,
                knownMessageId, sendMarker);
    }

    /** Another delivery with the same text and recipient as {@code m}. */
    private static OutgoingMessage sameTextAgain(OutgoingMessage m, String sendMarker) {
        return new OutgoingMessage(UUID.randomUUID().toString(), m.account(), m.recipient(), m.content(), m.media(),
                false, null, sendMarker);
    }

    private static String account() {
        return "kit-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void reportsStatesAndBecomesReady() {
        RecordingTransportContext ctx = new RecordingTransportContext(account());
        MessageTransport t = ready(ctx.account(), ctx);
        assertThat(t.account()).isEqualTo(ctx.account());
        assertThat(ctx.events).filteredOn(e -> e instanceof TransportEvent.StateChanged)
                .extracting(e -> ((TransportEvent.StateChanged) e).state()).contains(AccountState.READY);
    }

    @Test
    void sendsATextExactlyOnceAndReturnsAReceipt() throws Exception {
        Linked linked = linked();
        RecordingTransportContext ctx = linked.ctx();
        MessageTransport t = linked.transport();
        String text = "kit " + UUID.randomUUID();
        SendReceipt r = t.send(text(ctx.account(), registeredNumber(), text));
        assertThat(r.messageId()).isNotBlank();
        assertThat(receivedBy(registeredNumber())).filteredOn(text::equals).hasSize(1);
    }

    @Test
    void reportsASendMarkerThenTheMessageIdOnTheSendingThreadBeforeSendReturns() throws Exception {
        Linked linked = linked();
        RecordingTransportContext ctx = linked.ctx();
        MessageTransport t = linked.transport();
        OutgoingMessage m = text(ctx.account(), registeredNumber(), "evidence " + UUID.randomUUID());
        SendReceipt r = t.send(m);
        List<Evidence> reported = ctx.evidenceOf(m.deliveryId());
        assertThat(reported).as("marker and id, as they were reported").isNotEmpty();
        assertThat(reported).allSatisfy(e -> assertThat(e.thread()).as("reported on the thread that called send")
                .isSameAs(Thread.currentThread()));
        assertThat(reported.get(0).kind()).as("the marker comes first").isEqualTo(EvidenceKind.SEND_MARKER);
        assertThat(reported.get(0).value()).isNotBlank();
        assertThat(ctx.lastMessageId(m.deliveryId())).as("the id, reported before send returned")
                .isEqualTo(r.messageId());
        int lastMarker = -1;
        int firstIdAfterIt = -1;
        for (int i = 0; i < reported.size(); i++) {
            if (reported.get(i).kind() == EvidenceKind.SEND_MARKER) {
                lastMarker = i;
            } else if (reported.get(i).value().equals(r.messageId()) && firstIdAfterIt < 0) {
                firstIdAfterIt = i;
            }
        }
        assertThat(firstIdAfterIt).as("the id of the message sent follows the marker of its send action")
                .isGreaterThan(lastMarker);
    }

    /**
     * A transport that declares it takes several sends at once ({@link MessageTransport#maxConcurrentSends}) sends that
     * many started together, each once, each with its own evidence; one that takes one at a time skips this.
     */
    @Test
    void takesAsManySendsAtOnceAsItDeclaresEachSentOnceWithItsOwnEvidence() throws Exception {
        Linked linked = linked();
        RecordingTransportContext ctx = linked.ctx();
        MessageTransport t = linked.transport();
        int atOnce = t.maxConcurrentSends();
        assertThat(atOnce).as("a transport takes at least one send").isPositive();
        assumeTrue(atOnce > 1, "this transport takes one send at a time");
        int n = Math.min(atOnce, 8);
        List<OutgoingMessage> messages = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            messages.add(text(ctx.account(), registeredNumber(), "at once " + i + " " + UUID.randomUUID()));
        }
        ExecutorService callers = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<SendReceipt>> receipts = new ArrayList<>();
            for (OutgoingMessage m : messages) {
                receipts.add(callers.submit(() -> {
                    go.await();
                    return t.send(m);
                }));
            }
            go.countDown();
            Set<String> ids = new HashSet<>();
            for (int i = 0; i < n; i++) {
                String id = receipts.get(i).get(60, TimeUnit.SECONDS).messageId();
                assertThat(ids.add(id)).as("each send its own message id").isTrue();
                assertThat(ctx.lastMessageId(messages.get(i).deliveryId())).as("reported for its own delivery")
                        .isEqualTo(id);
                assertThat(ctx.evidenceOf(messages.get(i).deliveryId()).get(0).kind())
                        .isEqualTo(EvidenceKind.SEND_MARKER);
            }
        } finally {
            callers.shutdownNow();
        }
        List<String> received = receivedBy(registeredNumber());
        for (OutgoingMessage m : messages) {
            assertThat(received).filteredOn(m.content().text()::equals).hasSize(1);
        }
    }

    @Test
    void aSendMarkerThatCannotBeStoredStopsTheSendBeforeAnythingIsSent() throws Exception {
        Linked linked = linked();
        RecordingTransportContext ctx = linked.ctx();
        MessageTransport t = linked.transport();
        ctx.onSendMarker((m, marker) -> {
            throw new IllegalStateException("the store is down");
        });
        String text = "never sent " + UUID.randomUUID();
        try {
            assertThatThrownBy(() -> t.send(text(ctx.account(), registeredNumber(), text)))
                    .as("the marker's failure ends the send").isNotNull();
            assertThat(receivedBy(registeredNumber())).doesNotContain(text);
        } finally {
            ctx.onSendMarker((m, marker) -> { });
        }
        String next = "sent after all " + UUID.randomUUID();
        t.send(text(ctx.account(), registeredNumber(), next));
        assertThat(receivedBy(registeredNumber())).filteredOn(next::equals).hasSize(1);
        assertThat(receivedBy(registeredNumber())).doesNotContain(text);
    }

    @Test
    void anUnregisteredNumberIsAPermanentFailure() throws Exception {
        Linked linked = linked();
        RecordingTransportContext ctx = linked.ctx();
        MessageTransport t = linked.transport();
        assertThatThrownBy(() -> t.send(text(ctx.account(), unregisteredNumber(), "nobody")))
                .isInstanceOf(PermanentTransportException.class);
        assertThat(t.isRegistered(registeredNumber())).isTrue();
        assertThat(t.isRegistered(unregisteredNumber())).isFalse();
    }

    @Test
    void aSendBeforeStartFindsNoSession() {
        MessageTransport t = createTransport(account());
        opened.add(t);
        assertThatThrownBy(() -> t.send(text(t.account(), registeredNumber(), "too early")))
                .isInstanceOf(SessionLostException.class);
    }

    @Test
    void aRestartRestoresTheSessionWithoutANewLogin() throws Exception {
        AtomicReference<byte[]> session = new AtomicReference<>();
        String account = account();
        RecordingTransportContext first = new RecordingTransportContext(account, session);
        MessageTransport t = ready(account, first);
        t.close();
        assertThat(session.get()).as("session saved").isNotNull();
        RecordingTransportContext second = new RecordingTransportContext(account, session);
        MessageTransport again = started(account, second);
        awaitState(again, AccountState.READY);
        assertThat(second.events).noneMatch(e -> e instanceof TransportEvent.QrCode);
        String text = "after restart " + UUID.randomUUID();
        again.send(text(account, registeredNumber(), text));
        assertThat(receivedBy(registeredNumber())).contains(text);
    }

    @Test
    void lookupFindsASentMessageByItsIdOrAfterItsMarkerButNeverAnOlderOneWithTheSameText() throws Exception {
        Linked linked = linked();
        RecordingTransportContext ctx = linked.ctx();
        MessageTransport t = linked.transport();
        String text = "look me up " + UUID.randomUUID();
        OutgoingMessage m = text(ctx.account(), registeredNumber(), text);
        LookupResult before = t.lookup(m);
        assumeTrue(supportsLookup() || !(before instanceof LookupResult.Unknown), "lookup is optional: " + before);
        assertThat(before).as("lookup before the send, without evidence").isNotInstanceOf(LookupResult.Found.class);

        SendReceipt r = t.send(m);
        String marker = ctx.lastSendMarker(m.deliveryId());
        assertThat(t.lookup(withEvidence(m, r.messageId(), marker)).foundReceipt()).as("by the reported id")
                .hasValueSatisfying(f -> assertThat(f.messageId()).isEqualTo(r.messageId()));
        assertThat(t.lookup(withEvidence(m, null, marker)).foundReceipt()).as("after the marker, id lost")
                .hasValueSatisfying(f -> assertThat(f.messageId()).isEqualTo(r.messageId()));

        // Another message goes out after it; its marker describes the chat with the first message in it.
        OutgoingMessage other = text(ctx.account(), registeredNumber(), "in between " + UUID.randomUUID());
        t.send(other);
        String laterMarker = ctx.lastSendMarker(other.deliveryId());
        // A new attempt with the same text (tomorrow's reminder) whose message never went out: the older message
        // with the same text proves nothing.
        assertThat(t.lookup(sameTextAgain(m, laterMarker))).as("same text, attempt started after it")
                .isNotInstanceOf(LookupResult.Found.class);
        assertThat(t.lookup(sameTextAgain(m, null))).as("same text, no evidence at all")
                .isNotInstanceOf(LookupResult.Found.class);
        assertThat(receivedBy(registeredNumber())).filteredOn(text::equals).hasSize(1);
    }

    @Test
    void closeIsIdempotentAndStops() {
        RecordingTransportContext ctx = new RecordingTransportContext(account());
        MessageTransport t = ready(ctx.account(), ctx);
        t.close();
        t.close();
        assertThat(t.state()).isIn(AccountState.STOPPED, AccountState.DISCONNECTED);
        assertThatThrownBy(() -> t.send(text(t.account(), registeredNumber(), "after close")))
                .isInstanceOf(SessionLostException.class);
    }
}
