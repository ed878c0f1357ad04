package dev.wasched.telegram.internal;

import org.telegram.telegrambots.meta.api.objects.replykeyboard.InlineKeyboardMarkup;

/** A list page ready to send or to edit into an existing message. */
record Rendered(String text, InlineKeyboardMarkup keyboard, PageMemory.Page page) {
}
