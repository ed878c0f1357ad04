package dev.wasched.benchmarks;

import dev.wasched.spi.transport.MessageTransport;
import dev.wasched.spi.transport.OutgoingMessage;
import dev.wasched.spi.transport.SendReceipt;
import dev.wasched.spi.transport.TransportException;
import dev.wasched.testkit.transport.ForwardingTransport;
import java.time.Duration;
import java.util.List;

/** Passes everything to a real transport and records how long each successful {@code send} took. */
final class TimedTransport extends ForwardingTransport {
    private final List<Duration> sendTimes;

    TimedTransport(MessageTransport target, List<Duration> sendTimes) {
        super(target);
        this.sendTimes = sendTimes;
    }

    @Override
    public SendReceipt send(OutgoingMessage message) throws TransportException {
        long t0 = System.nanoTime();
        SendReceipt receipt = delegate.send(message);
        sendTimes.add(Duration.ofNanos(System.nanoTime() - t0));
        return receipt;
    }
}
