package dev.wasched.delivery;

import dev.wasched.Page;
import dev.wasched.PageRequest;
import java.util.Map;

public interface DeliveryService {
    /** The reason a delivery cancelled through {@link #cancel(String)} carries ({@link Delivery#lastError()}). */
    String CANCELLED_BY_HAND = "cancelled by hand";

    /** @throws dev.wasched.NotFoundException */
    Delivery get(String id);

    /** Newest first. */
    Page<Delivery> history(DeliveryQuery query, PageRequest page);

    /** The dead-letter queue: DEAD deliveries, newest first. */
    Page<Delivery> deadLetters(PageRequest page);

    /** UNCERTAIN deliveries (owner died mid-send), newest first. */
    Page<Delivery> uncertain(PageRequest page);

    /** Sends a DEAD or UNCERTAIN delivery again, due now, with a fresh attempt budget. */
    Delivery requeue(String id);

    /**
     * {@link #requeue(String)} only if the delivery is still the one a person decided on: in {@code expectedVersion}
     * (as shown to them, with its evidence). Otherwise nothing changes.
     *
     * @throws dev.wasched.ConcurrentUpdateException when the delivery changed since that version
     */
    Delivery requeue(String id, long expectedVersion);

    /**
     * Cancels one delivery that has not started: PENDING (or CLAIMED) becomes CANCELLED with the reason
     * {@link #CANCELLED_BY_HAND}, by compare-and-set on its version, and a {@code DeliveryCancelled} event follows.
     * The schedule goes on with its other deliveries and occurrences.
     *
     * @throws dev.wasched.NotFoundException                           when there is no such delivery
     * @throws IllegalDeliveryTransitionException                     when it is SENDING or further on (its
     *                                                                  {@code from()} is the status it has)
     * @throws dev.wasched.ConcurrentUpdateException                  when it kept changing while this was tried
     */
    Delivery cancel(String id);

    /**
     * Closes a DEAD or UNCERTAIN delivery without sending it again: it becomes DISMISSED, leaves
     * {@link #deadLetters} and {@link #uncertain} for good and stays in the history. A dismissed delivery is never
     * claimed, settled by a lookup or requeued. An UNCERTAIN one may still have reached WhatsApp: dismissing it says
     * only that nobody will act on it. A {@code DeliveryDismissed} event follows.
     *
     * @throws dev.wasched.NotFoundException          when there is no such delivery
     * @throws IllegalDeliveryTransitionException    when it is neither DEAD nor UNCERTAIN
     */
    Delivery dismiss(String id);

    /**
     * {@link #dismiss(String)} only if the delivery is still in {@code expectedVersion} (as shown to the person who
     * decided). Otherwise nothing changes.
     *
     * @throws dev.wasched.ConcurrentUpdateException when the delivery changed since that version
     */
    Delivery dismiss(String id, long expectedVersion);

    /** Deliveries by status, for one account or (null) all. */
    Map<DeliveryStatus, Long> counts(String account);

    /**
     * How many deliveries were answered ({@link Delivery#repliedAt()} set), for one account or (null) all; each
     * counts once however often its recipient wrote back. {@code history(DeliveryQuery.all().replied(), …)} lists them.
     */
    long repliedCount(String account);
}
