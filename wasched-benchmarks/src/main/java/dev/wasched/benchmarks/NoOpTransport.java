package dev.wasched.benchmarks;

import dev.wasched.contact.PhoneNumber;
import dev.wasched.session.AccountState;
import dev.wasched.spi.transport.MessageTransport;
import dev.wasched.spi.transport.OutgoingMessage;
import dev.wasched.spi.transport.SendReceipt;
import dev.wasched.spi.transport.TransportContext;
import dev.wasched.spi.transport.TransportEvent;
import dev.wasched.spi.transport.RetryableTransportException;
import java.time.Duration;
import java.time.Instant;

/**
 * A transport that sends nothing: it is READY at once and tells its {@link Sink} when it started and what it sent
 * (by default: each message's text, the job key, into the run's log), so the benchmark measures the engine and the
 * store, not WhatsApp.
 */
final class NoOpTransport implements MessageTransport {
    /** What a workload records about the transport; called on the engine's threads. */
    interface Sink {
        default void started(Instant at) {
        }

        void sent(OutgoingMessage message, Instant at);
    }

    private final String account;
    private final Sink sink;
    private volatile AccountState state = AccountState.STOPPED;
    private final Duration latency;
    private final int concurrentSends;

    NoOpTransport(String account, ExecutionLog log) {
        this(account, (message, at) -> log.record(message.content().text(), at));
    }

    NoOpTransport(String account, Sink sink) {
        this(account, sink, Duration.ZERO, 1);
    }

    /**
     * @param latency         how long each send takes (an HTTP API's round trip), zero for none
     * @param concurrentSends how many sends it takes at once, as {@link MessageTransport#maxConcurrentSends}
     */
    NoOpTransport(String account, Sink sink, Duration latency, int concurrentSends) {
        this.account = account;
        this.sink = sink;
        this.latency = latency;
        this.concurrentSends = concurrentSends;
    }

    @Override
    public int maxConcurrentSends() {
        return concurrentSends;
    }

    @Override
    public String account() {
        return account;
    }

    @Override
    public void start(TransportContext context) {
        sink.started(Instant.now());
        state = AccountState.READY;
        context.emit(new TransportEvent.StateChanged(AccountState.READY, "no-op"));
    }

    @Override
    public AccountState state() {
        return state;
    }

    @Override
    public SendReceipt send(OutgoingMessage message) throws RetryableTransportException {
        if (!latency.isZero()) {
            try {
                Thread.sleep(latency.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RetryableTransportException("interrupted before the send");
            }
        }
        Instant now = Instant.now();
        sink.sent(message, now);
        return new SendReceipt(message.deliveryId(), now);
    }

    @Override
    public boolean isRegistered(PhoneNumber number) {
        return true;
    }

    @Override
    public void logout() {
        state = AccountState.LOGGED_OUT;
    }

    @Override
    public void close() {
        state = AccountState.STOPPED;
    }
}
