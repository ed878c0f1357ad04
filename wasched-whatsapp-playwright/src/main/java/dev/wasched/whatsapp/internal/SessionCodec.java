package dev.wasched.whatsapp.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The bytes this transport hands to the session store: a short header, then Playwright's storage state JSON
 * (cookies, localStorage and IndexedDB), gzipped because WhatsApp's IndexedDB is large and compresses well.
 */
public final class SessionCodec {
    private static final byte[] MAGIC = "WSPW".getBytes(StandardCharsets.US_ASCII);
    private static final byte VERSION = 1;
    /** A decompressed state larger than this is refused rather than loaded (a corrupt length could ask for anything). */
    private static final int MAX_STATE_BYTES = 512 * 1024 * 1024;

    private SessionCodec() {
    }

    public static byte[] encode(String storageStateJson) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(MAGIC, 0, MAGIC.length);
        out.write(VERSION);
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(storageStateJson.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The storage state JSON, or empty when the bytes are not a snapshot of this format. */
    public static Optional<String> decode(byte[] snapshot) {
        if (snapshot == null || snapshot.length <= MAGIC.length + 1
                || !Arrays.equals(Arrays.copyOf(snapshot, MAGIC.length), MAGIC) || snapshot[MAGIC.length] != VERSION) {
            return Optional.empty();
        }
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(snapshot, MAGIC.length + 1,
                snapshot.length - MAGIC.length - 1))) {
            ByteArrayOutputStream json = new ByteArrayOutputStream();
            byte[] buf = new byte[16 * 1024];
            int n;
            while ((n = in.read(buf)) > 0) {
                json.write(buf, 0, n);
                if (json.size() > MAX_STATE_BYTES) {
                    return Optional.empty();
                }
            }
            String text = json.toString(StandardCharsets.UTF_8);
            return text.startsWith("{") && text.contains("\"origins\"") ? Optional.of(text) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
