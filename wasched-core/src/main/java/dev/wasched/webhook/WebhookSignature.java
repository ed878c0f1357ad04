package dev.wasched.webhook;

import dev.wasched.Secret;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * How webhook requests are signed, and how a receiver checks them. Each request carries
 * {@code X-Wasched-Timestamp} (epoch seconds) and {@code X-Wasched-Signature: sha256=<hex>}, the lower-case hex of
 * HMAC-SHA256 keyed with the endpoint's secret over {@code "<timestamp>.<body>"} (the body's exact bytes, UTF-8). A
 * receiver recomputes it, compares in constant time and refuses timestamps far from its own clock (replays):
 *
 * <pre>{@code
 * String timestamp = request.getHeader("X-Wasched-Timestamp");
 * String signature = request.getHeader("X-Wasched-Signature");
 * String body = new String(request.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
 * if (!WebhookSignature.verify(secret, timestamp, body, signature, Duration.ofMinutes(5), Instant.now())) {
 *     response.setStatus(401);
 *     return;
 * }
 * // de-duplicate by request.getHeader("X-Wasched-Event-Id"), then handle the event and answer 2xx
 * }</pre>
 *
 * <p>Without wasched on the class path the same check is {@code Mac.getInstance("HmacSHA256")} initialised with the
 * secret's UTF-8 bytes, over {@code timestamp + "." + body}, hex-encoded, prefixed with {@code sha256=}.
 */
public final class WebhookSignature {
    /** The header with the signature. */
    public static final String SIGNATURE_HEADER = "X-Wasched-Signature";
    /** The header with the signing time in epoch seconds. */
    public static final String TIMESTAMP_HEADER = "X-Wasched-Timestamp";
    /** The header with the event id, the same on every retry. */
    public static final String EVENT_ID_HEADER = "X-Wasched-Event-Id";
    /** The header with the event type name. */
    public static final String EVENT_TYPE_HEADER = "X-Wasched-Event-Type";
    private static final String PREFIX = "sha256=";

    private WebhookSignature() {
    }

    /** {@code sha256=} and the hex HMAC-SHA256 of {@code "<timestamp>.<body>"}. */
    public static String sign(Secret secret, String timestamp, String body) {
        return PREFIX + hmacSha256Hex(secret, (timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The lower-case hex HMAC-SHA256 of {@code data} keyed with the secret's UTF-8 bytes: the primitive of this
     * signature, and of other services' webhook signatures (Meta's {@code X-Hub-Signature-256} is {@code sha256=}
     * and this over the raw body, keyed with the app secret).
     */
    public static String hmacSha256Hex(Secret secret, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.reveal().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(data));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /**
     * Whether {@code signature} signs {@code body} at {@code timestamp} with {@code secret}, and the timestamp lies
     * within {@code tolerance} of {@code now}. False for anything missing or malformed.
     */
    public static boolean verify(Secret secret, String timestamp, String body, String signature, Duration tolerance,
                                 Instant now) {
        if (secret == null || timestamp == null || body == null || signature == null) {
            return false;
        }
        long seconds;
        try {
            seconds = Long.parseLong(timestamp);
        } catch (NumberFormatException e) {
            return false;
        }
        if (Duration.between(Instant.ofEpochSecond(seconds), now).abs().compareTo(tolerance) > 0) {
            return false;
        }
        return MessageDigest.isEqual(sign(secret, timestamp, body).getBytes(StandardCharsets.US_ASCII),
                signature.trim().getBytes(StandardCharsets.US_ASCII));
    }
}
