package dev.wasched.internal.session;

import dev.wasched.Secret;
import dev.wasched.ValidationException;
import dev.wasched.event.WaschedEvent;
import dev.wasched.internal.engine.EventBus;
import dev.wasched.spi.store.Lease;
import dev.wasched.spi.store.SessionRepository;
import dev.wasched.spi.store.SessionSnapshot;
import dev.wasched.spi.transport.SessionStorage;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A transport's {@link SessionStorage} for one account: checksums every snapshot, encrypts it with AES-GCM when the
 * host gave a key (marking it with the key's id), and saves it only under the account's session lease (fenced).
 *
 * <p>What is stored but cannot be used is treated by what it means: a snapshot that fails its checksum, or whose
 * decryption fails under the key it names (tampered), or that is not encrypted although a key is configured, is
 * quarantined, and the transport logs in afresh. A snapshot encrypted under a key this instance does not have is a
 * configuration mistake, not bad data: it is left where it is, never overwritten, and {@link #problem()} says so,
 * so the engine does not start a transport that would replace a good login with a new one.
 */
public final class SessionVault implements SessionStorage {
    private static final Logger log = LoggerFactory.getLogger(SessionVault.class);
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final int MAX_SAVE_ATTEMPTS = 5;
    /** Encrypted snapshots start with this, then the key id (8 ASCII bytes); older ones start with the nonce. */
    private static final byte[] MAGIC = "WSK1".getBytes(StandardCharsets.US_ASCII);
    private static final int KEY_ID_BYTES = 8;

    private final String account;
    private final SessionRepository sessions;
    private final SecretKeySpec key;
    private final String keyId;
    private final List<SecretKeySpec> keys;
    private final Clock clock;
    private final EventBus events;
    private final Supplier<Lease> fence;
    private final boolean adoptUnencrypted;
    private final SecureRandom random = new SecureRandom();
    /** Set when the stored snapshot is under a key we do not have: it is then never overwritten. */
    private volatile String problem;

    /**
     * @param key      the current key, or null for no encryption
     * @param previous the key before a rotation, or null
     * @param adoptUnencrypted with a key, load an unencrypted snapshot once and save it encrypted (else quarantine it)
     * @param fence    the session lease under which saves happen (null while none is held: nothing is saved)
     */
    public SessionVault(String account, SessionRepository sessions, Secret key, Secret previous,
                        boolean adoptUnencrypted, Clock clock, EventBus events, Supplier<Lease> fence) {
        this.adoptUnencrypted = adoptUnencrypted;
        this.account = account;
        this.sessions = sessions;
        this.key = key == null ? null : aesKey(key);
        this.keyId = this.key == null ? null : keyId(this.key);
        List<SecretKeySpec> all = new ArrayList<>();
        if (this.key != null) {
            all.add(this.key);
        }
        if (previous != null) {
            all.add(aesKey(previous));
        }
        this.keys = List.copyOf(all);
        this.clock = clock;
        this.events = events;
        this.fence = fence;
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

    /** A key's public id: 8 hex digits of a hash of it, enough to tell keys apart, useless to find one. */
    public static String keyId(SecretKeySpec key) {
        byte[] tagged = ("wasched-session-key:" + HexFormat.of().formatHex(key.getEncoded()))
                .getBytes(StandardCharsets.US_ASCII);
        return Digests.sha256(tagged).substring(0, KEY_ID_BYTES);
    }

    /**
     * Why the stored snapshot must not be replaced by a fresh login (it is under a key this instance lacks), or
     * empty. Reads the snapshot; the engine asks before it starts the account's transport.
     */
    public Optional<String> problem() {
        load();
        return Optional.ofNullable(problem);
    }

    @Override
    public Optional<byte[]> load() {
        Optional<SessionSnapshot> stored = sessions.load(account);
        problem = null;
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        SessionSnapshot s = stored.get();
        if (!Digests.sha256(s.data()).equals(s.sha256())) {
            return quarantined("checksum mismatch");
        }
        if (!s.encrypted()) {
            if (key == null) {
                return Optional.of(s.data());
            }
            return adoptUnencrypted ? reencrypted(s.data(), "none (unencrypted)")
                    : quarantined("session is not encrypted although a session key is configured");
        }
        if (keys.isEmpty()) {
            return wrongKey("the stored session is encrypted but no session key is configured");
        }
        byte[] data = s.data();
        boolean marked = data.length > MAGIC.length + KEY_ID_BYTES && Arrays.equals(data, 0, MAGIC.length, MAGIC, 0,
                MAGIC.length);
        if (marked) {
            String id = new String(data, MAGIC.length, KEY_ID_BYTES, StandardCharsets.US_ASCII);
            int from = MAGIC.length + KEY_ID_BYTES;
            for (SecretKeySpec k : keys) {
                if (keyId(k).equals(id)) {
                    Optional<byte[]> plain = decrypt(k, data, from);
                    if (plain.isEmpty()) {
                        return quarantined("decryption failed under key " + id + " (tampered)");
                    }
                    return k == key ? plain : reencrypted(plain.get(), id);
                }
            }
            return wrongKey("wrong session key: the stored session is encrypted under key " + id
                    + ", this instance has " + String.join(", ", keys.stream().map(SessionVault::keyId).toList()));
        }
        for (SecretKeySpec k : keys) {
            Optional<byte[]> plain = decrypt(k, data, 0);
            if (plain.isPresent()) {
                return reencrypted(plain.get(), "unmarked");
            }
        }
        return wrongKey("wrong session key: the stored session does not decrypt with the configured key(s)");
    }

    /** A snapshot under the previous key (or from before key ids) is saved again at once under the current key. */
    private Optional<byte[]> reencrypted(byte[] plain, String from) {
        try {
            save(plain);
            log.info("account {}: session re-encrypted from key {} to key {}", account, from, keyId);
        } catch (RuntimeException e) {
            log.warn("account {}: session not re-encrypted yet ({}); the next save does it", account, e.toString());
        }
        return Optional.of(plain);
    }

    private Optional<byte[]> wrongKey(String why) {
        if (problem == null) {
            log.error("account {}: {}; the stored session is left as it is and not replaced", account, why);
        }
        problem = why;
        return Optional.empty();
    }

    private Optional<byte[]> decrypt(SecretKeySpec k, byte[] data, int from) {
        try {
            ByteBuffer in = ByteBuffer.wrap(data, from, data.length - from);
            byte[] nonce = new byte[NONCE_BYTES];
            in.get(nonce);
            byte[] sealed = new byte[in.remaining()];
            in.get(sealed);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, k, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(account.getBytes(StandardCharsets.UTF_8));
            return Optional.of(cipher.doFinal(sealed));
        } catch (GeneralSecurityException | RuntimeException e) {
            return Optional.empty();
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

    /**
     * Saves under the session lease. Nothing is saved while the lease is not held, or over a snapshot under a key
     * this instance lacks; a save refused because the lease was lost is logged, not thrown (the new owner's login
     * is the one that counts).
     */
    @Override
    public void save(byte[] snapshot) {
        Lease held = fence.get();
        if (held == null) {
            log.warn("account {}: session not saved: this instance does not hold the account's session lease", account);
            return;
        }
        if (problem != null) {
            log.warn("account {}: session not saved over the stored one ({})", account, problem);
            return;
        }
        byte[] data = key == null ? snapshot : encrypt(snapshot);
        String sha = Digests.sha256(data);
        long previous = -1;
        for (int i = 0; i < MAX_SAVE_ATTEMPTS; i++) {
            long current = sessions.load(account).map(SessionSnapshot::version).orElse(0L);
            if (current == previous) {
                log.warn("account {}: session not saved: the session lease (epoch {}) was lost", account,
                        held.epoch());
                return;
            }
            SessionSnapshot next = new SessionSnapshot(account, data, sha, key != null, clock.instant(), current + 1);
            if (sessions.replace(next, held)) {
                log.debug("session of account {} saved ({} bytes)", account, data.length);
                return;
            }
            previous = current;
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
            cipher.updateAAD(account.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plain);
            return ByteBuffer.allocate(MAGIC.length + KEY_ID_BYTES + NONCE_BYTES + sealed.length).put(MAGIC)
                    .put(keyId.getBytes(StandardCharsets.US_ASCII)).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    @Override
    public void clear() {
        sessions.delete(account);
    }
}
