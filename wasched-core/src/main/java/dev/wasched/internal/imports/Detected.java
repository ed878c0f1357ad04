package dev.wasched.internal.imports;

import dev.wasched.contact.imports.ImportFormat;
import java.nio.charset.Charset;

/**
 * What the first bytes of a file tell: its format and, for CSV, how to decode it.
 *
 * @param skipBytes bytes of byte-order mark to skip before decoding
 * @param separator the CSV separator
 */
record Detected(ImportFormat format, Charset charset, int skipBytes, char separator) {
}
