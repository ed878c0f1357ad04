package dev.wasched.schedule;

import dev.wasched.Page;
import dev.wasched.PageRequest;

public interface ScheduleService {
    /**
     * Validates and stores a schedule: the template exists, listed contacts exist, placeholders resolve for listed
     * contacts, the trigger fires at least once. Nothing is stored when any check fails. A one-time message to listed
     * contacts due within the engine's fan-out look-ahead gets its deliveries at once; the schedule returned is the
     * one created, before that.
     */
    Schedule create(ScheduleSpec spec);

    /** @throws dev.wasched.NotFoundException */
    Schedule get(String id);

    Page<Schedule> list(PageRequest page);

    /** Stops firing and cancels the schedule's pending deliveries. */
    Schedule pause(String id);

    /** Fires again from the next occurrence after now (what was missed while paused is not caught up). */
    Schedule resume(String id);

    /** Deletes the schedule and cancels its pending deliveries; history stays. */
    void delete(String id);
}
