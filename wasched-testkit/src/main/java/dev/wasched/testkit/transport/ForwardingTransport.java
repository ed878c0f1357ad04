package dev.wasched.testkit.transport;

import dev.wasched.contact.PhoneNumber;
import dev.wasched.session.AccountState;
import dev.wasched.spi.transport.LookupResult;
import dev.wasched.spi.transport.MessageTransport;
import dev.wasched.spi.transport.OutgoingMessage;
import dev.wasched.spi.transport.SendReceipt;
import dev.wasched.spi.transport.TransportContext;
import dev.wasched.spi.transport.TransportException;
import java.util.Objects;

/**
 * A transport that forwards every call to another one; a test overrides only what it changes (time a send, write a
 * journal, fail a check, keep the context it was started with).
 */
public class ForwardingTransport implements MessageTransport {
    protected final MessageTransport delegate;

    public ForwardingTransport(MessageTransport delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    @Override
    public String account() {
        return delegate.account();
    }

    @Override
    public void start(TransportContext context) {
        delegate.start(context);
    }

    @Override
    public AccountState state() {
        return delegate.state();
    }

    @Override
    public SendReceipt send(OutgoingMessage message) throws TransportException {
        return delegate.send(message);
    }

    @Override
    public int maxConcurrentSends() {
        return delegate.maxConcurrentSends();
    }

    @Override
    public boolean isRegistered(PhoneNumber number) throws TransportException {
        return delegate.isRegistered(number);
    }

    @Override
    public LookupResult lookup(OutgoingMessage message) throws TransportException {
        return delegate.lookup(message);
    }

    @Override
    public String requestPairingCode(PhoneNumber phone) throws TransportException {
        return delegate.requestPairingCode(phone);
    }

    @Override
    public void logout() throws TransportException {
        delegate.logout();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
