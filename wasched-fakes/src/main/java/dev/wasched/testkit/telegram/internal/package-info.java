/**
 * Internals of the fake Telegram Bot API (request parsing, multipart, JSON objects). Not API:
 * users never import this package.
 */
package dev.wasched.testkit.telegram.internal;
