package dev.wasched.delivery;

import dev.wasched.Page;
import dev.wasched.PageRequest;
import dev.wasched.report.OccurrenceReport;
import dev.wasched.report.ScheduleReport;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;

/**
 * Deliveries: their history and counts, and what a person may do with one (requeue a dead letter, resolve an uncertain
 * one, cancel).
 */
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

    /**
     * How a schedule (a campaign) did: its deliveries counted by status, replied and rates, per occurrence (earliest
     * first) and in total; see {@link dev.wasched.report.DeliveryCounts} for what each figure counts. A schedule with
     * no deliveries yet reports zeros and no occurrences. A deleted schedule whose deliveries are still kept is
     * reported from them.
     *
     * @throws dev.wasched.NotFoundException when there is no such schedule and no delivery of it
     */
    ScheduleReport report(String scheduleId);

    /**
     * The report of one occurrence of a schedule: its deliveries for {@code fireAt} (to the millisecond), counted.
     * An occurrence with no deliveries (not fanned out yet, or never) reports zeros.
     *
     * @throws dev.wasched.NotFoundException when there is no such schedule and no delivery of it
     */
    OccurrenceReport report(String scheduleId, Instant fireAt);

    /**
     * Writes the deliveries the query matches as CSV, newest first: one header row, then one row per delivery. It
     * reads them a page at a time (never all at once, so any number can be exported) and flushes {@code out} after
     * each page when it is {@link java.io.Flushable}. A delivery made while the export runs may or may not be in it;
     * none is written twice.
     *
     * <p>Columns: {@code id, schedule_id, fire_at, account, recipient_kind, contact_id, phone, group, status,
     * attempts, created_at, sent_at, delivered_at, read_at, replied_at, last_error, message_id}. Times are ISO-8601
     * UTC ({@code 2026-05-04T10:15:30.123Z}), empty when not reached; {@code phone} is set for a contact or a number,
     * {@code group} for a group; {@code last_error} is redacted as everywhere (no URL, number or message text). The
     * message text is not exported.
     *
     * <p>RFC 4180: fields separated by commas, rows ended by CRLF, a field quoted when it holds a comma, a quote or
     * a line break, quotes inside doubled. Against spreadsheet formula injection, a value starting with {@code =},
     * {@code +}, {@code -}, {@code @}, a tab or a carriage return is written with a leading apostrophe
     * ({@code '=…}); phone numbers, which start with {@code +}, read {@code '+4915…} too. Strip the apostrophe when
     * the file goes to a program rather than a spreadsheet.
     *
     * @return the rows written, the header not counted
     * @throws IOException when {@code out} fails; what was written stays written
     */
    long exportCsv(DeliveryQuery query, Appendable out) throws IOException;
}
