package dev.wasched.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.wasched.spi.store.SessionSnapshot;
import dev.wasched.store.jdbc.JdbcStore;
import dev.wasched.testkit.telegram.FakeTelegramBotApi;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * Reads everything a run at DEBUG level writes ({@link LoggedRunMain} in its own JVM, standard output and error, from
 * JVM start to exit): QR login of an account with encrypted sessions, a scheduled message, and a Telegram bot that is
 * asked for its status and told to send a message. None of the secrets may appear: the bot token, the session key
 * (base64, hex or raw bytes), the session (plain or as stored) and the message texts.
 */
@Execution(ExecutionMode.CONCURRENT) // waits for a JVM of its own
class LogSecrecyTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private final SecureRandom random = new SecureRandom();

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void aDebugRunLogsNoTokenKeySessionOrMessageText(@TempDir Path dir) throws Exception {
        String token = "7" + (10_000_000 + random.nextInt(89_999_999)) + ":" + randomText(35);
        byte[] key = new byte[32];
        random.nextBytes(key);
        String scheduledBody = "Your code is " + randomText(12);
        String telegramBody = "Meet at gate " + randomText(12);
        Path storeFile = dir.resolve("store");
        Path logFile = dir.resolve("run.log");

        try (FakeTelegramBotApi telegram = FakeTelegramBotApi.builder().token(token).start()) {
            ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Dorg.slf4j.simpleLogger.defaultLogLevel=debug", "-Dorg.slf4j.simpleLogger.logFile=System.err",
                    "-cp", System.getProperty("java.class.path"), LoggedRunMain.class.getName(), storeFile.toString())
                    .redirectErrorStream(true).redirectOutput(logFile.toFile());
            pb.environment().put("BOT_TOKEN", token);
            pb.environment().put("SESSION_KEY", Base64.getEncoder().encodeToString(key));
            pb.environment().put("BOT_API_URL", telegram.baseUrl().toString());
            pb.environment().put("MESSAGE_BODY", scheduledBody);
            Process run = pb.start();
            try {
                telegram.awaitCallCount("getUpdates", 1, WAIT);
                int asked = telegram.pushMessage(LoggedRunMain.CHAT, "/status");
                telegram.awaitSentMessage(LoggedRunMain.CHAT, m -> m.messageId() > asked, WAIT);
                int told = telegram.pushMessage(LoggedRunMain.CHAT, "/send " + LoggedRunMain.CONTACT_PHONE + " " + telegramBody);
                telegram.awaitSentMessage(LoggedRunMain.CHAT, m -> m.messageId() > told, WAIT);
                await("both messages sent").atMost(WAIT).until(() -> occurrences(read(logFile), "delivery sent") >= 2);
            } finally {
                run.getOutputStream().close();
                if (!run.waitFor(60, TimeUnit.SECONDS)) {
                    run.destroyForcibly();
                }
            }
            assertThat(run.exitValue()).as("exit code; output:%n%s", read(logFile)).isZero();
        }

        SessionSnapshot stored;
        try (JdbcStore store = JdbcStore.embedded(storeFile)) {
            stored = store.sessions().load(LoggedRunMain.ACCOUNT).orElseThrow();
        }
        assertThat(stored.encrypted()).as("session stored encrypted").isTrue();
        byte[] plainSession = ("session-of-" + LoggedRunMain.ACCOUNT).getBytes(StandardCharsets.UTF_8);

        byte[] output = Files.readAllBytes(logFile);
        String logs = new String(output, StandardCharsets.UTF_8);
        assertThat(logs).as("the run logged at DEBUG").contains(" DEBUG ").contains("delivery sent")
                .contains("account shop: QR -> READY");
        Map<String, String> secrets = new LinkedHashMap<>();
        secrets.put("bot token", token);
        secrets.put("bot token's secret part", token.substring(token.indexOf(':') + 1));
        secrets.put("session key (base64)", Base64.getEncoder().encodeToString(key));
        secrets.put("session key (base64url)", Base64.getUrlEncoder().withoutPadding().encodeToString(key));
        secrets.put("session key (hex)", HexFormat.of().formatHex(key));
        secrets.put("session key (HEX)", HexFormat.of().withUpperCase().formatHex(key));
        secrets.put("session (plain)", new String(plainSession, StandardCharsets.UTF_8));
        secrets.put("session (plain, base64)", Base64.getEncoder().encodeToString(plainSession));
        secrets.put("session (as stored, base64)", Base64.getEncoder().encodeToString(stored.data()));
        secrets.put("session (as stored, hex)", HexFormat.of().formatHex(stored.data()));
        secrets.put("scheduled message", scheduledBody);
        secrets.put("message sent from Telegram", telegramBody);
        secrets.forEach((what, value) -> assertThat(logs).as(what).doesNotContain(value));
        assertThat(indexOf(output, key)).as("session key (raw bytes)").isEqualTo(-1);
        assertThat(indexOf(output, stored.data())).as("session (as stored, raw bytes)").isEqualTo(-1);
    }

    private String randomText(int length) {
        StringBuilder b = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            b.append(ALPHANUMERIC.charAt(random.nextInt(ALPHANUMERIC.length())));
        }
        return b.toString();
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }

    private static int occurrences(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + part.length())) {
            n++;
        }
        return n;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
