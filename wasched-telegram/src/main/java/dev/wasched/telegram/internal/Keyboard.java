package dev.wasched.telegram.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.telegram.telegrambots.meta.api.objects.replykeyboard.InlineKeyboardMarkup;
import org.telegram.telegrambots.meta.api.objects.replykeyboard.buttons.InlineKeyboardButton;
import org.telegram.telegrambots.meta.api.objects.replykeyboard.buttons.InlineKeyboardRow;

/** Builds an inline keyboard row by row. Telegram allows 1 to 64 bytes of callback data per button. */
public final class Keyboard {
    public static final int MAX_CALLBACK_DATA = 64;
    private final List<InlineKeyboardRow> rows = new ArrayList<>();
    private InlineKeyboardRow current;

    public Keyboard row() {
        current = null;
        return this;
    }

    public Keyboard button(String label, String data) {
        if (data.getBytes(StandardCharsets.UTF_8).length > MAX_CALLBACK_DATA) {
            throw new IllegalArgumentException("callback data over " + MAX_CALLBACK_DATA + " bytes: " + data);
        }
        if (current == null) {
            current = new InlineKeyboardRow();
            rows.add(current);
        }
        current.add(InlineKeyboardButton.builder().text(label).callbackData(data).build());
        return this;
    }

    public static boolean fits(String data) {
        return data.getBytes(StandardCharsets.UTF_8).length <= MAX_CALLBACK_DATA;
    }

    /** The markup, or null when there are no buttons (an edit without markup removes the keyboard). */
    public InlineKeyboardMarkup build() {
        return rows.isEmpty() ? null : new InlineKeyboardMarkup(new ArrayList<>(rows));
    }
}
