package dev.wasched.spi.transport;

import java.util.Optional;

/**
 * Where a transport keeps its login across restarts. The engine checksums (and, with a key, encrypts) what is saved;
 * a snapshot that fails its checksum is quarantined and {@link #load()} returns empty, so the transport falls back to
 * a fresh login. A snapshot that passes those checks but that the transport still cannot use (its content is
 * malformed) is reported back with {@link #quarantine(String)}.
 */
public interface SessionStorage {
    Optional<byte[]> load();

    void save(byte[] snapshot);

    /** Forgets the login (after a logout). */
    void clear();

    /**
     * Sets the stored snapshot aside because the transport cannot use it, so it is never loaded again; the transport
     * then logs in afresh and its next {@link #save} stores a new snapshot. The engine keeps the snapshot for
     * inspection and reports a {@code SessionQuarantined} event with the reason. This default, for storages without
     * a place to keep it, forgets the snapshot ({@link #clear()}).
     *
     * @param reason what is wrong with the snapshot, for the operator
     */
    default void quarantine(String reason) {
        clear();
    }
}
