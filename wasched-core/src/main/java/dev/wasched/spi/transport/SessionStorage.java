package dev.wasched.spi.transport;

import java.util.Optional;

/**
 * Where a transport keeps its login across restarts. The engine checksums (and, with a key, encrypts) what is saved;
 * a snapshot that fails its checksum is quarantined and {@link #load()} returns empty, so the transport falls back to
 * a fresh login.
 */
public interface SessionStorage {
    Optional<byte[]> load();

    void save(byte[] snapshot);

    /** Forgets the login (after a logout). */
    void clear();
}
