package dev.wasched.spi.store;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * A WhatsApp account's saved login (opaque to the store), with the SHA-256 of {@code data} so corruption is noticed.
 *
 * @param encrypted whether {@code data} is AES-GCM encrypted with the host's key
 * @param version   1 for the first snapshot; each replace increases it
 */
public record SessionSnapshot(String account, byte[] data, String sha256, boolean encrypted, Instant savedAt,
                              long version) {
    public SessionSnapshot {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(sha256, "sha256");
        savedAt = Objects.requireNonNull(savedAt, "savedAt").truncatedTo(ChronoUnit.MILLIS);
    }

    @Override
    public String toString() {
        // Never the bytes: they are a login.
        return "SessionSnapshot[account=" + account + ", bytes=" + data.length + ", sha256=" + sha256
                + ", encrypted=" + encrypted + ", savedAt=" + savedAt + ", version=" + version + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SessionSnapshot s && account.equals(s.account) && java.util.Arrays.equals(data, s.data)
                && sha256.equals(s.sha256) && encrypted == s.encrypted && savedAt.equals(s.savedAt)
                && version == s.version;
    }

    @Override
    public int hashCode() {
        return Objects.hash(account, sha256, version);
    }
}
