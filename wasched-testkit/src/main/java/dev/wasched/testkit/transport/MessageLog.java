package dev.wasched.testkit.transport;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What recording transports sent: the truth for exactly-once checks. Share one log between the transports of
 * several engines to see every message any of them sent.
 */
public final class MessageLog {
    /** One message as it "reached WhatsApp". */
    public record Entry(String account, String deliveryId, String messageId, String recipient, String text,
                        String mediaSha256, Instant at) {
    }

    private final List<Entry> entries = new ArrayList<>();

    synchronized void add(Entry e) {
        entries.add(e);
    }

    public synchronized List<Entry> entries() {
        return List.copyOf(entries);
    }

    public synchronized int size() {
        return entries.size();
    }

    public synchronized List<Entry> to(String recipient) {
        return entries.stream().filter(e -> e.recipient().equals(recipient)).toList();
    }

    /** Delivery ids sent more than once, with their counts; empty when every delivery went out at most once. */
    public synchronized Map<String, Long> duplicates() {
        return entries.stream().collect(Collectors.groupingBy(Entry::deliveryId, Collectors.counting()))
                .entrySet().stream().filter(e -> e.getValue() > 1)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    public synchronized Map<String, Entry> byDeliveryId() {
        return entries.stream().collect(Collectors.toMap(Entry::deliveryId, Function.identity(), (a, b) -> a));
    }

    public synchronized List<String> texts() {
        return entries.stream().map(Entry::text).collect(Collectors.toCollection(ArrayList::new));
    }
}
