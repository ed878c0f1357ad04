package dev.wasched.health;

import java.time.Duration;

/**
 * @param latency how long a ping took
 * @param error   why the store is unreachable, or null
 */
public record StoreHealth(boolean reachable, Duration latency, String error) {
}
