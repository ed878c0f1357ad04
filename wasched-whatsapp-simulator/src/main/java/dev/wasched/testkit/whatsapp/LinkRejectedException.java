package dev.wasched.testkit.whatsapp;

import java.util.Objects;

/**
 * The simulated phone refused to link a device: the QR payload or pairing code given to
 * {@link WhatsAppWebSimulator#scanQr(String)} or {@link WhatsAppWebSimulator#enterPairingCode(String)}
 * is not what any open page currently shows.
 */
public final class LinkRejectedException extends SimulatorException {

    private static final long serialVersionUID = 1L;

    /** Why a link attempt was refused. */
    public enum Reason {
        /** No page ever showed this QR payload. */
        UNKNOWN_QR_CODE,
        /** The page showed this payload once but has rotated to a newer one since. */
        QR_CODE_ROTATED,
        /** The QR attempt that showed this payload expired, was abandoned or already linked. */
        QR_CODE_EXPIRED,
        /** No open page shows this pairing code. */
        UNKNOWN_PAIRING_CODE,
        /** The page asked for a code for another phone number than the simulated account's. */
        PAIRING_NUMBER_MISMATCH
    }

    /** Why the link was refused. */
    private final Reason reason;

    /**
     * @param reason why the link was refused
     * @param message details for humans
     */
    public LinkRejectedException(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /**
     * @return why the link was refused
     */
    public Reason reason() {
        return reason;
    }
}
