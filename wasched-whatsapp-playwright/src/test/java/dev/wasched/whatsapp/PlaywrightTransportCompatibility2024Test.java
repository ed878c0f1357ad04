package dev.wasched.whatsapp;

import dev.wasched.testkit.whatsapp.PageGeneration;
import org.junit.jupiter.api.Tag;

/**
 * The compatibility kit on the WhatsApp Web page before 2025, with the same shipped selector pack (no overrides),
 * through the page's user interface alone ({@link PageLayer#UI_ONLY}; that page has no module registry either).
 */
@Tag("browser")
class PlaywrightTransportCompatibility2024Test extends PlaywrightTransportCompatibilityTest {
    @Override
    protected PageGeneration generation() {
        return PageGeneration.WEB_2024;
    }

    @Override
    protected PageLayer pageLayer() {
        return PageLayer.UI_ONLY;
    }
}
