package dev.wasched.internal.webhook;

import dev.wasched.spi.store.WebhookRepository;
import dev.wasched.webhook.WebhookEndpoint;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The endpoints as last read from the store: re-read on every poll and after a local change, so the event thread
 * never waits for the store. Endpoints registered through another instance are seen from its next poll.
 */
final class Endpoints {
    private final WebhookRepository store;
    private volatile Map<String, WebhookEndpoint> byId = Map.of();

    Endpoints(WebhookRepository store) {
        this.store = store;
    }

    void refresh() {
        byId = store.endpoints().stream().collect(Collectors.toUnmodifiableMap(WebhookEndpoint::id,
                Function.identity()));
    }

    boolean isEmpty() {
        return byId.isEmpty();
    }

    List<WebhookEndpoint> wanting(String eventType) {
        return byId.values().stream().filter(e -> e.spec().wants(eventType)).toList();
    }

    Optional<WebhookEndpoint> find(String id) {
        WebhookEndpoint e = byId.get(id);
        return e != null ? Optional.of(e) : store.findEndpoint(id);
    }
}
