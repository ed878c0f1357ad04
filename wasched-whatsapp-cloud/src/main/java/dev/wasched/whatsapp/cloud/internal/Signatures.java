package dev.wasched.whatsapp.cloud.internal;

import dev.wasched.Secret;
import dev.wasched.webhook.WebhookSignature;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;

/** The {@code X-Hub-Signature-256} header: {@code sha256=} and the hex HMAC-SHA256 of the raw body with the app secret. */
public final class Signatures {
    private static final String PREFIX = "sha256=";

    private Signatures() {
    }

    /** Whether {@code header} is the body's signature; compared in constant time. */
    public static boolean valid(byte[] body, String header, Secret appSecret) {
        if (header == null || !header.startsWith(PREFIX)) {
            return false;
        }
        byte[] expected = (PREFIX + WebhookSignature.hmacSha256Hex(appSecret, body)).getBytes(StandardCharsets.US_ASCII);
        byte[] given = header.trim().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, given);
    }
}
