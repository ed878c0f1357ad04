package dev.wasched.internal.engine;

import java.time.Instant;

/** How services tell the engine about a local change, so it acts now instead of at the next poll. */
public interface Wakeups {
    void schedulesChanged();

    /** The account's deliveries changed in a way that may make one due now. */
    default void deliveriesChanged(String account) {
        deliveriesDue(account, null);
    }

    /** New deliveries of the account, the earliest due at {@code at} (null: look now). */
    void deliveriesDue(String account, Instant at);

    Wakeups NONE = new Wakeups() {
        @Override
        public void schedulesChanged() {
        }

        @Override
        public void deliveriesDue(String account, Instant at) {
        }
    };
}
