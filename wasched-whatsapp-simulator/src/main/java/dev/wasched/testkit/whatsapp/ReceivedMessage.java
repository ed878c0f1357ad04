package dev.wasched.testkit.whatsapp;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * A message the simulated WhatsApp server accepted: the truth a test compares a transport's
 * claims against. Instances are immutable snapshots; {@link #status()} is the status at the
 * moment the snapshot was taken.
 *
 * @param id the message id, identical to the {@code data-id} of its bubble in the page
 *     (e.g. {@code true_491701234567@c.us_3EB0A1B2C3D4E5F60718})
 * @param chat the chat: the recipient's number in E.164 ({@code +491701234567}) for a direct
 *     chat, the group's name for a group chat
 * @param group whether {@code chat} names a group
 * @param text the text of a text message (trimmed, as WhatsApp Web sends it); empty for media
 * @param caption the caption of a media message; empty when there is none or for text messages
 * @param media the attached file of a media message
 * @param receivedAt when the server accepted the message
 * @param status how far the message has got
 */
public record ReceivedMessage(
        String id,
        String chat,
        boolean group,
        String text,
        String caption,
        Optional<Media> media,
        Instant receivedAt,
        AckStatus status) {

    /**
     * Checks that no component is null.
     *
     * @param id see the record description
     * @param chat see the record description
     * @param group see the record description
     * @param text see the record description
     * @param caption see the record description
     * @param media see the record description
     * @param receivedAt see the record description
     * @param status see the record description
     */
    public ReceivedMessage {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(chat, "chat");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(caption, "caption");
        Objects.requireNonNull(media, "media");
        Objects.requireNonNull(receivedAt, "receivedAt");
        Objects.requireNonNull(status, "status");
    }

    /**
     * A file sent as an attachment.
     *
     * @param fileName the file name the page reported
     * @param mimeType the MIME type the page reported ({@code application/octet-stream} when the
     *     browser did not know it)
     * @param bytes the file content (copied in and out, so the record stays immutable)
     */
    public record Media(String fileName, String mimeType, byte[] bytes) {

        /**
         * Checks that no component is null and copies the bytes.
         *
         * @param fileName see the record description
         * @param mimeType see the record description
         * @param bytes see the record description
         */
        public Media {
            Objects.requireNonNull(fileName, "fileName");
            Objects.requireNonNull(mimeType, "mimeType");
            bytes = Objects.requireNonNull(bytes, "bytes").clone();
        }

        /**
         * @return a copy of the file content
         */
        @Override
        public byte[] bytes() {
            return bytes.clone();
        }

        /**
         * @return the content length in bytes
         */
        public int size() {
            return bytes.length;
        }

        /**
         * @return the SHA-256 of the content, lower-case hex
         */
        public String sha256() {
            try {
                return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is required by every JDK", e);
            }
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Media m
                    && fileName.equals(m.fileName)
                    && mimeType.equals(m.mimeType)
                    && Arrays.equals(bytes, m.bytes);
        }

        @Override
        public int hashCode() {
            return Objects.hash(fileName, mimeType, Arrays.hashCode(bytes));
        }

        @Override
        public String toString() {
            return "Media[fileName=" + fileName + ", mimeType=" + mimeType + ", size=" + bytes.length
                    + ", sha256=" + sha256() + "]";
        }
    }
}
