package dev.wasched.web.internal;

import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import com.google.zxing.qrcode.encoder.ByteMatrix;
import com.google.zxing.qrcode.encoder.Encoder;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * A login payload drawn as a QR code, with a quiet zone of four modules: as SVG (one path of unit squares; it scales
 * without blurring, what the console shows) or as PNG (for clients that want a bitmap).
 */
public final class QrImage {
    private static final int QUIET_ZONE = 4;
    /** Pixels per module in the PNG. */
    private static final int SCALE = 8;

    private final ByteMatrix matrix;

    private QrImage(ByteMatrix matrix) {
        this.matrix = matrix;
    }

    public static QrImage of(String payload) {
        try {
            return new QrImage(Encoder.encode(payload, ErrorCorrectionLevel.M,
                    Map.of(EncodeHintType.CHARACTER_SET, "UTF-8")).getMatrix());
        } catch (WriterException e) {
            throw new IllegalArgumentException("cannot encode the login payload as a QR code", e);
        }
    }

    private int size() {
        return matrix.getWidth() + 2 * QUIET_ZONE;
    }

    private boolean dark(int x, int y) {
        return matrix.get(x, y) == 1;
    }

    public String svg() {
        StringBuilder path = new StringBuilder();
        for (int y = 0; y < matrix.getHeight(); y++) {
            for (int x = 0; x < matrix.getWidth(); x++) {
                if (dark(x, y)) {
                    path.append('M').append(x + QUIET_ZONE).append(',').append(y + QUIET_ZONE).append("h1v1h-1z");
                }
            }
        }
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + size() + " " + size()
                + "\" shape-rendering=\"crispEdges\"><rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>"
                + "<path fill=\"#000\" d=\"" + path + "\"/></svg>";
    }

    public byte[] png() {
        int px = size() * SCALE;
        BufferedImage image = new BufferedImage(px, px, BufferedImage.TYPE_BYTE_BINARY);
        for (int y = 0; y < px; y++) {
            for (int x = 0; x < px; x++) {
                int mx = x / SCALE - QUIET_ZONE;
                int my = y / SCALE - QUIET_ZONE;
                boolean inside = mx >= 0 && my >= 0 && mx < matrix.getWidth() && my < matrix.getHeight();
                image.setRGB(x, y, inside && dark(mx, my) ? 0x000000 : 0xFFFFFF);
            }
        }
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(image, "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
