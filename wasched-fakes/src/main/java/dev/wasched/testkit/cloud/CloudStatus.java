package dev.wasched.testkit.cloud;

/** A status the fake reports for a message by webhook, in the order they follow each other. */
public enum CloudStatus {
    SENT, DELIVERED, READ;

    String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
