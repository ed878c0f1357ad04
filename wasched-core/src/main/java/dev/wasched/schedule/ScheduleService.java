package dev.wasched.schedule;

import dev.wasched.Page;
import dev.wasched.PageRequest;

/** Schedules: create, edit, pause, resume, delete and list them. */
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

    /**
     * Changes what a schedule sends, to whom, through which account and when ({@code spec} replaces all of it;
     * {@link Schedule#spec()} gives the current one to start from). Checked as {@link #create} checks, with the same
     * errors; nothing changes when a check fails. The schedule gets a new version (compare-and-set) and keeps its id,
     * its history and whether it is paused.
     *
     * <p>Occurrences not yet due follow the edit: their PENDING deliveries (made ahead by the fan-out look-ahead) are
     * removed and made again from the new spec, with the new text, recipients and fire times. Deliveries of
     * occurrences already due, and every delivery that is claimed, being sent, sent or finished, stay as they are; so
     * does a delivery claimed while the edit runs. With an unchanged trigger the schedule goes on at the same
     * occurrences (a spec's {@code every(interval)} without a start keeps the schedule's own start); with a new one it
     * goes on from its next occurrence after now, and a one-time schedule that has fired does not fire again.
     *
     * <p>While an engine is making the schedule's deliveries (it holds the schedule's lease, for milliseconds) the edit
     * waits, up to about two seconds.
     *
     * @throws dev.wasched.NotFoundException          when there is no such schedule
     * @throws dev.wasched.ConcurrentUpdateException  when it kept changing, or stayed leased, while this was tried
     */
    Schedule update(String id, ScheduleSpec spec);

    /**
     * {@link #update(String, ScheduleSpec)} only if the schedule is still in {@code expectedVersion} (as the person
     * editing it saw it), and no engine is making its deliveries at this moment. Otherwise nothing changes.
     *
     * @throws dev.wasched.ConcurrentUpdateException when the schedule changed since that version, or is leased
     */
    Schedule update(String id, long expectedVersion, ScheduleSpec spec);

    Page<Schedule> list(PageRequest page);

    /** Stops firing and cancels the schedule's pending deliveries. */
    Schedule pause(String id);

    /** Fires again from the next occurrence after now (what was missed while paused is not caught up). */
    Schedule resume(String id);

    /** Deletes the schedule and cancels its pending deliveries; history stays. */
    void delete(String id);
}
