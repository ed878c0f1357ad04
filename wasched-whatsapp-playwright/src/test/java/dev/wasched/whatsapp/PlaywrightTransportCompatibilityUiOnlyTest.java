package dev.wasched.whatsapp;

/**
 * The compatibility kit on the 2025-26 page through its user interface only ({@link PageLayer#UI_ONLY}): the path
 * every capability falls back to when WhatsApp Web's modules are not found.
 */
class PlaywrightTransportCompatibilityUiOnlyTest extends PlaywrightTransportCompatibilityTest {
    @Override
    protected PageLayer pageLayer() {
        return PageLayer.UI_ONLY;
    }
}
