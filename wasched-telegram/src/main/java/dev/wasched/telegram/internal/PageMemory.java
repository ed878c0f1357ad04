package dev.wasched.telegram.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;

/**
 * Which page a list message shows, so its buttons can re-render or turn the page. Callback data is limited to 64
 * bytes, too little for a cursor next to an id, so the cursors stay here, keyed by chat and message. A message
 * this no longer knows (after a restart or a day) starts over at the first page.
 */
final class PageMemory {
    record Key(long chatId, int messageId) {
    }

    /** @param cursor the page's own cursor (null for the first page); {@code next} the following page's, or null */
    record Page(String cursor, String next, int number) {
        static final Page FIRST = new Page(null, null, 1);
    }

    private final Cache<Key, Page> pages = Caffeine.newBuilder()
            .executor(Runnable::run) // no pool threads: nothing outlives the controller
            .expireAfterAccess(Duration.ofDays(1))
            .maximumSize(10_000)
            .build();

    Page get(long chatId, int messageId) {
        Page p = pages.getIfPresent(new Key(chatId, messageId));
        return p == null ? Page.FIRST : p;
    }

    void put(long chatId, int messageId, Page page) {
        pages.put(new Key(chatId, messageId), page);
    }
}
