package dev.wasched.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wasched.Secret;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {
    private static final Secret SECRET = Secret.of("whsec-0123");
    private static final String BODY = "{\"id\":\"0190-abc\",\"type\":\"DeliverySent\",\"data\":{\"text\":\"Grüße\"}}";
    private static final Instant NOW = Instant.ofEpochSecond(1_780_000_000L);
    private static final String TS = Long.toString(NOW.getEpochSecond());

    @Test
    void theSignatureIsHexHmacSha256OfTimestampDotBodyWithTheSecret() throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec("whsec-0123".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expected = "sha256=" + HexFormat.of().formatHex(mac.doFinal((TS + "." + BODY)
                .getBytes(StandardCharsets.UTF_8)));
        assertThat(WebhookSignature.sign(SECRET, TS, BODY)).isEqualTo(expected).matches("sha256=[0-9a-f]{64}");
    }

    @Test
    void verifyAcceptsTheRightSignatureWithinTheTolerance() {
        String sig = WebhookSignature.sign(SECRET, TS, BODY);
        assertThat(WebhookSignature.verify(SECRET, TS, BODY, sig, Duration.ofMinutes(5), NOW)).isTrue();
        assertThat(WebhookSignature.verify(SECRET, TS, BODY, sig, Duration.ofMinutes(5), NOW.plusSeconds(299))).isTrue();
    }

    @Test
    void verifyRefusesAnotherBodySecretTimestampOrAnOldRequest() {
        String sig = WebhookSignature.sign(SECRET, TS, BODY);
        Duration tolerance = Duration.ofMinutes(5);
        assertThat(WebhookSignature.verify(SECRET, TS, BODY + " ", sig, tolerance, NOW)).isFalse();
        assertThat(WebhookSignature.verify(Secret.of("other"), TS, BODY, sig, tolerance, NOW)).isFalse();
        assertThat(WebhookSignature.verify(SECRET, Long.toString(NOW.getEpochSecond() + 1), BODY, sig, tolerance, NOW))
                .isFalse();
        assertThat(WebhookSignature.verify(SECRET, TS, BODY, sig, tolerance, NOW.plusSeconds(301))).as("replayed")
                .isFalse();
        assertThat(WebhookSignature.verify(SECRET, "yesterday", BODY, sig, tolerance, NOW)).isFalse();
        assertThat(WebhookSignature.verify(SECRET, TS, BODY, null, tolerance, NOW)).isFalse();
        assertThat(WebhookSignature.verify(SECRET, TS, BODY, sig.replace("sha256=", ""), tolerance, NOW)).isFalse();
    }
}
