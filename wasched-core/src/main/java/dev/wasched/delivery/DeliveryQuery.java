package dev.wasched.delivery;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;

/**
 * Filters for delivery history; null fields do not filter. History is returned newest first.
 *
 * @param from        created at or after, or null
 * @param to          created before, or null
 * @param repliedOnly only deliveries that were answered ({@link Delivery#repliedAt()} set)
 */
public record DeliveryQuery(String scheduleId, String contactId, String account, Set<DeliveryStatus> statuses,
                            Instant from, Instant to, boolean repliedOnly) {
    public DeliveryQuery {
        statuses = statuses == null || statuses.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(statuses));
    }

    /** Answered or not. */
    public DeliveryQuery(String scheduleId, String contactId, String account, Set<DeliveryStatus> statuses,
                         Instant from, Instant to) {
        this(scheduleId, contactId, account, statuses, from, to, false);
    }

    public static DeliveryQuery all() {
        return new DeliveryQuery(null, null, null, Set.of(), null, null);
    }

    public static DeliveryQuery status(DeliveryStatus... statuses) {
        return new DeliveryQuery(null, null, null, Set.of(statuses), null, null);
    }

    public DeliveryQuery forSchedule(String id) {
        return new DeliveryQuery(id, contactId, account, statuses, from, to, repliedOnly);
    }

    public DeliveryQuery forContact(String id) {
        return new DeliveryQuery(scheduleId, id, account, statuses, from, to, repliedOnly);
    }

    public DeliveryQuery forAccount(String name) {
        return new DeliveryQuery(scheduleId, contactId, name, statuses, from, to, repliedOnly);
    }

    public DeliveryQuery between(Instant fromInclusive, Instant toExclusive) {
        return new DeliveryQuery(scheduleId, contactId, account, statuses, fromInclusive, toExclusive, repliedOnly);
    }

    /** Only the deliveries that were answered (a received message was linked to them). */
    public DeliveryQuery replied() {
        return new DeliveryQuery(scheduleId, contactId, account, statuses, from, to, true);
    }

    /** Whether a delivery passes this filter; stores without query pushdown (and tests) use it. */
    public boolean matches(Delivery d) {
        return (scheduleId == null || scheduleId.equals(d.scheduleId()))
                && (contactId == null || contactId.equals(d.recipient().contactId()))
                && (account == null || account.equals(d.account()))
                && (statuses.isEmpty() || statuses.contains(d.status()))
                && (from == null || !d.createdAt().isBefore(from))
                && (to == null || d.createdAt().isBefore(to))
                && (!repliedOnly || d.repliedAt() != null);
    }
}
