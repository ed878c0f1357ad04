package dev.wasched.testkit.transport;

import dev.wasched.session.AccountState;
import dev.wasched.spi.transport.OutgoingMessage;
import dev.wasched.spi.transport.SessionStorage;
import dev.wasched.spi.transport.TransportContext;
import dev.wasched.spi.transport.TransportEvent;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;

/**
 * A {@link TransportContext} for testing a transport without the engine: it records every event, every send marker
 * and message id the transport reports (with the thread that reported it), and keeps the session snapshot in memory,
 * as the engine keeps it in its store. Two contexts given the same {@code session} reference see the same login, like
 * two starts of one account.
 */
public final class RecordingTransportContext implements TransportContext {
    /** What a transport reported about one send through {@link #sendMarker} or {@link #messageIdSeen}. */
    public enum EvidenceKind { SEND_MARKER, MESSAGE_ID }

    /**
     * One report: which delivery, what kind, the value, and the thread that called (the contract says: the thread
     * that called {@code send}).
     */
    public record Evidence(String deliveryId, EvidenceKind kind, String value, Thread thread) {
    }
    /** Every event the transport emitted, oldest first. */
    public final List<TransportEvent> events = new CopyOnWriteArrayList<>();
    /** The stored session snapshot, or null. */
    public final AtomicReference<byte[]> session;
    /** Why the transport set stored snapshots aside, oldest first. */
    public final List<String> quarantined = new CopyOnWriteArrayList<>();
    /** Every send marker and message id reported, oldest first. */
    public final List<Evidence> evidence = new CopyOnWriteArrayList<>();
    /** How often the transport saved a session snapshot. */
    public final AtomicInteger saves = new AtomicInteger();
    private final String account;
    private volatile BiConsumer<OutgoingMessage, String> onSendMarker = (m, marker) -> { };

    public RecordingTransportContext(String account) {
        this(account, new AtomicReference<>());
    }

    public RecordingTransportContext(String account, AtomicReference<byte[]> session) {
        this.account = account;
        this.session = session;
    }

    @Override
    public String account() {
        return account;
    }

    @Override
    public Clock clock() {
        return Clock.systemUTC();
    }

    @Override
    public void emit(TransportEvent event) {
        events.add(event);
    }

    @Override
    public SessionStorage sessionStorage() {
        return new SessionStorage() {
            @Override
            public Optional<byte[]> load() {
                return Optional.ofNullable(session.get());
            }

            @Override
            public void save(byte[] snapshot) {
                saves.incrementAndGet();
                session.set(snapshot.clone());
            }

            @Override
            public void clear() {
                session.set(null);
            }

            @Override
            public void quarantine(String reason) {
                quarantined.add(reason);
                session.set(null);
            }
        };
    }

    /**
     * Records the marker, after running the action set with {@link #onSendMarker}: an action that throws makes this
     * call throw, as an engine's does when it cannot store the marker (the transport must then send nothing).
     */
    @Override
    public void sendMarker(OutgoingMessage message, String marker) {
        onSendMarker.accept(message, marker);
        evidence.add(new Evidence(message.deliveryId(), EvidenceKind.SEND_MARKER, marker, Thread.currentThread()));
    }

    @Override
    public void messageIdSeen(OutgoingMessage message, String messageId) {
        evidence.add(new Evidence(message.deliveryId(), EvidenceKind.MESSAGE_ID, messageId, Thread.currentThread()));
    }

    /** Runs {@code action} on every {@link #sendMarker} call before recording it; it may throw. */
    public RecordingTransportContext onSendMarker(BiConsumer<OutgoingMessage, String> action) {
        this.onSendMarker = java.util.Objects.requireNonNull(action, "action");
        return this;
    }

    /** The last send marker reported for a delivery, or null. */
    public String lastSendMarker(String deliveryId) {
        return last(deliveryId, EvidenceKind.SEND_MARKER);
    }

    /** The last message id reported for a delivery, or null. */
    public String lastMessageId(String deliveryId) {
        return last(deliveryId, EvidenceKind.MESSAGE_ID);
    }

    /** The reports about one delivery, oldest first. */
    public List<Evidence> evidenceOf(String deliveryId) {
        return evidence.stream().filter(e -> e.deliveryId().equals(deliveryId)).toList();
    }

    private String last(String deliveryId, EvidenceKind kind) {
        String v = null;
        for (Evidence e : evidence) {
            if (e.deliveryId().equals(deliveryId) && e.kind() == kind) {
                v = e.value();
            }
        }
        return v;
    }

    /** The events of one type, oldest first. */
    public <T extends TransportEvent> List<T> events(Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** The states the transport reported, in order. */
    public List<AccountState> states() {
        return events(TransportEvent.StateChanged.class).stream().map(TransportEvent.StateChanged::state).toList();
    }
}
