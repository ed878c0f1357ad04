package dev.wasched.spi.transport;

import java.time.Clock;

/** What the engine gives a transport when it starts it. */
public interface TransportContext {
    String account();

    Clock clock();

    /** Reports state changes, login codes and acks; never blocks. */
    void emit(TransportEvent event);

    SessionStorage sessionStorage();
}
