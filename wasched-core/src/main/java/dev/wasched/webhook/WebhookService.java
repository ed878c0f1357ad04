package dev.wasched.webhook;

import java.util.List;
import java.util.Optional;

/**
 * Registers the URLs the engine's events are POSTed to. Endpoints live in the store: every instance on it delivers
 * to them. An endpoint gets the events written after it was registered.
 */
public interface WebhookService {
    /**
     * Registers an endpoint.
     *
     * @throws dev.wasched.ValidationException naming the field (see {@link WebhookSpec})
     */
    WebhookEndpoint register(WebhookSpec spec);

    /**
     * Replaces an endpoint's URL, events and secret; events already in the outbox keep their rows and are signed with
     * the secret current when they are sent.
     *
     * @throws dev.wasched.NotFoundException when there is no such endpoint
     */
    WebhookEndpoint update(String id, WebhookSpec spec);

    /** Removes an endpoint and its outbox rows (nothing more is sent to it); false when there was none. */
    boolean remove(String id);

    Optional<WebhookEndpoint> find(String id);

    /** Every endpoint, oldest first. */
    List<WebhookEndpoint> list();

    /** Events given up on for this endpoint (see {@link OutboxStatus#FAILED}), newest first, at most {@code limit}. */
    List<OutboxEntry> failed(String endpointId, int limit);
}
