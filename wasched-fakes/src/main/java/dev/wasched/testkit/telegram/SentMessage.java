package dev.wasched.testkit.telegram;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A text message the bot sent through {@code sendMessage}, as it was sent (later edits are
 * recorded separately as {@link EditedMessage}).
 *
 * @param chatId         the target chat
 * @param messageId      the id the fake assigned and returned
 * @param text           the message text
 * @param parseMode      the {@code parse_mode} ({@code "HTML"}, {@code "MarkdownV2"}, ...) or {@code null}
 * @param inlineKeyboard the inline keyboard as rows of buttons; empty when none
 * @param sentAt         when the fake received the request
 */
public record SentMessage(long chatId, int messageId, String text, String parseMode,
                          List<List<InlineButton>> inlineKeyboard, Instant sentAt) {
    public SentMessage {
        inlineKeyboard = InlineButton.copyKeyboard(inlineKeyboard);
    }

    /** All keyboard buttons, row by row. */
    public List<InlineButton> buttons() {
        return InlineButton.flatten(inlineKeyboard);
    }

    /** The first button with exactly this label. */
    public Optional<InlineButton> button(String label) {
        return buttons().stream().filter(b -> b.text().equals(label)).findFirst();
    }
}
