package dev.wasched.message;

import java.nio.file.Path;

/** Media files kept in the store (by SHA-256) so every instance can send them. */
public interface MediaService {
    /** Stores bytes; rejects an empty file or one above the configured limit, naming the size. */
    MediaAttachment store(byte[] bytes, String mimeType, String fileName);

    /** Reads a file and stores it; the MIME type is guessed from the name when null. */
    MediaAttachment store(Path file, String mimeType);

    /** @throws dev.wasched.NotFoundException */
    byte[] get(MediaAttachment attachment);
}
