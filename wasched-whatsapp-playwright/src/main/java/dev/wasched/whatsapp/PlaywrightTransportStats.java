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
 * @param snapshotsSaved      session snapshots stored (only when the profile changed)
 * @param lastSnapshotBytes   the size of the last stored snapshot
 * @param lastSnapshotMillis  how long the last snapshot took to pack and store (off the browser thread, except the
 *                            one right after a login and the one at close)
 * @param longestSnapshotHold the longest the browser thread, and so a send, waited because of a snapshot
 * @param sentInPage          texts and files sent through WhatsApp Web's own send actions ({@link PageLayer})
 * @param chatsOpenedByModule chats opened through WhatsApp Web's own command module ({@link PageLayer}), without the
 *                            search box or a navigation
 * @param inPage              the capabilities done in-page right now (empty before the page's modules are known, with
 *                            {@link PageLayer#UI_ONLY}, and on a page without them)
 */
public record PlaywrightTransportStats(long pageLoads, long fallbackNavigations, long chatsOpenedInPage,
                                       long chatsAlreadyOpen, long snapshotsSaved, long lastSnapshotBytes,
                                       long lastSnapshotMillis, java.time.Duration longestSnapshotHold,
                                       long sentInPage, long chatsOpenedByModule,
                                       java.util.Set<PageCapability> inPage) {
    /** Before the transport started. */
    public static final PlaywrightTransportStats NONE = new PlaywrightTransportStats(0, 0, 0, 0, 0, 0, 0,
            java.time.Duration.ZERO, 0, 0, java.util.Set.of());

    public PlaywrightTransportStats {
        inPage = java.util.Set.copyOf(inPage);
    }
}
