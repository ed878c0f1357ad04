package dev.wasched.whatsapp.internal;

import java.util.Map;

/**
 * What the page showed at one moment.
 *
 * @param screen  which screen
 * @param qr      the QR payload on the QR screen, else null
 * @param qrExpired whether the QR screen offers "Click to reload QR code"
 * @param pairingCode the code on the pairing screen, else null
 * @param popup   the text of a modal popup, else null
 * @param chatOpen whether a chat is open (main screen)
 * @param bubbles status icon per outgoing bubble id on screen (main screen)
 */
public record PageSnapshot(Screen screen, String qr, boolean qrExpired, String pairingCode, String popup,
                           boolean chatOpen, Map<String, String> bubbles) {
    public enum Screen { UNKNOWN, QR, PHONE_ENTRY, PAIRING, LOADING, MAIN }

    /** The chat list, nothing else known: for judging screens outside a tick. */
    static PageSnapshot main() {
        return new PageSnapshot(Screen.MAIN, null, false, null, null, false, Map.of());
    }

    public static PageSnapshot unknown() {
        return new PageSnapshot(Screen.UNKNOWN, null, false, null, null, false, Map.of());
    }

    public boolean isLogin() {
        return screen == Screen.QR || screen == Screen.PHONE_ENTRY || screen == Screen.PAIRING;
    }
}
