package dev.wasched.internal.session;

import dev.wasched.Secret;
import dev.wasched.ValidationException;
import dev.wasched.event.WaschedEvent;
import dev.wasched.internal.engine.EventBus;
import dev.wasched.spi.store.SessionRepository;
import dev.wasched.spi.store.SessionSnapshot;
import dev.wasched.spi.transport.SessionStorage;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A transport's {@link SessionStorage} for one account: checksums every snapshot, encrypts it with AES-GCM when the
 * host gave a key, and quarantines a snapshot that fails either check instead of loading it, or that the transport
 * reports as unusable.
 */
public final class SessionVault implements SessionStorage {
    private static final Logger log = LoggerFactory.getLogger(SessionVault.class);
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final int MAX_SAVE_ATTEMPTS = 5;

    private final String account;
    private final SessionRepository sessions;
    private final SecretKeySpec key;
    private final Clock clock;
    private final EventBus events;
    private final SecureRandom random = new SecureRandom();

    public SessionVault(String account, SessionRepository sessions, Secret key, Clock clock, EventBus events) {
        this.account = account;
        this.sessions = sessions;
        this.key = key == null ? null : aesKey(key);
        this.clock = clock;
        this.events = events;
    }

    /** Checks a configured key: base64 of exactly 32 bytes. */
    public static SecretKeySpec aesKey(Secret secret) {
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(secret.reveal().strip());
        } catch (IllegalArgumentException e) {
            throw new ValidationException("sessionKey", "is not base64 (generate one with: openssl rand -base64 32)");
        }
        if (raw.length != 32) {
            throw new ValidationException("sessionKey", "must decode to 32 bytes, decodes to " + raw.length);
        }
        return new SecretKeySpec(raw, "AES");
    }

    @Override
    public Optional<byte[]> load() {
        Optional<SessionSnapshot> stored = sessions.load(account);
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        SessionSnapshot s = stored.get();
        if (!Digests.sha256(s.data()).equals(s.sha256())) {
            return quarantined("checksum mismatch");
        }
        if (!s.encrypted()) {
            return Optional.of(s.data());
        }
        if (key == null) {
            return quarantined("session is encrypted but no session key is configured");
        }
        try {
            ByteBuffer in = ByteBuffer.wrap(s.data());
            byte[] nonce = new byte[NONCE_BYTES];
            in.get(nonce);
            byte[] sealed = new byte[in.remaining()];
            in.get(sealed);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(account.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return Optional.of(cipher.doFinal(sealed));
        } catch (GeneralSecurityException | RuntimeException e) {
            return quarantined("decryption failed (wrong key or tampered data)");
        }
    }

    private Optional<byte[]> quarantined(String reason) {
        quarantine(reason);
        return Optional.empty();
    }

    /** Moves the stored snapshot to the store's quarantine and reports it; the checks above and transports use it. */
    @Override
    public void quarantine(String reason) {
        log.warn("session snapshot of account {} quarantined: {}", account, reason);
        sessions.quarantine(account, reason, clock.instant());
        events.publish(new WaschedEvent.SessionQuarantined(account, reason, clock.instant()));
    }

    @Override
    public void save(byte[] snapshot) {
        byte[] data = key == null ? snapshot : encrypt(snapshot);
        String sha = Digests.sha256(data);
        for (int i = 0; i < MAX_SAVE_ATTEMPTS; i++) {
            long current = sessions.load(account).map(SessionSnapshot::version).orElse(0L);
            if (sessions.replace(new SessionSnapshot(account, data, sha, key != null, clock.instant(), current + 1))) {
                log.debug("session of account {} saved ({} bytes)", account, data.length);
                return;
            }
        }
        throw new IllegalStateException("session of account " + account + " changed concurrently " + MAX_SAVE_ATTEMPTS + " times");
    }

    private byte[] encrypt(byte[] plain) {
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            random.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            // Binding the account name stops a snapshot from being swapped between accounts unnoticed.
            cipher.updateAAD(account.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plain);
            return ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    @Override
    public void clear() {
        sessions.delete(account);
    }
}
