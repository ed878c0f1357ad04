package dev.wasched.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wasched.Secret;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the CLI's session keys come from, on real files. */
class SessionKeysTest {
    @TempDir
    Path dir;
    private final Map<String, String> env = new HashMap<>();

    private CliConfig config(String... lines) throws Exception {
        Path file = Files.writeString(dir.resolve("wasched.properties"), String.join("\n", lines) + "\n");
        return CliConfig.load(file, env);
    }

    private static String newKey() {
        byte[] raw = new byte[32];
        new SecureRandom().nextBytes(raw);
        return Base64.getEncoder().encodeToString(raw);
    }

    @Test
    void theFirstStartCreatesAPrivateRandomKeyFileAndLaterStartsReuseItUnchanged() throws Exception {
        Path data = dir.resolve("data");
        SessionKeys first = SessionKeys.resolve(config(), data);
        Path file = data.resolve("session.key");
        assertThat(first.created()).contains(file);
        assertThat(first.encrypted()).isTrue();
        assertThat(first.source()).isEqualTo("file " + file);
        assertThat(ForkedCli.mode(data)).isEqualTo("rwx------");
        assertThat(ForkedCli.mode(file)).isEqualTo("rw-------");
        assertThat(Base64.getDecoder().decode(first.current().orElseThrow().reveal())).hasSize(32);
        assertThat(Files.list(data)).as("no temporary file left behind").containsExactly(file);

        byte[] content = Files.readAllBytes(file);
        FileTime modified = Files.getLastModifiedTime(file);
        SessionKeys again = SessionKeys.resolve(config(), data);
        assertThat(again.created()).isEmpty();
        assertThat(again.current()).isEqualTo(first.current());
        assertThat(Files.readAllBytes(file)).isEqualTo(content);
        assertThat(Files.getLastModifiedTime(file)).isEqualTo(modified);
        assertThat(SessionKeys.resolve(config(), data).current()).isEqualTo(first.current());
    }

    @Test
    void startsAtTheSameMomentAgreeOnOneKey() throws Exception {
        Path data = dir.resolve("race");
        int n = 8;
        CyclicBarrier barrier = new CyclicBarrier(n);
        CliConfig c = config();
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<SessionKeys>> results = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                results.add(pool.submit((Callable<SessionKeys>) () -> {
                    barrier.await();
                    return SessionKeys.resolve(c, data);
                }));
            }
            List<SessionKeys> keys = new ArrayList<>();
            for (Future<SessionKeys> f : results) {
                keys.add(f.get());
            }
            Secret one = keys.get(0).current().orElseThrow();
            assertThat(keys).allSatisfy(k -> assertThat(k.current()).contains(one));
            assertThat(keys.stream().filter(k -> k.created().isPresent())).hasSizeLessThanOrEqualTo(1);
            assertThat(Files.readString(data.resolve("session.key")).strip()).isEqualTo(one.reveal());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aBrokenKeyFileIsAnErrorAndIsNeverOverwritten() throws Exception {
        Path file = Files.writeString(dir.resolve("session.key"), "not a key\n");
        assertThatThrownBy(() -> SessionKeys.resolve(config(), dir)).isInstanceOf(ConfigException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("not base64");
        assertThat(Files.readString(file)).isEqualTo("not a key\n");
        Files.writeString(file, "");
        assertThatThrownBy(() -> SessionKeys.resolve(config(), dir)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("is empty").hasMessageContaining("never overwritten");
        assertThat(Files.readString(file)).isEmpty();
    }

    @Test
    void aKeyFromTheEnvironmentWinsAndNoFileIsWritten() throws Exception {
        String key = newKey();
        env.put("MY_KEY", key);
        SessionKeys keys = SessionKeys.resolve(config("session.key.env = MY_KEY"), dir.resolve("data"));
        assertThat(keys.current().orElseThrow().reveal()).isEqualTo(key);
        assertThat(keys.source()).isEqualTo("environment variable MY_KEY");
        assertThat(Files.exists(dir.resolve("data"))).isFalse();

        env.put("MY_KEY", "c2hvcnQ=");
        assertThatThrownBy(() -> SessionKeys.resolve(config("session.key.env = MY_KEY"), dir))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("session.key.env: ")
                .hasMessageContaining("32 bytes").hasMessageNotContaining("c2hvcnQ=");
        assertThatThrownBy(() -> SessionKeys.resolve(config("session.key = " + key), dir))
                .as("a key written into the file itself is refused").isInstanceOf(ConfigException.class)
                .hasMessageContaining("session.key.env").hasMessageNotContaining(key);
    }

    @Test
    void aPreviousKeyComesFromTheEnvironmentOrAFile() throws Exception {
        String old = newKey();
        env.put("OLD_KEY", old);
        SessionKeys keys = SessionKeys.resolve(config("session.key.previous.env = OLD_KEY"), dir);
        assertThat(keys.previous().orElseThrow().reveal()).isEqualTo(old);
        assertThat(keys.current()).isPresent().isNotEqualTo(keys.previous());

        Path oldFile = Files.writeString(dir.resolve("session.key.old"), old + "\n");
        SessionKeys fromFile = SessionKeys.resolve(config("session.previousKeyFile = " + oldFile), dir);
        assertThat(fromFile.previous().orElseThrow().reveal()).isEqualTo(old);
        assertThat(fromFile.current()).isEqualTo(keys.current()); // the same session.key file as before
    }

    @Test
    void encryptionOffMustBeSaidAndCannotBeMixedWithAKey() throws Exception {
        SessionKeys off = SessionKeys.resolve(config("session.encryption = off"), dir.resolve("data"));
        assertThat(off.encrypted()).isFalse();
        assertThat(off.previous()).isEmpty();
        assertThat(Files.exists(dir.resolve("data"))).isFalse();
        env.put("MY_KEY", newKey());
        assertThatThrownBy(() -> SessionKeys.resolve(config("session.encryption = off", "session.key.env = MY_KEY"),
                dir)).isInstanceOf(ConfigException.class).hasMessageContaining("session.key.env");
        assertThatThrownBy(() -> SessionKeys.resolve(config("session.encryption = maybe"), dir))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("session.encryption: ");
    }

    @Test
    void aKeyFileElsewhereIsUsedAsConfigured() throws Exception {
        Path file = dir.resolve("keys/wasched.key");
        SessionKeys keys = SessionKeys.resolve(config("session.keyFile = " + file), dir.resolve("data"));
        assertThat(keys.created()).contains(file);
        assertThat(ForkedCli.mode(file)).isEqualTo("rw-------");
        assertThat(Files.exists(dir.resolve("data/session.key"))).isFalse();
    }
}
