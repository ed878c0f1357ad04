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
        addEventClasses(WaschedEvent.class, names);
        return java.util.Collections.unmodifiableSet(names);
    }

    /** The concrete events below a sealed type; a sealed group of them (such as DeliveryEvent) is not one itself. */
    private static void addEventClasses(Class<?> type, Set<String> names) {
        Arrays.stream(type.getPermittedSubclasses()).forEach(c -> {
            if (c.isSealed()) {
                addEventClasses(c, names);
            } else {
                names.add(c.getSimpleName());
            }
        });
    }
}
