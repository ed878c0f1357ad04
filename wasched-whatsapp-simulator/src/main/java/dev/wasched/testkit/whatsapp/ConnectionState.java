package dev.wasched.testkit.whatsapp;

/**
 * The state of the page's connection to WhatsApp's servers, as a {@link PageGeneration#WEB_2026} page shows it.
 * While it is not {@link #ONLINE}, sends do not leave: their bubbles keep the clock icon ({@code aria-label=" Pending "})
 * and go out once the connection is back; chats cannot be opened by number, since nobody can answer whether the
 * number is on WhatsApp.
 */
public enum ConnectionState {

    /** Connected: no banner. */
    ONLINE,

    /** The browser lost its network: the chat list shows the "Computer not connected" banner. */
    COMPUTER_NOT_CONNECTED,

    /** The page is (re)connecting: the chat list shows the "Connecting…" banner. */
    CONNECTING
}
