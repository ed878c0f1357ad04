package dev.wasched.telegram;

import java.util.EnumSet;
import java.util.Set;

/**
 * Kinds of engine events a {@link TelegramController} can report to a chat. Which chat gets which kinds is set with
 * {@link TelegramControllerConfig.Builder#notify(long, Notification...)}.
 */
public enum Notification {
    /** A message reached WhatsApp. Chatty: not in {@link #DEFAULTS}. */
    SENT,
    /** A send failed with a retryable error and will be tried again. Chatty: not in {@link #DEFAULTS}. */
    RETRY,
    /** A delivery went to the dead-letter queue ({@code /dlq} requeues it). */
    DEAD,
    /**
     * Whether a message went out is unknown (the send's outcome was lost, or an instance died while sending); it is
     * not resent unless a person requeues it ({@code /uncertain}).
     */
    UNCERTAIN,
    /**
     * An account lost its connection (DISCONNECTED, OFFLINE, FAILED, or CONFLICT: open in another window), and when it
     * is back.
     */
    ACCOUNT_DISCONNECTED,
    /**
     * An account waits for a person: WhatsApp asks for a passkey (NEEDS_PASSKEY) or restricted the account
     * (RESTRICTED); and when it can send again.
     */
    ACCOUNT_ATTENTION,
    /** The phone removed the linked device; a new login is needed. */
    ACCOUNT_LOGGED_OUT,
    /** An account needs linking: the QR code to scan, sent as a photo; and a message once it is linked. */
    LOGIN_QR,
    /** An account needs linking: the pairing code to type on the phone. */
    LOGIN_PAIRING_CODE,
    /** A stored WhatsApp session failed its checksum or decryption and was set aside. */
    SESSION_QUARANTINED,
    /**
     * Someone wrote to an account: forwarded with the sender's name and number, the text and the message it answers;
     * replying to the forward in Telegram sends the answer to the contact on WhatsApp.
     */
    REPLY;

    /** What a chat receives when no notification routing is configured: everything except SENT and RETRY. */
    public static final Set<Notification> DEFAULTS = Set.copyOf(EnumSet.complementOf(EnumSet.of(SENT, RETRY)));
}
