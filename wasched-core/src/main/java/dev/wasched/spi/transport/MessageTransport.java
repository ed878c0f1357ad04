package dev.wasched.spi.transport;

import dev.wasched.contact.PhoneNumber;
import dev.wasched.session.AccountState;

/** Sends messages through one WhatsApp account. See the package documentation for the engine's guarantees. */
public interface MessageTransport extends AutoCloseable {
    /** The account name this transport serves; unique within an engine. */
    String account();

    /**
     * Starts connecting (restoring the stored session when there is one) and returns; progress arrives as
     * {@link TransportEvent.StateChanged} events. Called again after {@link #close()} only on a new instance.
     */
    void start(TransportContext context);

    AccountState state();

    /** Sends one message and returns once WhatsApp accepted it. */
    SendReceipt send(OutgoingMessage message) throws TransportException;

    /** Whether the number has WhatsApp. */
    boolean isRegistered(PhoneNumber number) throws TransportException;

    /** Looks for an earlier message in the chat (to settle UNCERTAIN deliveries). */
    default LookupResult lookup(OutgoingMessage message) throws TransportException {
        return LookupResult.unsupported();
    }

    /** Starts a login by pairing code for the given phone; the code arrives as a {@link TransportEvent.PairingCode}. */
    default String requestPairingCode(PhoneNumber phone) throws TransportException {
        throw new PermanentTransportException("pairing-code login is not supported by " + getClass().getSimpleName());
    }

    /** Logs the device out of WhatsApp. */
    void logout() throws TransportException;

    /** Stops the transport and frees everything it holds (browser processes included). Safe to call twice. */
    @Override
    void close();
}
