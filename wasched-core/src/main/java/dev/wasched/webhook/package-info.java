/**
 * Webhooks: the engine's events ({@link dev.wasched.event.WaschedEvent}) POSTed as signed JSON to URLs a host
 * registers through {@link dev.wasched.webhook.WebhookService}, so a host in any language can follow what happens.
 * Events go through a durable outbox in the store: delivered at least once, in order per subject, retried with
 * back-off, each with an event id to de-duplicate by. See {@link dev.wasched.webhook.WebhookSignature} for how a
 * receiver checks where a request came from.
 */
package dev.wasched.webhook;
