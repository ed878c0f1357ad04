package dev.wasched.whatsapp;

import dev.wasched.session.AccountState;
import dev.wasched.spi.transport.SessionStorage;
import dev.wasched.spi.transport.TransportContext;
import dev.wasched.spi.transport.TransportEvent;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/** A transport context that records events and keeps the session in memory, as the engine would in its store. */
final class RecordingContext implements TransportContext {
    final List<TransportEvent> events = new CopyOnWriteArrayList<>();
    final AtomicReference<byte[]> session;
    /** Why the transport set stored snapshots aside, oldest first. */
    final List<String> quarantined = new CopyOnWriteArrayList<>();
    private final String account;

    RecordingContext(String account) {
        this(account, new AtomicReference<>());
    }

    RecordingContext(String account, AtomicReference<byte[]> session) {
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

    <T extends TransportEvent> List<T> events(Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    List<AccountState> states() {
        return events(TransportEvent.StateChanged.class).stream().map(TransportEvent.StateChanged::state).toList();
    }
}
