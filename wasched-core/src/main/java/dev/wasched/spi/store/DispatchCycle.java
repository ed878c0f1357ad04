package dev.wasched.spi.store;

import dev.wasched.contact.Contact;
import dev.wasched.delivery.Delivery;
import dev.wasched.delivery.Recipient;
import dev.wasched.schedule.Schedule;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One dispatch cycle of one account, as {@link WaschedStore#dispatch} runs it: the outcomes its sender learned since
 * the last cycle are written, the pacing state saved, and the next due deliveries claimed straight into SENDING, all
 * in one transaction where the store has them.
 *
 * <p>Claiming: up to {@code claimLimit} PENDING deliveries of {@code account} with {@code dueAt <= claimUntil}, earliest
 * {@code dueAt} first (then id), only while {@code fence} is held. A due delivery that must not go out any more (its
 * contact deleted or opted out, its schedule deleted or paused) is CANCELLED in the same cycle instead, with one of the
 * {@code CANCELLED_*} reasons, and does not count against the limit. A claimed delivery is SENDING: one more attempt,
 * {@code leaseOwner = fence.owner()}, no send marker or message id, version + 1. It is the caller's from then on: it
 * goes back to PENDING only through an outcome ({@link Delivery#notStarted}) when the transport was not called.
 *
 * @param account          the account whose deliveries are written and claimed
 * @param now              the cycle's time: what is due, and {@code updatedAt} of claims and cancellations
 * @param fence            the account's session lease; nothing is claimed or cancelled unless it is held
 * @param outcomes         transitions of deliveries this instance was sending, each written by compare-and-set on
 *                         its version ({@code outcome.version() - 1}); they need no lease: a delivery another owner
 *                         took over has a newer version and is left as it is
 * @param pacing           the account's pacing state to save (compare-and-set, see {@link PacingRepository#save}),
 *                         or null
 * @param claimLimit       how many to claim into SENDING (0: write only)
 * @param markFirstContact whether to tell which claimed deliveries go to a contact address this account never sent
 *                         to (for the new-contact cap)
 * @param claimUntil       what counts as due for the claim and the cancellations: {@code now}, or a moment later when
 *                         the engine claims just before a delivery is due (it then sends it no earlier than due)
 * @param nextDueAfterClaim whether {@link Result#nextDue} is wanted also when the cycle claimed or cancelled some:
 *                         the engine's sender cycles again at once then and does not want it, so a store may skip
 *                         that lookup (a statement per cycle); true for every other caller
 */
public record DispatchCycle(String account, Instant now, Lease fence, List<Delivery> outcomes, PacingState pacing,
                            int claimLimit, boolean markFirstContact, Instant claimUntil, boolean nextDueAfterClaim) {
    public static final String CANCELLED_CONTACT_DELETED = "contact deleted";
    public static final String CANCELLED_CONTACT_OPTED_OUT = "contact opted out";
    public static final String CANCELLED_SCHEDULE_DELETED = "schedule deleted";
    public static final String CANCELLED_SCHEDULE_PAUSED = "schedule paused";

    public DispatchCycle {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(now, "now");
        outcomes = List.copyOf(outcomes);
        if (claimLimit < 0) {
            throw new IllegalArgumentException("claimLimit must not be negative, was " + claimLimit);
        }
        if (claimLimit > 0) {
            Objects.requireNonNull(fence, "fence (a claim needs the session lease)");
        }
        claimUntil = claimUntil == null ? now : claimUntil;
        if (claimUntil.isBefore(now)) {
            throw new IllegalArgumentException("claimUntil " + claimUntil + " is before now " + now);
        }
    }

    /** A cycle whose result always carries the next due time. */
    public DispatchCycle(String account, Instant now, Lease fence, List<Delivery> outcomes, PacingState pacing,
                         int claimLimit, boolean markFirstContact, Instant claimUntil) {
        this(account, now, fence, outcomes, pacing, claimLimit, markFirstContact, claimUntil, true);
    }

    /** Whether the next due time is to be looked up after a cycle that took {@code sending} and {@code cancelled}. */
    public boolean wantsNextDue(List<Delivery> sending, List<Delivery> cancelled) {
        return nextDueAfterClaim || (sending.isEmpty() && cancelled.isEmpty());
    }

    /** A cycle that claims what is due at {@code now}. */
    public DispatchCycle(String account, Instant now, Lease fence, List<Delivery> outcomes, PacingState pacing,
                         int claimLimit, boolean markFirstContact) {
        this(account, now, fence, outcomes, pacing, claimLimit, markFirstContact, now);
    }

    /** A cycle that only writes outcomes and pacing. */
    public static DispatchCycle writeOnly(String account, Instant now, List<Delivery> outcomes, PacingState pacing) {
        return new DispatchCycle(account, now, null, outcomes, pacing, 0, false);
    }

    /**
     * What a cycle did.
     *
     * @param recorded     the outcomes written
     * @param notRecorded  the outcomes not written (the stored version had moved on)
     * @param pacingSaved  whether the pacing state was saved (false also when none was given)
     * @param sending      the deliveries claimed into SENDING, as stored, in claim order
     * @param firstContact ids of claimed deliveries to an address this account never sent to (only when asked)
     * @param cancelled    deliveries cancelled instead of claimed, as stored, each with its reason in
     *                     {@link Delivery#lastError()}
     * @param nextDue      the earliest {@code dueAt} of the account's PENDING deliveries after the cycle, or null when
     *                     none is left, or when the cycle took some and did not ask for it
     *                     ({@link DispatchCycle#nextDueAfterClaim}). After a full claim a store may look only past
     *                     the last delivery claimed (a due delivery another transaction held locked during the claim
     *                     is then found by that writer's change notification or the engine's fallback poll)
     */
    public record Result(List<Delivery> recorded, List<Delivery> notRecorded, boolean pacingSaved,
                         List<Delivery> sending, Set<String> firstContact, List<Delivery> cancelled, Instant nextDue) {
        public Result {
            recorded = List.copyOf(recorded);
            notRecorded = List.copyOf(notRecorded);
            sending = List.copyOf(sending);
            firstContact = Set.copyOf(firstContact);
            cancelled = List.copyOf(cancelled);
        }
    }

    /**
     * Why a due delivery must not go out any more, or null: the one rule every store applies, for stores that check
     * in code.
     *
     * @param contact  the delivery's contact (for a contact recipient): empty when deleted
     * @param schedule the delivery's schedule: empty when deleted
     */
    public static String cancellationReason(Delivery d, Optional<Contact> contact, Optional<Schedule> schedule) {
        if (d.recipient().kind() == Recipient.Kind.CONTACT) {
            if (contact.isEmpty()) {
                return CANCELLED_CONTACT_DELETED;
            }
            if (contact.get().optedOut()) {
                return CANCELLED_CONTACT_OPTED_OUT;
            }
        }
        if (schedule.isEmpty()) {
            return CANCELLED_SCHEDULE_DELETED;
        }
        return schedule.get().paused() ? CANCELLED_SCHEDULE_PAUSED : null;
    }

    /**
     * Runs the cycle through a store's repositories, one call after another, without a transaction around them: what
     * {@link WaschedStore#dispatch} does unless a store does better. Each step is safe on its own (compare-and-set,
     * fenced claims), so a failure part-way leaves nothing inconsistent, only less done.
     */
    public Result runByParts(WaschedStore store) {
        DeliveryRepository deliveries = store.deliveries();
        List<Delivery> recorded = new ArrayList<>();
        List<Delivery> notRecorded = new ArrayList<>();
        for (Delivery o : outcomes) {
            (deliveries.update(o) ? recorded : notRecorded).add(o);
        }
        boolean pacingSaved = pacing != null && store.pacing().save(pacing);
        List<Delivery> sending = new ArrayList<>();
        Set<String> first = new HashSet<>();
        List<Delivery> cancelled = new ArrayList<>();
        Map<String, Optional<Schedule>> schedules = new HashMap<>();
        while (sending.size() < claimLimit) {
            int want = claimLimit - sending.size();
            List<Delivery> claimed = deliveries.claimDue(account, claimUntil, fence, want);
            for (Delivery d : claimed) {
                Optional<Contact> contact = d.recipient().kind() == Recipient.Kind.CONTACT
                        ? store.contacts().findById(d.recipient().contactId()) : Optional.empty();
                String reason = cancellationReason(d, contact,
                        schedules.computeIfAbsent(d.scheduleId(), id -> store.schedules().findById(id)));
                Delivery next = reason != null ? d.cancel(reason, now) : d.startSending(now);
                if (!deliveries.update(next, fence)) {
                    deliveries.update(d.release(d.dueAt(), now)); // the lease is gone: the next owner decides
                    continue;
                }
                if (reason != null) {
                    cancelled.add(next);
                    continue;
                }
                sending.add(next);
                if (markFirstContact && d.recipient().isPhone()
                        && !deliveries.wasSentTo(account, d.recipient().address())) {
                    first.add(d.id());
                }
            }
            if (claimed.size() < want) {
                break; // nothing more is due
            }
        }
        Instant nextDue = wantsNextDue(sending, cancelled) ? deliveries.earliestDue(List.of(account)).orElse(null) : null;
        return new Result(recorded, notRecorded, pacingSaved, sending, first, cancelled, nextDue);
    }
}
