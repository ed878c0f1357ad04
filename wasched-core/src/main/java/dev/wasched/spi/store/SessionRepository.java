package dev.wasched.spi.store;

import java.time.Instant;
import java.util.Optional;

/** Stored WhatsApp sessions (the login a transport saves, so a restart needs no new one), by account. */
public interface SessionRepository {
    Optional<SessionSnapshot> load(String account);

    /**
     * When the account's snapshot was saved, without reading the snapshot itself (health asks every few seconds,
     * and a WhatsApp Web session is megabytes). This default loads it; stores answer from the saved time alone.
     */
    default Optional<Instant> savedAt(String account) {
        return load(account).map(SessionSnapshot::savedAt);
    }

    /**
     * Atomically replaces the account's snapshot with {@code snapshot} when the stored version is
     * {@code snapshot.version() - 1} (0: none stored yet). Readers see the old or the new snapshot, never a mix.
     */
    boolean replace(SessionSnapshot snapshot);

    /**
     * {@link #replace(SessionSnapshot)}, fenced: only while {@code fence} is held, and never over a snapshot saved
     * under a later epoch of the same lease. A former owner of the account cannot overwrite its new owner's login.
     */
    boolean replace(SessionSnapshot snapshot, Lease fence);

    /** Moves the stored snapshot aside (kept for inspection, never loaded again) and records why. */
    void quarantine(String account, String reason, Instant now);

    /** Number of snapshots set aside for the account. */
    int quarantinedCount(String account);

    /** Deletes snapshots quarantined before {@code before} (they hold a login: they are not kept forever). */
    int purgeQuarantined(java.time.Instant before);

    void delete(String account);
}
