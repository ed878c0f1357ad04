package dev.wasched.spi.store;

import dev.wasched.delivery.Delivery;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a change notification names, so an engine wakes only the part that has work: the schedules, the deliveries
 * of one account, or, when the store cannot tell, anything.
 *
 * @param account the account whose deliveries changed; null unless {@code kind} is {@link Kind#DELIVERIES}
 * @param dueAt   {@link Kind#DELIVERIES} only: the earliest due time of the deliveries written, so an engine that runs
 *                the account looks then instead of at once; null when it is not known (look now)
 */
public record StoreChange(Kind kind, String account, Instant dueAt) {
    public enum Kind { SCHEDULES, DELIVERIES, ANYTHING }

    /** Something changed; the store cannot tell what. */
    public static final StoreChange ANYTHING = new StoreChange(Kind.ANYTHING, null);
    public static final StoreChange SCHEDULES = new StoreChange(Kind.SCHEDULES, null);

    public StoreChange {
        java.util.Objects.requireNonNull(kind, "kind");
        if ((kind == Kind.DELIVERIES) != (account != null)) {
            throw new IllegalArgumentException("an account goes with DELIVERIES only, was " + kind + " " + account);
        }
        if (dueAt != null && kind != Kind.DELIVERIES) {
            throw new IllegalArgumentException("a due time goes with DELIVERIES only, was " + kind);
        }
    }

    public StoreChange(Kind kind, String account) {
        this(kind, account, null);
    }

    /** The account's deliveries changed in a way that may make one due now. */
    public static StoreChange deliveries(String account) {
        return new StoreChange(Kind.DELIVERIES, account);
    }

    /** New deliveries of the account, the earliest due at {@code dueAt}. */
    public static StoreChange deliveries(String account, Instant dueAt) {
        return new StoreChange(Kind.DELIVERIES, account, dueAt);
    }

    /** One change per account among {@code written} new deliveries, each with that account's earliest due time. */
    public static List<StoreChange> written(Collection<Delivery> written) {
        Map<String, Instant> earliest = earliestDue(written);
        List<StoreChange> changes = new ArrayList<>(earliest.size());
        earliest.forEach((account, due) -> changes.add(deliveries(account, due)));
        return changes;
    }

    /** Each account's earliest due time among {@code deliveries}, in the order the accounts first appear. */
    public static Map<String, Instant> earliestDue(Collection<Delivery> deliveries) {
        Map<String, Instant> earliest = new LinkedHashMap<>();
        for (Delivery d : deliveries) {
            earliest.merge(d.account(), d.dueAt(), (a, b) -> a.isBefore(b) ? a : b);
        }
        return earliest;
    }
}
