package dev.wasched.whatsapp;

import dev.wasched.contact.PhoneNumber;
import dev.wasched.spi.transport.MessageTransport;
import dev.wasched.spi.transport.TransportEvent;
import dev.wasched.testkit.transport.TransportCompatibilityKit;
import dev.wasched.testkit.whatsapp.ReceivedMessage;
import dev.wasched.testkit.whatsapp.WhatsAppWebSimulator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** The transport contract, against the WhatsApp Web simulator in a real Chromium. */
class PlaywrightTransportCompatibilityTest extends TransportCompatibilityKit {
    private static final PhoneNumber ALICE = PhoneNumber.of("+491701234567");
    private static final PhoneNumber NOBODY = PhoneNumber.of("+491709999999");
    private static WhatsAppWebSimulator sim;

    @TempDir
    static Path workDir;

    @BeforeAll
    static void startSimulator() {
        sim = TestSupport.fastSimulator().build().start();
        sim.registerNumber(ALICE.e164(), "Alice");
    }

    @AfterAll
    static void stopSimulator() {
        if (sim != null) {
            sim.close();
        }
    }

    @Override
    protected MessageTransport createTransport(String account) {
        return new PlaywrightTransport(TestSupport.config(account, sim.url(), workDir).build());
    }

    @Override
    protected void link(MessageTransport transport, List<TransportEvent> eventsSoFar) {
        TestSupport.scanLatestQr(sim, eventsSoFar);
    }

    @Override
    protected boolean supportsLookup() {
        return true;
    }

    @Override
    protected PhoneNumber registeredNumber() {
        return ALICE;
    }

    @Override
    protected PhoneNumber unregisteredNumber() {
        return NOBODY;
    }

    @Override
    protected List<String> receivedBy(PhoneNumber number) {
        return sim.received(number.e164()).stream().map(ReceivedMessage::text).toList();
    }

    @Override
    protected Duration readyTimeout() {
        return Duration.ofSeconds(30);
    }
}
