/** Webhook delivery: the outbox writer fed by the event bus, and the worker that POSTs outbox rows. */
package dev.wasched.internal.webhook;
