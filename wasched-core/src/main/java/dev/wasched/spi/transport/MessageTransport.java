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

    /**
     * Sends one message and returns once WhatsApp accepted it. Before the send action, report a
     * {@link TransportContext#sendMarker}; as soon as the message's id is known, {@link TransportContext#messageIdSeen}.
     * A failure after the message may have left is an {@link OutcomeUnknownException}, never a retryable one.
     */
    SendReceipt send(OutgoingMessage message) throws TransportException;

    /** Whether the number has WhatsApp. */
    boolean isRegistered(PhoneNumber number) throws TransportException;

    /**
     * Looks for the message of an earlier attempt (to settle UNCERTAIN deliveries). {@link LookupResult.Found} needs
     * proof that this attempt sent it: the message with {@code message.knownMessageId()}, or one that matches and
     * was sent after the chat state recorded in {@code message.sendMarker()}. An older message with the same text is
     * no proof: answer {@link LookupResult.Unknown}.
     */
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
