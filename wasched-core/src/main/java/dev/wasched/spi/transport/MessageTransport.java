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

    /**
     * How many calls this transport takes at once: 1 (the default) for one that must be called by one thread at a
     * time, like a browser page. A transport that returns more (an HTTP API) must take that many calls of any kind at
     * once (each send reports its own marker and message id; the message names the delivery); the engine then keeps up to
     * that many of an account's sends in flight when its pacing has no gap between sends, never more than the send
     * window ({@code WaschedBuilder.sendWindow}). Read once, when the transport is started.
     */
    default int maxConcurrentSends() {
        return 1;
    }

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

    /**
     * Messages sent earlier whose acks are still awaited, handed over each time the account becomes READY: acks that
     * arrived while the engine (or the transport's page) was down left no event behind. The transport reports what it
     * learns of them as {@link TransportEvent.Ack}s, as for the messages it sends, and returns at once (it must not
     * do the work on the caller's thread). The default learns nothing.
     */
    default void followAcks(java.util.List<SentMessage> messages) {
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
