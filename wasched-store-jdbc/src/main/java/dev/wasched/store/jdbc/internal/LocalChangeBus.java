package dev.wasched.store.jdbc.internal;

import dev.wasched.spi.store.StoreChange;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Change announcements between store objects in one JVM that use the same database, for databases that cannot
 * notify other connections (H2). An embedded H2 file is opened by one process, so this reaches every writer there.
 */
final class LocalChangeBus {
    private static final ConcurrentHashMap<String, Set<ChangeFeed>> FEEDS = new ConcurrentHashMap<>();

    private LocalChangeBus() {
    }

    static void register(String database, ChangeFeed feed) {
        FEEDS.computeIfAbsent(database, k -> ConcurrentHashMap.newKeySet()).add(feed);
    }

    static void unregister(String database, ChangeFeed feed) {
        FEEDS.computeIfPresent(database, (k, set) -> {
            set.remove(feed);
            return set.isEmpty() ? null : set;
        });
    }

    static void publish(String database, Collection<StoreChange> changes) {
        if (database == null) {
            return;
        }
        Set<ChangeFeed> feeds = FEEDS.get(database);
        if (feeds != null) {
            feeds.forEach(feed -> changes.forEach(feed::signal));
        }
    }
}
