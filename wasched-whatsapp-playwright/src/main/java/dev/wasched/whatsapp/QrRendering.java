package dev.wasched.whatsapp;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.client.j2se.MatrixToImageWriter;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Objects;

/**
 * Turns a login QR payload (from {@code TransportEvent.QrCode} or {@code WaschedEvent.LoginQrCode}) into something a
 * phone can scan: text for a terminal, or a PNG image.
 *
 * <pre>{@code
 * wasched.addListener(e -> {
 *     if (e instanceof WaschedEvent.LoginQrCode qr) {
 *         System.out.println(QrRendering.toTerminal(qr.payload()));
 *     }
 * });
 * }</pre>
 */
public final class QrRendering {
    private static final int QUIET_ZONE = 2;
    private static final int MAX_PAYLOAD = 2_000;

    private QrRendering() {
    }

    /**
     * The QR code as Unicode half blocks, two modules per character row, for a terminal with a dark background
     * (light modules are drawn): same as {@code toTerminal(payload, true)}.
     */
    public static String toTerminal(String payload) {
        return toTerminal(payload, true);
    }

    /**
     * The QR code as Unicode half blocks ({@code ▀ ▄ █} and space), two modules per row of text, with a quiet zone.
     *
     * @param darkBackground true to draw the light modules (dark terminal background), false to draw the dark ones
     */
    public static String toTerminal(String payload, boolean darkBackground) {
        BitMatrix m = matrix(payload, QUIET_ZONE);
        StringBuilder out = new StringBuilder();
        for (int y = 0; y < m.getHeight(); y += 2) {
            for (int x = 0; x < m.getWidth(); x++) {
                boolean top = ink(m, x, y, darkBackground);
                boolean bottom = y + 1 < m.getHeight() ? ink(m, x, y + 1, darkBackground) : false;
                out.append(top && bottom ? '█' : top ? '▀' : bottom ? '▄' : ' ');
            }
            out.append('\n');
        }
        return out.toString();
    }

    /** The QR code as a PNG, black on white, {@code scale} pixels per module (8 is a good size for a screen). */
    public static byte[] toPng(String payload, int scale) {
        if (scale < 1 || scale > 64) {
            throw new IllegalArgumentException("scale must be 1 to 64: " + scale);
        }
        BitMatrix modules = matrix(payload, 4);
        BitMatrix scaled = new BitMatrix(modules.getWidth() * scale, modules.getHeight() * scale);
        for (int y = 0; y < modules.getHeight(); y++) {
            for (int x = 0; x < modules.getWidth(); x++) {
                if (modules.get(x, y)) {
                    scaled.setRegion(x * scale, y * scale, scale, scale);
                }
            }
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        try {
            MatrixToImageWriter.writeToStream(scaled, "PNG", png);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return png.toByteArray();
    }

    /** The QR code as a PNG with 8 pixels per module. */
    public static byte[] toPng(String payload) {
        return toPng(payload, 8);
    }

    private static boolean ink(BitMatrix m, int x, int y, boolean darkBackground) {
        return m.get(x, y) != darkBackground;
    }

    /** The modules of the code, with a quiet zone of {@code margin} modules; true = dark. */
    private static BitMatrix matrix(String payload, int margin) {
        Objects.requireNonNull(payload, "payload");
        if (payload.isEmpty() || payload.length() > MAX_PAYLOAD) {
            throw new IllegalArgumentException("a QR payload has 1 to " + MAX_PAYLOAD + " characters");
        }
        try {
            // Size 0 gives exactly one pixel per module plus the margin.
            return new QRCodeWriter().encode(payload, BarcodeFormat.QR_CODE, 0, 0, Map.of(
                    EncodeHintType.MARGIN, margin,
                    EncodeHintType.ERROR_CORRECTION, ErrorCorrectionLevel.L));
        } catch (WriterException e) {
            throw new IllegalArgumentException("payload cannot be encoded as a QR code: " + e.getMessage(), e);
        }
    }
}
