package dev.wasched.spi.store;

import dev.wasched.Page;
import dev.wasched.PageRequest;
import dev.wasched.delivery.Delivery;
import dev.wasched.schedule.Schedule;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Schedules as a store keeps them: written, read, paged and claimed for fan-out. */
public interface ScheduleRepository {
    void insert(Schedule schedule);

    /** Compare-and-set on version. */
    boolean update(Schedule schedule);

    Optional<Schedule> findById(String id);

    boolean delete(String id);

    Page<Schedule> list(PageRequest page);

    /**
     * Atomically leases up to {@code limit} schedules that are not paused, have {@code nextFireAt <= now}, and whose
     * lease is free or expired ({@code leaseUntil <= now}): sets {@code leaseOwner}, {@code leaseUntil},
     * {@code updatedAt = now} and {@code version + 1}; returns them as stored, earliest {@code nextFireAt} first.
     */
    List<Schedule> claimDue(Instant now, String owner, Instant leaseUntil, int limit);

    /**
     * Like {@link #claimDue(Instant, String, Instant, int)}, but with a look-ahead: claims schedules whose
     * {@code nextFireAt <= horizon} (the engine makes their deliveries before they are due), while leases are still
     * judged at {@code now} ({@code leaseUntil <= now}) and {@code updatedAt = now}.
     *
     * <p>The default claims with {@code horizon} in place of {@code now}: correct, since every fan-out is a
     * compare-and-set, but a lease that ends within the look-ahead then counts as free, so two instances may both work
     * out the same fan-out and one of them throws its work away. Stores override it to judge leases at {@code now}.
     */
    default List<Schedule> claimDue(Instant now, Instant horizon, String owner, Instant leaseUntil, int limit) {
        return claimDue(horizon.isAfter(now) ? horizon : now, owner, leaseUntil, limit);
    }

    /** The earliest {@code nextFireAt} of schedules that are not paused, for the engine's wake-up. */
    Optional<Instant> earliestDue();

    /**
     * Records one handled occurrence: inserts {@code deliveries}, silently skipping those whose unique key exists,
     * and writes {@code advanced} (compare-and-set on version). Where the store has transactions both happen in one;
     * otherwise the deliveries are inserted first, so a crash between the steps leaves the schedule due again and a
     * second fan-out inserts nothing twice.
     *
     * @return how many deliveries were new, and whether the schedule was written
     */
    FanOutResult fanOut(Schedule advanced, List<Delivery> deliveries);

    /**
     * Records several handled schedules, each exactly as {@link #fanOut} would: a schedule whose compare-and-set fails
     * gets none of its deliveries (or, in a store without transactions, only ones a second fan-out would skip), and
     * does not stop the others. Where the store has transactions, all of it is one transaction with batched writes,
     * so many small schedules cost a few statements instead of a few each; the default calls {@link #fanOut} once
     * per schedule.
     *
     * @return one result per item, in the order given
     */
    default List<FanOutResult> fanOutAll(List<FanOutItem> items) {
        List<FanOutResult> results = new ArrayList<>(items.size());
        for (FanOutItem item : items) {
            results.add(fanOut(item.advanced(), item.deliveries()));
        }
        return results;
    }

    record FanOutResult(int inserted, boolean scheduleUpdated) {
    }

    /** One schedule's part of {@link #fanOutAll}: the schedule as it is to be written, and its new deliveries. */
    record FanOutItem(Schedule advanced, List<Delivery> deliveries) {
        public FanOutItem {
            Objects.requireNonNull(advanced, "advanced");
            deliveries = List.copyOf(deliveries);
        }
    }
}
