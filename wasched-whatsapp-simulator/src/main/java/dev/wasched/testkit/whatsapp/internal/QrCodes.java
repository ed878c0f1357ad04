package dev.wasched.testkit.whatsapp.internal;

import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import com.google.zxing.qrcode.encoder.ByteMatrix;
import com.google.zxing.qrcode.encoder.Encoder;
import java.util.Map;

/** Encodes QR payloads into module matrices the page draws on its canvas. */
public final class QrCodes {

    /**
     * The modules of one QR code, row by row, without quiet zone.
     *
     * @param size modules per side
     * @param bits {@code size*size} characters, {@code '1'} for a dark module
     */
    public record Matrix(int size, String bits) {
    }

    private QrCodes() {
    }

    /**
     * @param payload text to encode
     * @return the module matrix (error correction level L, as WhatsApp Web uses)
     */
    public static Matrix encode(String payload) {
        try {
            ByteMatrix m = Encoder.encode(payload, ErrorCorrectionLevel.L,
                    Map.of(EncodeHintType.CHARACTER_SET, "UTF-8")).getMatrix();
            StringBuilder bits = new StringBuilder(m.getWidth() * m.getHeight());
            for (int y = 0; y < m.getHeight(); y++) {
                for (int x = 0; x < m.getWidth(); x++) {
                    bits.append(m.get(x, y) == 1 ? '1' : '0');
                }
            }
            return new Matrix(m.getWidth(), bits.toString());
        } catch (WriterException e) {
            throw new IllegalStateException("cannot encode QR payload of length " + payload.length(), e);
        }
    }
}
