package dev.wasched.examples.cli;

import dev.wasched.Secret;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keys that encrypt stored WhatsApp sessions, for the commands that run accounts. Encryption is on unless
 * {@code session.encryption = off} says otherwise. The key comes from the environment variable named by
 * {@code session.key.env}, else from a key file ({@code session.keyFile}, default {@code session.key} in the data
 * directory), which is created with a new random key on first use and never overwritten. A previous key (rotation)
 * comes from {@code session.key.previous.env} or {@code session.previousKeyFile}.
 *
 * @param current  the key sessions are saved under; empty when encryption is off
 * @param previous the key sessions were saved under before a rotation, if any
 * @param source   where the current key came from ("environment variable X", "file F"), or "off"
 * @param created  the key file made by this call, when there was none
 */
record SessionKeys(Optional<Secret> current, Optional<Secret> previous, String source, Optional<Path> created) {
    private static final Logger log = LoggerFactory.getLogger(SessionKeys.class);
    static final String FILE_NAME = "session.key";
    private static final int KEY_BYTES = 32;

    boolean encrypted() {
        return current.isPresent();
    }

    /** The keys {@code c} configures; {@code dataDirectory} holds the key file unless {@code session.keyFile} says. */
    static SessionKeys resolve(CliConfig c, Path dataDirectory) {
        boolean on = c.bool("session.encryption", true);
        Optional<Secret> fromEnv = c.secret("session.key");
        Optional<Secret> previousFromEnv = c.secret("session.key.previous");
        Optional<String> keyFile = c.get("session.keyFile");
        Optional<String> previousFile = c.get("session.previousKeyFile");
        if (!on) {
            for (String key : new String[]{"session.key.env", "session.key.previous.env", "session.keyFile",
                    "session.previousKeyFile"}) {
                if (c.get(key).isPresent()) {
                    throw new ConfigException("session.encryption is off, but " + key + " is set: remove one of them");
                }
            }
            return new SessionKeys(Optional.empty(), Optional.empty(), "off", Optional.empty());
        }
        if (previousFromEnv.isPresent() && previousFile.isPresent()) {
            throw new ConfigException("session.key.previous.env and session.previousKeyFile are both set: keep one");
        }
        Optional<Secret> previous = previousFromEnv.map(s -> checked(s, "session.key.previous.env"))
                .or(() -> previousFile.map(f -> read(Path.of(f), "session.previousKeyFile")));
        if (fromEnv.isPresent()) {
            if (keyFile.isPresent()) {
                throw new ConfigException("session.key.env and session.keyFile are both set: keep one");
            }
            return new SessionKeys(Optional.of(checked(fromEnv.get(), "session.key.env")), previous,
                    "environment variable " + c.get("session.key.env").orElseThrow(), Optional.empty());
        }
        Path file = keyFile.map(Path::of).orElse(dataDirectory.resolve(FILE_NAME));
        String key = keyFile.isPresent() ? "session.keyFile" : "session key file";
        boolean made = !Files.exists(file) && create(file, key);
        return new SessionKeys(Optional.of(read(file, key)), previous, "file " + file,
                made ? Optional.of(file) : Optional.empty());
    }

    /** The key in {@code file}, created (0600, a new random key) when there is none: for the demo's own folder. */
    static Secret inFile(Path file) {
        if (!Files.exists(file)) {
            create(file, "session key file");
        }
        return read(file, "session key file");
    }

    /** Writes a new random key to {@code file} unless it exists; false when another process made it first. */
    private static boolean create(Path file, String key) {
        byte[] raw = new byte[KEY_BYTES];
        new SecureRandom().nextBytes(raw);
        String encoded = Base64.getEncoder().encodeToString(raw) + "\n";
        try {
            return PrivateFiles.createNew(file, encoded.getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new ConfigException(key + ": cannot create " + file + ": " + e.getMessage());
        }
    }

    private static Secret read(Path file, String key) {
        String text;
        try {
            if (PrivateFiles.openToOthers(file)) {
                log.warn("{} can be read by other users: chmod 600 {}", file, file);
            }
            text = Files.readString(file, StandardCharsets.US_ASCII).strip();
        } catch (IOException e) {
            throw new ConfigException(key + ": cannot read " + file + ": " + e.getMessage());
        }
        if (text.isEmpty()) {
            throw new ConfigException(key + ": " + file + " is empty; it is never overwritten: put the key back "
                    + "(base64 of 32 bytes) or remove the file to start with a new key (stored sessions then need a "
                    + "new login)");
        }
        return checked(Secret.of(text), key + " " + file);
    }

    /** The secret when it is base64 of exactly 32 bytes, else a configuration error naming {@code key}. */
    private static Secret checked(Secret s, String key) {
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(s.reveal().strip());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key + ": the session key is not base64 (make one with: openssl rand -base64 32)");
        }
        if (raw.length != KEY_BYTES) {
            throw new ConfigException(key + ": the session key must decode to 32 bytes, it decodes to " + raw.length);
        }
        return s;
    }
}
