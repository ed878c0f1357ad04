package dev.wasched.delivery;

import dev.wasched.Page;
import dev.wasched.PageRequest;
import java.util.Map;

public interface DeliveryService {
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

    /** Deliveries by status, for one account or (null) all. */
    Map<DeliveryStatus, Long> counts(String account);

    /**
     * How many deliveries were answered ({@link Delivery#repliedAt()} set), for one account or (null) all; each
     * counts once however often its recipient wrote back. {@code history(DeliveryQuery.all().replied(), …)} lists them.
     */
    long repliedCount(String account);
}
