package dev.wasched.testkit.telegram;

import java.time.Instant;

/**
 * The bot's {@code answerCallbackQuery} for a callback query pushed into the fake.
 *
 * @param callbackQueryId the answered query's id (as returned by {@link FakeTelegramBotApi#pushCallbackQuery})
 * @param text            the notification text, or {@code null}
 * @param showAlert       whether an alert was requested instead of a toast
 * @param url             the URL to open, or {@code null}
 * @param answeredAt      when the fake received the answer
 */
public record AnsweredCallback(String callbackQueryId, String text, boolean showAlert, String url,
                               Instant answeredAt) {
}
