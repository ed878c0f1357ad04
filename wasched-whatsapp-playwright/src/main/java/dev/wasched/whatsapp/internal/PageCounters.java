package dev.wasched.whatsapp.internal;

import java.util.concurrent.atomic.AtomicLong;

/**
 * How the transport got to its chats since it started, across reconnects: full page loads (each costs WhatsApp Web
 * seconds and a reconnect of its socket), click-to-chat navigations taken because a chat could not be opened inside
 * the loaded page, chats opened inside the page, and chats found already open. Read from any thread.
 */
public final class PageCounters {
    final AtomicLong pageLoads = new AtomicLong();
    final AtomicLong fallbackNavigations = new AtomicLong();
    final AtomicLong openedInPage = new AtomicLong();
    final AtomicLong alreadyOpen = new AtomicLong();

    public long pageLoads() {
        return pageLoads.get();
    }

    public long fallbackNavigations() {
        return fallbackNavigations.get();
    }

    public long openedInPage() {
        return openedInPage.get();
    }

    public long alreadyOpen() {
        return alreadyOpen.get();
    }
}
