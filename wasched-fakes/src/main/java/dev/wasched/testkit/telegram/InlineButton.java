package dev.wasched.testkit.telegram;

import java.util.List;
import java.util.Objects;

/**
 * One button of an inline keyboard the bot attached to a message.
 *
 * @param text         the label shown to the user
 * @param callbackData the {@code callback_data} sent back when pressed, or {@code null} (e.g. URL buttons)
 * @param url          the button's {@code url}, or {@code null}
 */
public record InlineButton(String text, String callbackData, String url) {
    public InlineButton {
        Objects.requireNonNull(text, "text");
    }

    /** A callback button. */
    public static InlineButton callback(String text, String callbackData) {
        return new InlineButton(text, callbackData, null);
    }

    /** Deep, immutable copy of a keyboard; {@code null} becomes an empty keyboard. */
    static List<List<InlineButton>> copyKeyboard(List<List<InlineButton>> keyboard) {
        if (keyboard == null) {
            return List.of();
        }
        return keyboard.stream().map(List::copyOf).toList();
    }

    /** All buttons of a keyboard, row by row. */
    static List<InlineButton> flatten(List<List<InlineButton>> keyboard) {
        return keyboard.stream().flatMap(List::stream).toList();
    }
}
