package dev.wasched.webhook;

import dev.wasched.Secret;
import java.time.Instant;
import java.util.Objects;

/**
 * A registered endpoint, kept in the store: every instance on the store delivers to it, and it survives restarts.
 * The secret is stored as given (the store must be able to sign with it), so protect the store as you protect the
 * secret; {@code toString} never shows it.
 */
public record WebhookEndpoint(String id, WebhookSpec spec, Instant createdAt, Instant updatedAt, long version) {
    public WebhookEndpoint {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    public java.net.URI url() {
        return spec.url();
    }

    public Secret secret() {
        return spec.secret();
    }

    /** The same endpoint with a new spec, one version later. */
    public WebhookEndpoint edited(WebhookSpec newSpec, Instant now) {
        return new WebhookEndpoint(id, newSpec, createdAt, now, version + 1);
    }
}
