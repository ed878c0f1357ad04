package dev.wasched.session;

/** The state of one WhatsApp account's connection, as its transport reports it. */
public enum AccountState {
    /** Not started here (another instance owns the session, or the engine is not running). */
    STOPPED,
    STARTING,
    /** Waiting for the phone to scan a QR code or enter a pairing code. */
    QR,
    LOADING,
    READY,
    DISCONNECTED,
    /** The phone removed this device; a new login is needed. */
    LOGGED_OUT,
    FAILED
}
