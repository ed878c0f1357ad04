package dev.wasched.delivery;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;

/**
 * Filters for delivery history; null fields do not filter. History is returned newest first.
 *
 * @param from created at or after, or null
 * @param to   created before, or null
 */
public record DeliveryQuery(String scheduleId, String contactId, String account, Set<DeliveryStatus> statuses,
                            Instant from, Instant to) {
    public DeliveryQuery {
        statuses = statuses == null || statuses.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(statuses));
    }

    public static DeliveryQuery all() {
        return new DeliveryQuery(null, null, null, Set.of(), null, null);
    }

    public static DeliveryQuery status(DeliveryStatus... statuses) {
        return new DeliveryQuery(null, null, null, Set.of(statuses), null, null);
    }

    public DeliveryQuery forSchedule(String id) {
        return new DeliveryQuery(id, contactId, account, statuses, from, to);
    }

    public DeliveryQuery forContact(String id) {
        return new DeliveryQuery(scheduleId, id, account, statuses, from, to);
    }

    public DeliveryQuery forAccount(String name) {
        return new DeliveryQuery(scheduleId, contactId, name, statuses, from, to);
    }

    public DeliveryQuery between(Instant fromInclusive, Instant toExclusive) {
        return new DeliveryQuery(scheduleId, contactId, account, statuses, fromInclusive, toExclusive);
    }

    /** Whether a delivery passes this filter; stores without query pushdown (and tests) use it. */
    public boolean matches(Delivery d) {
        return (scheduleId == null || scheduleId.equals(d.scheduleId()))
                && (contactId == null || contactId.equals(d.recipient().contactId()))
                && (account == null || account.equals(d.account()))
                && (statuses.isEmpty() || statuses.contains(d.status()))
                && (from == null || !d.createdAt().isBefore(from))
                && (to == null || d.createdAt().isBefore(to));
    }
}
