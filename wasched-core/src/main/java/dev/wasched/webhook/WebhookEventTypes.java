package dev.wasched.webhook;

import dev.wasched.event.WaschedEvent;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;

/**
 * The event type names an endpoint subscribes to: the simple names of the {@link WaschedEvent} kinds, such as
 * {@code DeliverySent}. Sent in the {@code X-Wasched-Event-Type} header and the payload's {@code type}.
 */
public final class WebhookEventTypes {
    /** Every event type name, sorted. */
    public static final Set<String> ALL = names();

    private WebhookEventTypes() {
    }

    /** The type name of an event. */
    public static String of(WaschedEvent event) {
        return event.getClass().getSimpleName();
    }

    private static Set<String> names() {
        Set<String> names = new TreeSet<>();
        Arrays.stream(WaschedEvent.class.getPermittedSubclasses()).forEach(c -> names.add(c.getSimpleName()));
        return java.util.Collections.unmodifiableSet(names);
    }
}
