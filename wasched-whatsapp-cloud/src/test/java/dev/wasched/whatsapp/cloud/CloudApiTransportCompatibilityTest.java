package dev.wasched.whatsapp.cloud;

import dev.wasched.contact.PhoneNumber;
import dev.wasched.spi.transport.MessageTransport;
import dev.wasched.spi.transport.TransportEvent;
import dev.wasched.testkit.transport.TransportCompatibilityKit;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The transport contract, with the Cloud API transport against the fake Cloud API over HTTP. */
class CloudApiTransportCompatibilityTest extends TransportCompatibilityKit {
    private static CloudFixture fixture;

    @BeforeAll
    static void startFake() {
        fixture = new CloudFixture();
        fixture.customerWrote(CloudFixture.ANN); // opens the 24-hour window for the kit's free-form texts
    }

    @AfterAll
    static void stopFake() {
        fixture.close();
    }

    @Override
    protected MessageTransport createTransport(String account) {
        // The API judges the window here, so a text to a number without WhatsApp reaches it and is refused with
        // 131026, which is what tells the transport the number is not on WhatsApp.
        return new CloudApiTransport(fixture.config(account).serviceWindow(ServiceWindowPolicy.LEAVE_TO_API).build());
    }

    @Override
    protected void link(MessageTransport transport, List<TransportEvent> eventsSoFar) {
        throw new AssertionError("a Cloud API number never asks for a QR code");
    }

    @Override
    protected PhoneNumber registeredNumber() {
        return PhoneNumber.of(CloudFixture.ANN);
    }

    @Override
    protected PhoneNumber unregisteredNumber() {
        return PhoneNumber.of(CloudFixture.NOBODY);
    }

    @Override
    protected List<String> receivedBy(PhoneNumber number) {
        return fixture.api.textsReceivedBy(number.e164());
    }
}
