package dev.wasched.testkit.telegram;

import java.time.Instant;

/**
 * One request that reached the fake.
 *
 * @param method     the Bot API method, in its canonical spelling when known ({@code getUpdates}),
 *                   else as requested
 * @param receivedAt when the request arrived (before any holding)
 * @param status     the HTTP status answered, or 0 while the request is still being held
 */
public record RecordedCall(String method, Instant receivedAt, int status) {
}
