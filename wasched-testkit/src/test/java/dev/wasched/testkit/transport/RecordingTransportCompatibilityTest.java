package dev.wasched.testkit.transport;

import dev.wasched.contact.PhoneNumber;
import dev.wasched.spi.transport.MessageTransport;
import dev.wasched.spi.transport.TransportEvent;
import java.util.List;

class RecordingTransportCompatibilityTest extends TransportCompatibilityKit {
    private final MessageLog log = new MessageLog();

    @Override
    protected MessageTransport createTransport(String account) {
        return new RecordingTransport(account, log).requireLogin().unregistered("+4915199999999");
    }

    @Override
    protected void link(MessageTransport transport, List<TransportEvent> eventsSoFar) {
        ((RecordingTransport) transport).scanQr();
    }

    @Override
    protected boolean supportsLookup() {
        return true;
    }

    @Override
    protected PhoneNumber registeredNumber() {
        return PhoneNumber.of("+4915112345678");
    }

    @Override
    protected PhoneNumber unregisteredNumber() {
        return PhoneNumber.of("+4915199999999");
    }

    @Override
    protected List<String> receivedBy(PhoneNumber number) {
        return log.to(number.e164()).stream().map(MessageLog.Entry::text).toList();
    }
}
