package dev.wasched.spi.transport;

import java.time.Clock;

/** What the engine gives a transport when it starts it. */
public interface TransportContext {
    String account();

    Clock clock();

    /** Reports state changes, login codes and acks; never blocks. */
    void emit(TransportEvent event);

    SessionStorage sessionStorage();

    /**
     * Records, before the send action, what this chat looked like (a transport-defined marker such as the id of the
     * newest message there), so that a later {@link MessageTransport#lookup} can tell a message of this attempt from
     * older ones with the same text. Called on the sending thread; returns once the marker is stored with the
     * delivery. When it throws, nothing may be sent: let the exception end the send (the attempt is retried).
     */
    default void sendMarker(OutgoingMessage message, String marker) {
    }

    /**
     * Hands the engine the id WhatsApp gave the message as soon as the transport sees it, before it has confirmed the
     * send. The engine stores it with the delivery, so a send whose confirmation is lost can later be looked up by
     * its id. Called on the sending thread; returns once stored. A failure to store it is the engine's to log: the
     * transport goes on confirming.
     */
    default void messageIdSeen(OutgoingMessage message, String messageId) {
    }
}
