package dev.wasched.whatsapp;

import java.util.Locale;

/** What the transport does on WhatsApp Web's page, each done in-page or through the user interface ({@link PageLayer}). */
public enum PageCapability {
    /** Sending a text message. */
    SEND_TEXT,
    /** Sending a photo, video, audio or document. */
    SEND_MEDIA,
    /** Learning that a sent message was delivered or read. */
    ACKS,
    /** Asking whether a number is on WhatsApp. */
    REGISTRATION_CHECK,
    /** Opening a chat, for lookups of earlier sends and for everything done through the user interface. */
    OPEN_CHAT,
    /** Knowing whether the page is connected to WhatsApp. */
    CONNECTION_STATE,
    /** Hearing the messages people send to the account (in-page only, so far). */
    INCOMING_MESSAGES;

    /** "send text", as health and probe output name it. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }
}
