package dev.wasched.spi.store;

import dev.wasched.Page;
import dev.wasched.PageRequest;
import dev.wasched.delivery.Delivery;
import dev.wasched.delivery.DeliveryQuery;
import dev.wasched.delivery.DeliveryStatus;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Deliveries as a store keeps them: every state change a compare-and-set on the stored version, fenced by the
 * account's session lease where a send is concerned.
 */
public interface DeliveryRepository {
    /**
     * Inserts deliveries, skipping those whose unique key {@code (scheduleId, fireAt, recipient.key())} exists.
     *
     * @return how many were inserted
     */
    int insertAll(List<Delivery> deliveries);

    /** Compare-and-set on version. */
    boolean update(Delivery delivery);

    Optional<Delivery> findById(String id);

    /**
     * Removes a delivery that never started, only while it is PENDING in {@code version}: a schedule's edit replaces
     * the deliveries made ahead for occurrences not yet due (see {@link WaschedStore#editSchedule}), which frees
     * their unique keys for the new ones. The default cannot remove anything and refuses; every store of this
     * project implements it.
     *
     * @return true when it was removed; false when it is unknown or moved on
     */
    default boolean deletePending(String id, long version) {
        throw new UnsupportedOperationException("this store cannot remove pending deliveries (needed to edit a"
                + " schedule whose occurrences were made ahead)");
    }

    Optional<Delivery> findByTransportMessageId(String account, String transportMessageId);

    /**
     * Compare-and-set on version, fenced: also only while {@code fence} is held (in the same statement, or the
     * store's nearest equivalent, see its documentation). Used for every transition the owner of an account makes.
     */
    boolean update(Delivery delivery, Lease fence);

    /**
     * Stores evidence of the current attempt (a send marker and/or the message id the transport saw; null leaves a
     * field as it is) on a delivery that is still SENDING in {@code version}, without changing the version. False
     * when the delivery moved on.
     */
    boolean recordEvidence(String deliveryId, long version, String sendMarker, String messageId);

    /**
     * Sets {@link Delivery#repliedAt()} to {@code at} while it is still null, whatever the status and without changing
     * the version; no transition ({@link #update}) ever writes or clears it. Without a version check on purpose: a
     * reply arrives while the sender records acks by compare-and-set on the version, and neither may make the other
     * fail or retry. The first reply wins.
     *
     * @return true when it was set now; false when the delivery is unknown or was marked replied already
     */
    boolean markReplied(String deliveryId, Instant at);

    /**
     * Atomically claims up to {@code limit} PENDING deliveries of {@code account} with {@code dueAt <= now}, earliest
     * {@code dueAt} first (then id): sets status CLAIMED, {@code leaseOwner = fence.owner()},
     * {@code updatedAt = now}, {@code version + 1}, and returns them as stored in that order. Claims nothing unless
     * {@code fence} is held.
     */
    List<Delivery> claimDue(String account, Instant now, Lease fence, int limit);

    /**
     * CLAIMED or SENDING deliveries of {@code account}: what a new owner of the account takes back (claims to
     * PENDING, sends to UNCERTAIN) before it claims anything itself.
     */
    List<Delivery> findInFlight(String account, int limit);

    /** CLAIMED or SENDING deliveries leased by {@code owner} (used to hand work back on shutdown). */
    List<Delivery> findLeasedBy(String owner, int limit);

    /** The earliest {@code dueAt} of PENDING deliveries of these accounts, for the engine's wake-up. */
    Optional<Instant> earliestDue(List<String> accounts);

    /**
     * The earliest {@code dueAt} of PENDING deliveries of each of these accounts that has any: an instance asks once
     * for all accounts it runs, and wakes only those with something due. The default asks once per account.
     */
    default Map<String, Instant> earliestDueByAccount(Collection<String> accounts) {
        Map<String, Instant> due = new HashMap<>();
        for (String account : new LinkedHashSet<>(accounts)) {
            earliestDue(List.of(account)).ifPresent(at -> due.put(account, at));
        }
        return due;
    }

    /** History matching the query, newest first (by id, descending); the cursor is the last id returned. */
    Page<Delivery> history(DeliveryQuery query, PageRequest page);

    /**
     * Moves {@code pending} to {@code account} (its share of a campaign, from an account that cannot send), only while
     * it is still PENDING in the version given; true when moved, as {@code pending.reassigned(account, now)}. The
     * default removes it and inserts it again (a crash between the two loses it); stores do it in one statement.
     */
    default boolean reassignPending(Delivery pending, String account, java.time.Instant now) {
        Delivery moved = pending.reassigned(account, now);
        if (!deletePending(pending.id(), pending.version())) {
            return false;
        }
        insertAll(List.of(moved));
        return true;
    }

    /** PENDING deliveries of a schedule or a contact (exactly one of the two non-null), up to {@code limit}. */
    List<Delivery> findPending(String scheduleId, String contactId, int limit);

    /** Whether anything was ever sent (SENT, DELIVERED or READ) from {@code account} to {@code address}. */
    boolean wasSentTo(String account, String address);

    /** Counts by status, for one account or (null) all. Statuses with no delivery may be missing. */
    Map<DeliveryStatus, Long> countByStatus(String account);

    /**
     * Counts of only the given statuses, for one account or (null) all. Health asks for the open ones (pending, in
     * flight, dead, uncertain), which partial indexes answer without reading the history. This default counts every
     * status and filters; stores answer with a filtered count.
     */
    default Map<DeliveryStatus, Long> countByStatus(String account, java.util.Set<DeliveryStatus> only) {
        Map<DeliveryStatus, Long> all = new java.util.EnumMap<>(DeliveryStatus.class);
        countByStatus(account).forEach((status, n) -> {
            if (only.contains(status)) {
                all.put(status, n);
            }
        });
        return all;
    }

    /** Deliveries that were answered ({@link Delivery#repliedAt()} set), for one account or (null) all. */
    long countReplied(String account);

    /**
     * A schedule's deliveries counted by occurrence and status, for reports: one entry per {@code (fireAt, status)}
     * that has deliveries (no zero entries, in no particular order), with how many of them were answered
     * ({@link Delivery#repliedAt()} set). {@code fireAt} null counts every occurrence, else only that one. The default
     * reads the schedule's history a page at a time; stores answer with one grouped query.
     */
    default List<OccurrenceCount> countByOccurrence(String scheduleId, Instant fireAt) {
        DeliveryQuery query = DeliveryQuery.all().forSchedule(java.util.Objects.requireNonNull(scheduleId, "scheduleId"));
        Instant at = fireAt == null ? null : fireAt.truncatedTo(ChronoUnit.MILLIS);
        // Pages read one after another as the tally consumes them: one page in memory at a time.
        Stream<Delivery> all = Stream.iterate(history(query, PageRequest.first(PageRequest.MAX_LIMIT)), Objects::nonNull,
                        p -> p.nextCursor().map(c -> history(query, PageRequest.after(c, PageRequest.MAX_LIMIT)))
                                .orElse(null))
                .flatMap(p -> p.items().stream());
        return OccurrenceCount.tally(all.filter(d -> at == null || at.equals(d.fireAt())));
    }

    /** PENDING deliveries with {@code dueAt <= now}, for one account or (null) all: the queue that is due now. */
    long countDue(String account, Instant now);

    /** Deletes up to {@code limit} SENT, DELIVERED, READ, CANCELLED or DISMISSED deliveries last updated before {@code before}. */
    int purge(Instant before, int limit);
}
