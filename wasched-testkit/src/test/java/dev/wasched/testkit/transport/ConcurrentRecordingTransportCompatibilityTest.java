package dev.wasched.testkit.transport;

import dev.wasched.spi.transport.MessageTransport;

/** The kit on a recording transport that takes four sends at once, as an HTTP API transport would. */
class ConcurrentRecordingTransportCompatibilityTest extends RecordingTransportCompatibilityTest {
    @Override
    protected MessageTransport createTransport(String account) {
        return ((RecordingTransport) super.createTransport(account)).concurrentSends(4);
    }
}
