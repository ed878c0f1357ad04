package dev.wasched.whatsapp;

import dev.wasched.contact.PhoneNumber;
import dev.wasched.spi.transport.MessageTransport;
import dev.wasched.spi.transport.TransportEvent;
import dev.wasched.testkit.transport.TransportCompatibilityKit;
import dev.wasched.testkit.whatsapp.ReceivedMessage;
import dev.wasched.testkit.whatsapp.InPageModules;
import dev.wasched.testkit.whatsapp.PageGeneration;
import dev.wasched.testkit.whatsapp.WhatsAppWebSimulator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;

/** The transport contract, against the WhatsApp Web simulator in a real Chromium. */
/**
 * The compatibility kit on the 2025-26 page, the simulator's default, with every capability in-page
 * ({@link PageLayer#IN_PAGE_ONLY}: the account fails rather than fall back). {@link PlaywrightTransportCompatibilityNoLidTest}
 * runs it in {@link PageLayer#AUTO} on a build whose sends lack the LID mapping (sends through the interface, the rest
 * in-page), {@link PlaywrightTransportCompatibility2024Test} through the interface alone on the older page.
 */
@Tag("browser")
class PlaywrightTransportCompatibilityTest extends TransportCompatibilityKit {
    private static final PhoneNumber ALICE = PhoneNumber.of("+491701234567");
    private static final PhoneNumber NOBODY = PhoneNumber.of("+491709999999");
    /** One simulator per test class (page generation), closed after the class. */
    private static final java.util.Map<Class<?>, WhatsAppWebSimulator> SIMULATORS =
            new java.util.concurrent.ConcurrentHashMap<>();
    private WhatsAppWebSimulator sim;

    @TempDir
    static Path workDir;

    /** The page the kit runs against. */
    protected PageGeneration generation() {
        return PageGeneration.WEB_2026;
    }

    /** The transport's page layer. */
    protected PageLayer pageLayer() {
        return PageLayer.IN_PAGE_ONLY;
    }

    /** The modules the 2025-26 page registers. */
    protected InPageModules inPageModules() {
        return InPageModules.standard();
    }

    @BeforeEach
    void startSimulator() {
        sim = SIMULATORS.computeIfAbsent(getClass(), c -> {
            WhatsAppWebSimulator started = TestSupport.fastSimulator().pageGeneration(generation())
                    .inPageModules(inPageModules().withRegistrationSpread(TestSupport.FAST_MODULE_SPREAD)).build().start();
            started.registerNumber(ALICE.e164(), "Alice");
            return started;
        });
    }

    @AfterAll
    static void stopSimulators() {
        SIMULATORS.keySet().forEach(TransportCompatibilityKit::closeSharedTransport); // before the page it shows
        SIMULATORS.values().forEach(WhatsAppWebSimulator::close);
        SIMULATORS.clear();
    }

    /**
     * A start costs a Chromium launch and a link: the tests that need only a linked transport share one. Each still
     * sends texts of its own; what Alice received is read from the class's simulator.
     */
    @Override
    protected boolean sharesLinkedTransport() {
        return true;
    }

    @Override
    protected MessageTransport createTransport(String account) {
        return new PlaywrightTransport(TestSupport.config(account, sim.url(), workDir).pageLayer(pageLayer()).build());
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
