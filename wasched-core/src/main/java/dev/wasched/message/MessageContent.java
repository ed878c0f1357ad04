package dev.wasched.message;

import dev.wasched.ValidationException;

/**
 * What one delivery sends: text, or a media file with the text as its caption.
 *
 * @param text  up to {@value #MAX_TEXT} characters; may be empty only when there is media
 * @param media null for a text message
 */
public record MessageContent(String text, MediaAttachment media) {
    public static final int MAX_TEXT = 65_536;

    public MessageContent {
        text = text == null ? "" : text;
        if (text.length() > MAX_TEXT) {
            throw new ValidationException("text", "message is " + text.length() + " characters, the limit is " + MAX_TEXT);
        }
        if (media == null && text.isBlank()) {
            throw new ValidationException("text", "message is empty");
        }
    }

    public static MessageContent text(String text) {
        return new MessageContent(text, null);
    }

    public static MessageContent media(MediaAttachment media, String caption) {
        return new MessageContent(caption, media);
    }

    public boolean hasMedia() {
        return media != null;
    }
}
