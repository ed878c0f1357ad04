package dev.wasched.whatsapp.cloud.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When each customer last wrote to each business number, from the webhook's incoming messages: the 24-hour
 * customer-service window is open until 24 hours after that.
 */
public final class ServiceWindows {
    public static final Duration WINDOW = Duration.ofHours(24);
    private final Map<String, Instant> lastInbound = new ConcurrentHashMap<>();

    public void customerWrote(String phoneNumberId, String waId, Instant at) {
        lastInbound.merge(key(phoneNumberId, waId), at, (a, b) -> a.isAfter(b) ? a : b);
    }

    public boolean open(String phoneNumberId, String waId, Instant now) {
        Instant last = lastInbound.get(key(phoneNumberId, waId));
        return last != null && now.isBefore(last.plus(WINDOW));
    }

    /** Whether the customer ever wrote to the number while this process listened: proof they are on WhatsApp. */
    public boolean wroteEver(String phoneNumberId, String waId) {
        return lastInbound.containsKey(key(phoneNumberId, waId));
    }

    private static String key(String phoneNumberId, String waId) {
        return phoneNumberId + '/' + waId;
    }
}
