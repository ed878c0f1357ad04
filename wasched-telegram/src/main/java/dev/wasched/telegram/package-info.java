/**
 * Remote control and notifications over Telegram: {@link dev.wasched.telegram.TelegramController}, configured with
 * {@link dev.wasched.telegram.TelegramControllerConfig}; {@link dev.wasched.telegram.Notification} names the events a
 * chat can be told about.
 */
package dev.wasched.telegram;
