package dev.wasched.webhook;

/** Where one event stands for one endpoint. */
public enum OutboxStatus {
    /** Not yet answered with 2xx: due at {@link OutboxEntry#dueAt()}. */
    PENDING,
    /** The endpoint answered 2xx; purged after the webhook retention. */
    DELIVERED,
    /** Given up on (attempts or age exhausted): kept until the endpoint is removed, so a person can see it. */
    FAILED
}
