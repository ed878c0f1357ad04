package dev.wasched.benchmarks;

import dev.wasched.contact.PhoneNumber;
import dev.wasched.session.AccountState;
import dev.wasched.spi.transport.MessageTransport;
import dev.wasched.spi.transport.OutgoingMessage;
import dev.wasched.spi.transport.SendReceipt;
import dev.wasched.spi.transport.TransportContext;
import dev.wasched.spi.transport.TransportEvent;
import java.time.Instant;

/**
 * A transport that sends nothing: it is READY at once and records each message's text (the job key) in the
 * run's log, so the benchmark measures the engine and the store, not WhatsApp.
 */
final class NoOpTransport implements MessageTransport {
    private final String account;
    private final ExecutionLog log;
    private volatile AccountState state = AccountState.STOPPED;

    NoOpTransport(String account, ExecutionLog log) {
        this.account = account;
        this.log = log;
    }

    @Override
    public String account() {
        return account;
    }

    @Override
    public void start(TransportContext context) {
        state = AccountState.READY;
        context.emit(new TransportEvent.StateChanged(AccountState.READY, "no-op"));
    }

    @Override
    public AccountState state() {
        return state;
    }

    @Override
    public SendReceipt send(OutgoingMessage message) {
        Instant now = Instant.now();
        log.record(message.content().text(), now);
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
