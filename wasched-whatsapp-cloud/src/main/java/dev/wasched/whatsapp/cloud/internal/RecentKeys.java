package dev.wasched.whatsapp.cloud.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/** The last {@code capacity} keys seen, to apply a redelivered webhook event once; the oldest are forgotten. */
public final class RecentKeys {
    private final Map<String, Boolean> keys;

    public RecentKeys(int capacity) {
        this.keys = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > capacity;
            }
        };
    }

    /** True the first time a key is seen. */
    public synchronized boolean firstTime(String key) {
        return keys.put(key, Boolean.TRUE) == null;
    }

    public synchronized boolean contains(String key) {
        return keys.containsKey(key);
    }
}
