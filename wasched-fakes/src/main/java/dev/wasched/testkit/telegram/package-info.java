/**
 * A fake Telegram Bot API for tests: {@link dev.wasched.testkit.telegram.FakeTelegramBotApi} serves
 * one bot token over real HTTP on {@code 127.0.0.1}, so a bot built on TelegramBots 10.x (or any
 * other client) can be tested without network access.
 *
 * <h2>Choices</h2>
 * <ul>
 *   <li>URLs are {@code /bot<TOKEN>/<method>}, as TelegramBots 10.x builds them from a
 *       {@code TelegramUrl} (schema, host, port; {@code /bot<TOKEN>/test/<method>} when its
 *       test-server flag is set). Method names match case-insensitively.</li>
 *   <li>JSON, url-encoded and multipart bodies are all read; in form and multipart bodies,
 *       {@code reply_markup} and {@code commands} are JSON text. An uploaded file is found either
 *       in a part named like the parameter or through {@code attach://<part>}, which is how
 *       TelegramBots 10.x uploads a new {@code InputFile} for {@code sendPhoto}.</li>
 *   <li>{@code getUpdates} is held, not answered instantly, when nothing is pending (up to the
 *       request's {@code timeout}, capped by the configured hold, default 1 s); offsets confirm
 *       updates as in the real API; a concurrent second poll ends the first with 409.</li>
 *   <li>Behaviour copied from the real API because bots must cope with it: edits that change
 *       nothing answer 400 "message is not modified"; {@code editMessageText} without
 *       {@code reply_markup} removes the inline keyboard; a callback query can be answered once;
 *       texts over 4096 and captions over 1024 characters are rejected.</li>
 *   <li>Update ids and message ids start at 1 and only increase (also across
 *       {@link dev.wasched.testkit.telegram.FakeTelegramBotApi#reset()}). Positive chat ids are
 *       private chats with the user of the same id, negative ones groups, {@code -100...}
 *       supergroups.</li>
 *   <li>Not served: other methods (404), inline messages ({@code inline_message_id}), webhooks
 *       beyond {@code deleteWebhook}/{@code getWebhookInfo}, and {@code allowed_updates} filtering.</li>
 * </ul>
 *
 * <p>Note for TelegramBots users: TelegramBots fills {@code MessageEntity.text} lazily in
 * {@code Message.getEntities()}, and {@code Message.isCommand()}/{@code getCommand()} read the
 * entities without that step, so they report no command until {@code getEntities()} has been
 * called. The real API behaves the same way, and so does this fake.
 */
package dev.wasched.testkit.telegram;
