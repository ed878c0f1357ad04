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
    final AtomicLong sentInPage = new AtomicLong();
    final AtomicLong openedByModule = new AtomicLong();
    /** nanoTime of the last full page load. */
    volatile long lastPageLoadNanos = System.nanoTime();
    final AtomicLong snapshotsSaved = new AtomicLong();
    final AtomicLong lastSnapshotBytes = new AtomicLong();
    final AtomicLong lastSnapshotMillis = new AtomicLong();
    /** The longest the browser thread (so a send) waited for a snapshot: the check whether anything changed. */
    final AtomicLong longestSnapshotHoldMicros = new AtomicLong();

    void snapshotSaved(long bytes, long millis) {
        snapshotsSaved.incrementAndGet();
        lastSnapshotBytes.set(bytes);
        lastSnapshotMillis.set(millis);
    }

    void browserThreadHeld(long micros) {
        longestSnapshotHoldMicros.accumulateAndGet(micros, Math::max);
    }

    public long openedByModule() {
        return openedByModule.get();
    }

    public long sentInPage() {
        return sentInPage.get();
    }

    public long snapshotsSaved() {
        return snapshotsSaved.get();
    }

    public long lastSnapshotBytes() {
        return lastSnapshotBytes.get();
    }

    public long lastSnapshotMillis() {
        return lastSnapshotMillis.get();
    }

    public long longestSnapshotHoldMicros() {
        return longestSnapshotHoldMicros.get();
    }

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
