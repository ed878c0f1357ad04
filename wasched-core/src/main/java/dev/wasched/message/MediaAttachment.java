package dev.wasched.message;

import dev.wasched.ValidationException;
import java.util.regex.Pattern;

/**
 * A file stored through the store, referred to by the SHA-256 of its bytes (so the same file is kept once). Obtain
 * one from {@code wasched.media().store(...)}.
 */
public record MediaAttachment(String sha256, String mimeType, String fileName, long size) {
    private static final Pattern SHA = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern MIME = Pattern.compile("[a-z]+/[a-zA-Z0-9.+_-]+");

    public MediaAttachment {
        if (sha256 == null || !SHA.matcher(sha256).matches()) {
            throw new ValidationException("media.sha256", "not a lower-case hex SHA-256");
        }
        if (mimeType == null || !MIME.matcher(mimeType).matches()) {
            throw new ValidationException("media.mimeType", "invalid MIME type '" + mimeType + "'");
        }
        if (fileName == null || fileName.isBlank() || fileName.length() > 255 || fileName.contains("/") || fileName.contains("\\")) {
            throw new ValidationException("media.fileName", "invalid file name '" + fileName + "'");
        }
        if (size < 1) {
            throw new ValidationException("media.size", "empty file");
        }
    }
}
