package dev.wasched.webhook;

import java.time.Instant;
import java.util.Objects;

/**
 * One event for one endpoint in the store's outbox. One row per event and endpoint (rather than one per event with
 * per-endpoint progress): each endpoint's progress, back-off and lease are one row's own columns, so a claim or an
 * outcome is a single-row compare-and-set in every store (no array updates inside a document, no row shared by
 * endpoints that progress at different speeds), and a dead endpoint's rows are only its own.
 *
 * @param id         the row's id
 * @param eventId    the event's id, the same for every endpoint: receivers de-duplicate by it. Time-ordered.
 * @param endpointId the endpoint it goes to
 * @param eventType  see {@link WebhookEventTypes}
 * @param orderKey   what the event is about (a delivery id, a schedule id, an account): events of one key reach an
 *                   endpoint in event-id order, each only after the earlier ones were answered 2xx
 * @param payload    the JSON body, exactly as POSTed
 * @param createdAt  when the event was written to the outbox
 * @param attempts   POSTs made so far
 * @param dueAt      when the next attempt may be made
 * @param leaseOwner the instance delivering it now, or null
 * @param leaseUntil until when that instance's claim holds, or null
 * @param lastError  why the last attempt failed, or null
 * @param doneAt     when it was delivered or given up on, or null
 */
public record OutboxEntry(String id, String eventId, String endpointId, String eventType, String orderKey,
                          String payload, Instant createdAt, OutboxStatus status, int attempts, Instant dueAt,
                          String leaseOwner, Instant leaseUntil, String lastError, Instant doneAt, long version) {
    public OutboxEntry {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(endpointId, "endpointId");
        Objects.requireNonNull(eventType, "eventType");
        Objects.requireNonNull(orderKey, "orderKey");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(dueAt, "dueAt");
    }

    /** A new row, due at once. */
    public static OutboxEntry pending(String id, String eventId, String endpointId, String eventType, String orderKey,
                                      String payload, Instant now) {
        return new OutboxEntry(id, eventId, endpointId, eventType, orderKey, payload, now, OutboxStatus.PENDING, 0, now,
                null, null, null, null, 0);
    }
}
