package dev.wasched.whatsapp;

/**
 * Which of WhatsApp Web's two faces the transport uses for each {@link PageCapability}: the page's own modules,
 * called from a script in the page ("in-page"), or its user interface, clicked and read like a person would.
 *
 * <p>In-page calls need no chat to be open and no text to be matched, and acks arrive as events; but WhatsApp renames
 * its modules between builds and has changed what they need (the 2025–26 phone-number → LID migration broke in-page
 * sends for weeks while the page's own click-to-chat kept working). The user interface is slower but follows what
 * WhatsApp itself keeps working.
 */
public enum PageLayer {
    /**
     * In-page where the module a capability needs is found (by the shape of what it exports, never by its name),
     * the user interface elsewhere; an in-page call that fails falls back to the user interface for that call. The
     * default.
     */
    AUTO,
    /** The user interface only: nothing of WhatsApp Web's own code is called. */
    UI_ONLY,
    /**
     * In-page only: the transport fails (state FAILED, naming what is missing) when the page lacks a module for any
     * capability, instead of falling back. For checking a new WhatsApp Web build, not for production.
     */
    IN_PAGE_ONLY
}
