package dev.wasched.internal.imports;

import static dev.wasched.contact.imports.ImportFileException.Problem.EMPTY;
import static dev.wasched.contact.imports.ImportFileException.Problem.UNREADABLE;

import dev.wasched.contact.imports.ImportFileException;
import dev.wasched.contact.imports.ImportFormat;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

/**
 * The file an import reads, on disk: the caller's path, or a private temporary copy of the caller's stream (read
 * once, in chunks) so the file can be checked in full before anything is written and then read again to import.
 */
final class SourceFile implements Closeable {
    private final Path path;
    private final boolean temporary;
    private final Detected detected;
    private final String sheet;

    private SourceFile(Path path, boolean temporary, Detected detected, String sheet) {
        this.path = path;
        this.temporary = temporary;
        this.detected = detected;
        this.sheet = sheet;
    }

    /** Opens (copying a stream first), then looks at the first bytes to decide the format. */
    static SourceFile open(ImportRequest r, BooleanSupplier cancelled) throws IOException {
        Path p = r.file();
        boolean temp = false;
        if (p == null) {
            p = spool(r.stream(), cancelled);
            temp = true;
        }
        try {
            byte[] head;
            try (InputStream in = Files.newInputStream(p)) {
                head = in.readNBytes(FormatSniffer.HEAD);
            }
            if (head.length == 0) {
                throw new ImportFileException(EMPTY, "the file is empty (0 bytes)");
            }
            Detected d = FormatSniffer.detect(head, head.length, r.sourceName(), r.format(), r.charset(), r.separator());
            return new SourceFile(p, temp, d, r.sheet());
        } catch (IOException | RuntimeException e) {
            if (temp) {
                Files.deleteIfExists(p);
            }
            throw e;
        }
    }

    private static Path spool(InputStream stream, BooleanSupplier cancelled) throws IOException {
        // Contacts are personal data: the copy is readable by this user only, where the file system can say so.
        Path p = FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
                ? Files.createTempFile("wasched-import-", ".part",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                : Files.createTempFile("wasched-import-", ".part");
        try (InputStream in = stream; OutputStream out = Files.newOutputStream(p)) {
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = in.read(buf)) >= 0; ) {
                if (cancelled.getAsBoolean()) {
                    throw new CancellationException();
                }
                out.write(buf, 0, n);
            }
        } catch (IOException e) {
            Files.deleteIfExists(p);
            throw new ImportFileException(UNREADABLE, -1, "the stream could not be read: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            Files.deleteIfExists(p);
            throw e;
        }
        return p;
    }

    Detected detected() {
        return detected;
    }

    ImportFormat format() {
        return detected.format();
    }

    /** A fresh reader from the first row. */
    RowReader openReader() throws IOException {
        return detected.format() == ImportFormat.XLSX ? new XlsxRowReader(path, sheet) : new CsvRowReader(path, detected);
    }

    @Override
    public void close() throws IOException {
        if (temporary) {
            Files.deleteIfExists(path);
        }
    }
}
