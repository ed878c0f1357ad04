package dev.wasched.telegram.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;

/**
 * Which page a list message shows, so its buttons can re-render or turn the page. Callback data is limited to 64
 * bytes, too little for a cursor next to an id, so the cursors stay here, keyed by chat and message. A message
 * this does not know (after a restart or a day, or pressed before its send was confirmed) is taken as the first page.
 */
final class PageMemory {
    record Key(long chatId, int messageId) {
    }

    /** @param cursor the page's own cursor (null for the first page); {@code next} the following page's, or null */
    record Page(String cursor, String next, int number) {
    }

    private final Cache<Key, Page> pages = Caffeine.newBuilder()
            .executor(Runnable::run) // no pool threads: nothing outlives the controller
            .expireAfterAccess(Duration.ofDays(1))
            .maximumSize(10_000)
            .build();

    /** The page the message shows, or null when this does not know it. */
    Page get(long chatId, int messageId) {
        return pages.getIfPresent(new Key(chatId, messageId));
    }

    void put(long chatId, int messageId, Page page) {
        pages.put(new Key(chatId, messageId), page);
    }

    /**
     * Records a newly sent list message, unless a button of it was pressed first: the send is confirmed after
     * Telegram has shown the message, and the page an edit recorded since is the newer one.
     */
    void putIfAbsent(long chatId, int messageId, Page page) {
        pages.asMap().putIfAbsent(new Key(chatId, messageId), page);
    }
}
