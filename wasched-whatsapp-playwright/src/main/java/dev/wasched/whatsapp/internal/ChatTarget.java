package dev.wasched.whatsapp.internal;

import dev.wasched.delivery.Recipient;
import java.util.Objects;

/**
 * A chat to open: a direct chat by phone digits (opened inside the page through the search box, else with the
 * click-to-chat link) or a group by its title (opened through the search box).
 */
public record ChatTarget(boolean group, String key) {
    public ChatTarget {
        Objects.requireNonNull(key, "key");
    }

    public static ChatTarget of(Recipient r) {
        if (r.kind() == Recipient.Kind.GROUP) {
            return group(r.address());
        }
        return phone(r.address());
    }

    public static ChatTarget phone(String e164OrDigits) {
        String digits = e164OrDigits.replaceAll("[^0-9]", "");
        if (digits.isEmpty()) {
            throw new IllegalArgumentException("no digits in " + e164OrDigits);
        }
        return new ChatTarget(false, digits);
    }

    public static ChatTarget group(String title) {
        return new ChatTarget(true, title.strip());
    }

    @Override
    public String toString() {
        // Numbers and group names are personal data; logs get only the kind and a short fingerprint.
        return (group ? "group#" : "contact#") + Integer.toHexString(key.hashCode());
    }
}
