package dev.wasched.whatsapp;

/**
 * How a {@link PlaywrightTransport} got to its chats since it started (across reconnects). Opening a chat inside the
 * loaded page takes a moment; loading WhatsApp Web takes seconds to a minute and reconnects its socket, so
 * {@code pageLoads} and {@code fallbackNavigations} should stay low while the transport is READY.
 *
 * @param pageLoads           full loads of WhatsApp Web's page: the first, reconnects, WhatsApp Web reloading itself
 *                            and every navigation below
 * @param fallbackNavigations click-to-chat (or start page) navigations: a chat that could not be opened inside the
 *                            page (no chat with the number yet, a number not on WhatsApp, a page that does not show
 *                            which chat is open), or a send whose outcome had to be read from a freshly loaded chat
 * @param chatsOpenedInPage   chats opened through the search box of the loaded page
 * @param chatsAlreadyOpen    sends, checks and lookups that found their chat already open
 */
public record PlaywrightTransportStats(long pageLoads, long fallbackNavigations, long chatsOpenedInPage,
                                       long chatsAlreadyOpen) {
    /** Before the transport started. */
    public static final PlaywrightTransportStats NONE = new PlaywrightTransportStats(0, 0, 0, 0);
}
