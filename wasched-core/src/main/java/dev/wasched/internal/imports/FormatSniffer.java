package dev.wasched.internal.imports;

import static dev.wasched.contact.imports.ImportFileException.Problem.UNSUPPORTED_FORMAT;

import dev.wasched.contact.imports.ImportFileException;
import dev.wasched.contact.imports.ImportFormat;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Decides from a file's first bytes whether it is an XLSX workbook, CSV text, or something to refuse, and for CSV
 * the character set and separator. Magic bytes decide; a file name's extension is only a hint.
 */
final class FormatSniffer {
    /** How much of the file is looked at. */
    static final int HEAD = 16 * 1024;
    private static final char[] SEPARATORS = {',', ';', '\t', '|'};

    private FormatSniffer() {
    }

    static Detected detect(byte[] head, int n, String name, ImportFormat requested, Charset charset, Character separator) {
        String lowerName = name == null ? "" : name.toLowerCase(Locale.ROOT);
        if (startsWith(head, n, 0x50, 0x4B, 0x03, 0x04)) {
            if (contains(head, n, "mimetypeapplication/vnd.oasis.opendocument")) {
                throw refuse("an OpenDocument file (.ods), not CSV or XLSX: save it as .xlsx or .csv");
            }
            if (requested == ImportFormat.CSV) {
                throw refuse("a ZIP archive (an XLSX workbook?), not CSV text");
            }
            return new Detected(ImportFormat.XLSX, null, 0, ',');
        }
        if (startsWith(head, n, 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1)) {
            throw refuse("a legacy Excel .xls file or a password-protected workbook: save it as .xlsx without a "
                    + "password, or as .csv");
        }
        String binary = binaryKind(head, n);
        if (binary != null) {
            throw refuse(binary + ", not CSV or XLSX");
        }
        if (requested == ImportFormat.XLSX) {
            throw refuse("not an XLSX workbook (those are ZIP archives)");
        }
        Charset cs = charset == null ? StandardCharsets.UTF_8 : charset;
        int skip = 0;
        if (startsWith(head, n, 0xEF, 0xBB, 0xBF)) {
            cs = StandardCharsets.UTF_8;
            skip = 3;
        } else if (startsWith(head, n, 0xFF, 0xFE)) {
            cs = StandardCharsets.UTF_16LE;
            skip = 2;
        } else if (startsWith(head, n, 0xFE, 0xFF)) {
            cs = StandardCharsets.UTF_16BE;
            skip = 2;
        } else if (hasNul(head, n)) {
            throw refuse("binary data, not CSV text");
        }
        String text = decode(head, skip, n - skip, cs);
        String start = text.stripLeading().toLowerCase(Locale.ROOT);
        if (start.startsWith("<!doctype html") || start.startsWith("<html") || start.startsWith("<table")
                || start.startsWith("<?xml")) {
            throw refuse("an HTML or XML document (some tools save these as .xls), not CSV: export as .csv or .xlsx");
        }
        if (lowerName.endsWith(".xlsx") && requested != ImportFormat.CSV) {
            throw refuse("named " + name + " but not an XLSX workbook (those are ZIP archives)");
        }
        char sep = separator != null ? separator : detectSeparator(text, lowerName);
        return new Detected(ImportFormat.CSV, cs, skip, sep);
    }

    /** The separator that occurs most often outside quotes in the first record; ties go to the extension's. */
    static char detectSeparator(String text, String lowerName) {
        int[] counts = new int[SEPARATORS.length];
        boolean quoted = false;
        boolean content = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                quoted = !quoted;
                content = true;
            } else if (!quoted && (c == '\n' || c == '\r')) {
                if (content) {
                    break; // end of the first non-blank record
                }
            } else if (!quoted) {
                content |= !Character.isWhitespace(c);
                for (int s = 0; s < SEPARATORS.length; s++) {
                    if (c == SEPARATORS[s]) {
                        counts[s]++;
                    }
                }
            }
        }
        boolean tsv = lowerName.endsWith(".tsv") || lowerName.endsWith(".tab");
        int best = tsv ? 2 : 0;
        for (int s = 0; s < SEPARATORS.length; s++) {
            if (counts[s] > counts[best]) {
                best = s;
            }
        }
        return SEPARATORS[best];
    }

    private static String binaryKind(byte[] h, int n) {
        if (startsWith(h, n, '%', 'P', 'D', 'F')) {
            return "a PDF document";
        }
        if (startsWith(h, n, 0x89, 'P', 'N', 'G') || startsWith(h, n, 0xFF, 0xD8, 0xFF) || startsWith(h, n, 'G', 'I', 'F', '8')) {
            return "an image";
        }
        if (startsWith(h, n, 0x1F, 0x8B) || startsWith(h, n, 'R', 'a', 'r', '!') || startsWith(h, n, '7', 'z', 0xBC, 0xAF)) {
            return "a compressed archive";
        }
        return null;
    }

    private static boolean hasNul(byte[] h, int n) {
        for (int i = 0; i < n; i++) {
            if (h[i] == 0) {
                return true;
            }
        }
        return false;
    }

    private static String decode(byte[] h, int off, int len, Charset cs) {
        CharsetDecoder d = cs.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        CharBuffer out = CharBuffer.allocate(len + 16);
        d.decode(ByteBuffer.wrap(h, off, Math.max(0, len)), out, false);
        return out.flip().toString();
    }

    private static boolean startsWith(byte[] h, int n, int... magic) {
        if (n < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if ((h[i] & 0xFF) != (magic[i] & 0xFF)) {
                return false;
            }
        }
        return true;
    }

    private static boolean contains(byte[] h, int n, String ascii) {
        byte[] needle = ascii.getBytes(StandardCharsets.US_ASCII);
        outer:
        for (int i = 0; i + needle.length <= n; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (h[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static ImportFileException refuse(String what) {
        return new ImportFileException(UNSUPPORTED_FORMAT, "the file is " + what);
    }
}
