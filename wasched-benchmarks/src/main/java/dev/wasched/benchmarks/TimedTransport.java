package dev.wasched.benchmarks;

import dev.wasched.contact.PhoneNumber;
import dev.wasched.session.AccountState;
import dev.wasched.spi.transport.LookupResult;
import dev.wasched.spi.transport.MessageTransport;
import dev.wasched.spi.transport.OutgoingMessage;
import dev.wasched.spi.transport.SendReceipt;
import dev.wasched.spi.transport.TransportContext;
import dev.wasched.spi.transport.TransportException;
import java.time.Duration;
import java.util.List;

/** Passes everything to a real transport and records how long each successful {@code send} took. */
final class TimedTransport implements MessageTransport {
    private final MessageTransport target;
    private final List<Duration> sendTimes;

    TimedTransport(MessageTransport target, List<Duration> sendTimes) {
        this.target = target;
        this.sendTimes = sendTimes;
    }

    @Override
    public SendReceipt send(OutgoingMessage message) throws TransportException {
        long t0 = System.nanoTime();
        SendReceipt receipt = target.send(message);
        sendTimes.add(Duration.ofNanos(System.nanoTime() - t0));
        return receipt;
    }

    @Override
    public String account() {
        return target.account();
    }

    @Override
    public void start(TransportContext context) {
        target.start(context);
    }

    @Override
    public AccountState state() {
        return target.state();
    }

    @Override
    public boolean isRegistered(PhoneNumber number) throws TransportException {
        return target.isRegistered(number);
    }

    @Override
    public LookupResult lookup(OutgoingMessage message) throws TransportException {
        return target.lookup(message);
    }

    @Override
    public void logout() throws TransportException {
        target.logout();
    }

    @Override
    public void close() {
        target.close();
    }
}
