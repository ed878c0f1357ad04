package dev.wasched.spi.store;

import dev.wasched.webhook.OutboxEntry;
import dev.wasched.webhook.OutboxStatus;
import dev.wasched.webhook.WebhookEndpoint;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Webhook endpoints and the outbox of events to POST to them: one row per event and endpoint (see
 * {@link OutboxEntry} for why). Rows are claimed with a lease, like schedules: a claimed row is not claimed again
 * until its lease ends, so several instances on one store do not send the same event at once, and a dead instance's
 * rows are sent again after their lease. Times come from the caller's clock, as for schedule claims.
 */
public interface WebhookRepository {
    /** @throws DuplicateKeyException when the id exists */
    void insertEndpoint(WebhookEndpoint endpoint);

    /** Compare-and-set: written only where the stored version is {@code endpoint.version() - 1}. */
    boolean updateEndpoint(WebhookEndpoint endpoint);

    Optional<WebhookEndpoint> findEndpoint(String id);

    /** Every endpoint, by id (oldest first: ids are time-ordered). */
    List<WebhookEndpoint> endpoints();

    /** Removes the endpoint and all its outbox rows; false when there was no such endpoint. */
    boolean deleteEndpoint(String id);

    /** Inserts new outbox rows; a row whose id exists is skipped (a retried write inserts nothing twice). */
    void enqueue(List<OutboxEntry> entries);

    /**
     * Leases up to {@code limit} rows that may be sent now: PENDING, {@code dueAt <= now}, lease free or ended
     * ({@code leaseUntil <= now}), and <em>first of their sequence</em>: no other PENDING row of the same endpoint and
     * {@code orderKey} has a smaller {@code eventId}. So an event goes out only after the earlier events of its key
     * were delivered (or given up on), and at most one row per endpoint and key is ever leased. Sets
     * {@code leaseOwner}, {@code leaseUntil}, {@code attempts + 1} and {@code version + 1}; returns the rows as
     * stored, by event id. Two callers never get the same row.
     */
    List<OutboxEntry> claimDue(Instant now, String owner, Instant leaseUntil, int limit);

    /** Marks a row this owner holds DELIVERED at {@code at}, lease cleared; false when it does not hold it. */
    boolean delivered(String id, String owner, Instant at);

    /** Hands back a row this owner holds after a failed attempt: due again at {@code dueAt}, lease cleared. */
    boolean retryAt(String id, String owner, Instant dueAt, String error);

    /** Marks a row this owner holds FAILED (given up on) at {@code at}, lease cleared. */
    boolean giveUp(String id, String owner, Instant at, String error);

    /**
     * Moves the due time of the endpoint's unclaimed PENDING rows that are due before {@code until} to
     * {@code until}: after a failure the whole endpoint backs off, so a dead endpoint costs one attempt per back-off
     * rather than one per queued event.
     *
     * @return how many rows moved
     */
    int postpone(String endpointId, Instant until);

    /** An endpoint's rows in {@code status}, newest event first, at most {@code limit}. */
    List<OutboxEntry> entries(String endpointId, OutboxStatus status, int limit);

    /** Deletes DELIVERED rows done before {@code before}; returns how many. */
    int purgeDelivered(Instant before);
}
