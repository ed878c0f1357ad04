package dev.wasched.event;

/** Receives engine events; see {@link WaschedEvent} for the threading guarantees. */
@FunctionalInterface
public interface WaschedListener {
    void onEvent(WaschedEvent event);
}
