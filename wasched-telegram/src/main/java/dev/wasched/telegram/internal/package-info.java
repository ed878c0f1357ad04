/** The Telegram controller's workings; may change without notice. */
package dev.wasched.telegram.internal;
