package dev.wasched.whatsapp.internal;

import dev.wasched.delivery.DeliveryStatus;
import dev.wasched.spi.transport.TransportEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Messages this transport sent whose ticks may still change, and what was reported for each. Bubbles are only
 * visible while their chat is open, so acks are read whenever a chat is on screen; the oldest entries are dropped
 * beyond a size and age limit. Browser thread only.
 */
public final class AckTracker {
    private static final int MAX_TRACKED = 5_000;
    private static final Duration MAX_AGE = Duration.ofDays(2);

    private record Tracked(ChatTarget chat, Instant since, DeliveryStatus reported) {
    }

    private final Map<String, Tracked> tracked = new LinkedHashMap<>();
    private final String deliveredIcon;
    private final String readIcon;

    public AckTracker(String deliveredIcon, String readIcon) {
        this.deliveredIcon = deliveredIcon;
        this.readIcon = readIcon;
    }

    /** Starts watching a message that WhatsApp accepted. */
    public void track(String messageId, ChatTarget chat, Instant now) {
        tracked.putIfAbsent(messageId, new Tracked(chat, now, DeliveryStatus.SENT));
        while (tracked.size() > MAX_TRACKED) {
            Iterator<String> oldest = tracked.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
    }

    /** The acks that the icons on screen ({@code id -> data-icon}) reveal; read messages are no longer watched. */
    public List<TransportEvent.Ack> observe(Map<String, String> icons, Instant now) {
        List<TransportEvent.Ack> acks = new ArrayList<>();
        for (Map.Entry<String, String> e : icons.entrySet()) {
            Tracked t = tracked.get(e.getKey());
            if (t == null || e.getValue() == null) {
                continue;
            }
            if (readIcon.equals(e.getValue())) {
                acks.add(new TransportEvent.Ack(e.getKey(), DeliveryStatus.READ));
                tracked.remove(e.getKey());
            } else if (deliveredIcon.equals(e.getValue()) && t.reported() == DeliveryStatus.SENT) {
                acks.add(new TransportEvent.Ack(e.getKey(), DeliveryStatus.DELIVERED));
                tracked.put(e.getKey(), new Tracked(t.chat(), t.since(), DeliveryStatus.DELIVERED));
            }
        }
        tracked.values().removeIf(t -> t.since().plus(MAX_AGE).isBefore(now));
        return acks;
    }

    /** Chats with watched messages, oldest first, except those whose bubbles are on screen now. */
    public List<ChatTarget> chatsToRevisit(Set<String> onScreen, int max) {
        Set<ChatTarget> chats = new LinkedHashSet<>();
        for (Map.Entry<String, Tracked> e : tracked.entrySet()) {
            if (!onScreen.contains(e.getKey())) {
                chats.add(e.getValue().chat());
            }
            if (chats.size() >= max) {
                break;
            }
        }
        return new ArrayList<>(chats);
    }

    public boolean isEmpty() {
        return tracked.isEmpty();
    }

    public int size() {
        return tracked.size();
    }
}
