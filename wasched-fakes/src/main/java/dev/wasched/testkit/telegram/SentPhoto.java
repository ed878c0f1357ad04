package dev.wasched.testkit.telegram;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A photo the bot sent through {@code sendPhoto}.
 *
 * @param chatId         the target chat
 * @param messageId      the id the fake assigned and returned
 * @param bytes          the uploaded bytes; empty when the photo was given by URL or file_id
 * @param fileName       the uploaded file's name, or {@code null}
 * @param fileReference  the URL or file_id when the photo was not uploaded, else {@code null}
 * @param caption        the caption, or {@code null}
 * @param parseMode      the caption's parse mode, or {@code null}
 * @param inlineKeyboard the inline keyboard as rows of buttons; empty when none
 * @param sentAt         when the fake received the request
 */
public record SentPhoto(long chatId, int messageId, byte[] bytes, String fileName, String fileReference,
                        String caption, String parseMode, List<List<InlineButton>> inlineKeyboard,
                        Instant sentAt) {
    public SentPhoto {
        bytes = bytes == null ? new byte[0] : bytes.clone();
        inlineKeyboard = InlineButton.copyKeyboard(inlineKeyboard);
    }

    /** A copy of the uploaded bytes. */
    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    /** Whether the photo was uploaded (rather than given as a URL or file_id). */
    public boolean uploaded() {
        return fileReference == null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SentPhoto p
                && chatId == p.chatId && messageId == p.messageId
                && Arrays.equals(bytes, p.bytes)
                && Objects.equals(fileName, p.fileName) && Objects.equals(fileReference, p.fileReference)
                && Objects.equals(caption, p.caption) && Objects.equals(parseMode, p.parseMode)
                && inlineKeyboard.equals(p.inlineKeyboard) && Objects.equals(sentAt, p.sentAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(chatId, messageId, fileName, fileReference, caption, parseMode, inlineKeyboard, sentAt)
                * 31 + Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "SentPhoto[chatId=" + chatId + ", messageId=" + messageId + ", bytes=" + bytes.length + " bytes"
                + ", fileName=" + fileName + ", fileReference=" + fileReference + ", caption=" + caption
                + ", parseMode=" + parseMode + ", inlineKeyboard=" + inlineKeyboard + ", sentAt=" + sentAt + "]";
    }
}
