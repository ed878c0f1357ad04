package dev.wasched.spi.store;

/**
 * What a change notification names, so an engine wakes only the part that has work: the schedules, the deliveries
 * of one account, or, when the store cannot tell, anything.
 *
 * @param account the account whose deliveries changed; null unless {@code kind} is {@link Kind#DELIVERIES}
 */
public record StoreChange(Kind kind, String account) {
    public enum Kind { SCHEDULES, DELIVERIES, ANYTHING }

    /** Something changed; the store cannot tell what. */
    public static final StoreChange ANYTHING = new StoreChange(Kind.ANYTHING, null);
    public static final StoreChange SCHEDULES = new StoreChange(Kind.SCHEDULES, null);

    public StoreChange {
        java.util.Objects.requireNonNull(kind, "kind");
        if ((kind == Kind.DELIVERIES) != (account != null)) {
            throw new IllegalArgumentException("an account goes with DELIVERIES only, was " + kind + " " + account);
        }
    }

    public static StoreChange deliveries(String account) {
        return new StoreChange(Kind.DELIVERIES, account);
    }
}
