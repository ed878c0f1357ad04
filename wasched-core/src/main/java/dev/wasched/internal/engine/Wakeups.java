package dev.wasched.internal.engine;

/** How services tell the engine about a local change, so it acts now instead of at the next poll. */
public interface Wakeups {
    void schedulesChanged();

    void deliveriesChanged(String account);

    Wakeups NONE = new Wakeups() {
        @Override
        public void schedulesChanged() {
        }

        @Override
        public void deliveriesChanged(String account) {
        }
    };
}
