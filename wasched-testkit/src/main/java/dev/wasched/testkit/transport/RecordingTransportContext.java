package dev.wasched.testkit.transport;

import dev.wasched.session.AccountState;
import dev.wasched.spi.transport.SessionStorage;
import dev.wasched.spi.transport.TransportContext;
import dev.wasched.spi.transport.TransportEvent;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link TransportContext} for testing a transport without the engine: it records every event and keeps the
 * session snapshot in memory, as the engine keeps it in its store. Two contexts given the same {@code session}
 * reference see the same login, like two starts of one account.
 */
public final class RecordingTransportContext implements TransportContext {
    /** Every event the transport emitted, oldest first. */
    public final List<TransportEvent> events = new CopyOnWriteArrayList<>();
    /** The stored session snapshot, or null. */
    public final AtomicReference<byte[]> session;
    /** Why the transport set stored snapshots aside, oldest first. */
    public final List<String> quarantined = new CopyOnWriteArrayList<>();
    private final String account;

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

    /** The events of one type, oldest first. */
    public <T extends TransportEvent> List<T> events(Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** The states the transport reported, in order. */
    public List<AccountState> states() {
        return events(TransportEvent.StateChanged.class).stream().map(TransportEvent.StateChanged::state).toList();
    }
}
