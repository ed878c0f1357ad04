package dev.wasched.session;

import java.util.EnumSet;
import java.util.Set;

/**
 * The state of one WhatsApp account's connection, as its transport reports it. The engine sends only in
 * {@link #READY}; in every other state deliveries wait, and a send cut short by a change of state is returned to
 * the queue without counting as an attempt.
 */
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
    FAILED,
    /**
     * Linked, but WhatsApp asks the browser for a passkey before it opens the account, which a headless browser
     * cannot give. A person links once in a visible browser on a desktop ({@code ./wasched link ACCOUNT --headed});
     * instances then restore that stored session.
     */
    NEEDS_PASSKEY,
    /**
     * WhatsApp Web is open for this account in another window or browser and this page was asked to step aside.
     * The instance holding the account's lease takes the page back; others never open the account.
     */
    CONFLICT,
    /**
     * WhatsApp restricted the account (it shows a banner instead of the compose box). Sending pauses; nothing is
     * retried into the restriction, and deliveries wait until it is lifted.
     */
    RESTRICTED,
    /**
     * The page lost its connection to WhatsApp (or the phone is offline). Sends wait; nothing is judged while
     * offline, so no number is reported as not on WhatsApp.
     */
    OFFLINE;

    private static final Set<AccountState> NEEDS_A_PERSON = EnumSet.of(LOGGED_OUT, FAILED, NEEDS_PASSKEY, RESTRICTED);
    private static final Set<AccountState> INTERRUPTED = EnumSet.of(DISCONNECTED, OFFLINE, CONFLICT);

    /** Whether the account waits for a person (a new link, a passkey, the end of a restriction, a fix). */
    public boolean needsAPerson() {
        return NEEDS_A_PERSON.contains(this);
    }

    /** Whether the account was working and lost its connection for a while; it comes back by itself. */
    public boolean interrupted() {
        return INTERRUPTED.contains(this);
    }
}
