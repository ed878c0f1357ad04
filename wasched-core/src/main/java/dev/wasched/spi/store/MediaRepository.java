package dev.wasched.spi.store;

import dev.wasched.message.MediaAttachment;
import java.util.Optional;

/** Media files by SHA-256, so any instance can send them and a file used often is kept once. */
public interface MediaRepository {
    /** Stores the bytes unless a file with the same SHA-256 exists. The caller has checked the digest. */
    void put(MediaAttachment attachment, byte[] bytes);

    Optional<byte[]> get(String sha256);
}
