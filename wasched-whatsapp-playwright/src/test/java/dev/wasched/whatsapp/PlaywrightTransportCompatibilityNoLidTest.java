package dev.wasched.whatsapp;

import dev.wasched.testkit.whatsapp.InPageModules;
import org.junit.jupiter.api.Tag;

/**
 * The compatibility kit in {@link PageLayer#AUTO} on a 2025-26 build without the phone-number → LID mapping: every send
 * falls back to the page's user interface, that send only, while checks, acks and lookups stay in-page; each message
 * still goes out exactly once.
 */
@Tag("browser")
class PlaywrightTransportCompatibilityNoLidTest extends PlaywrightTransportCompatibilityTest {
    @Override
    protected PageLayer pageLayer() {
        return PageLayer.AUTO;
    }

    @Override
    protected InPageModules inPageModules() {
        return InPageModules.standard().withoutLidMapping();
    }
}
