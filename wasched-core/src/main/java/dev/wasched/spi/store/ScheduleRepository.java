package dev.wasched.spi.store;

import dev.wasched.Page;
import dev.wasched.PageRequest;
import dev.wasched.delivery.Delivery;
import dev.wasched.schedule.Schedule;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

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

    record FanOutResult(int inserted, boolean scheduleUpdated) {
    }
}
