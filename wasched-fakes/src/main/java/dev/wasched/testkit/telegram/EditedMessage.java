package dev.wasched.testkit.telegram;

import java.time.Instant;
import java.util.List;

/**
 * One successful edit of a message the bot had sent.
 *
 * @param method         {@code "editMessageText"} or {@code "editMessageReplyMarkup"}
 * @param chatId         the chat of the edited message
 * @param messageId      the edited message
 * @param text           the new text; for {@code editMessageReplyMarkup} the message's current text
 * @param parseMode      the new text's parse mode, or {@code null}
 * @param inlineKeyboard the keyboard after the edit; empty when the edit removed it
 * @param editedAt       when the fake received the request
 */
public record EditedMessage(String method, long chatId, int messageId, String text, String parseMode,
                            List<List<InlineButton>> inlineKeyboard, Instant editedAt) {
    public EditedMessage {
        inlineKeyboard = InlineButton.copyKeyboard(inlineKeyboard);
    }

    /** All keyboard buttons after the edit, row by row. */
    public List<InlineButton> buttons() {
        return InlineButton.flatten(inlineKeyboard);
    }
}
