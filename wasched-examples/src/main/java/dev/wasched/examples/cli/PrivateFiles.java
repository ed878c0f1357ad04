package dev.wasched.examples.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Files only their owner may read: keys and login QR codes. Directories the CLI creates are 0700 and files 0600,
 * whatever the umask; a file appears complete or not at all.
 */
final class PrivateFiles {
    static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private PrivateFiles() {
    }

    /** Creates the missing directories up to {@code dir}, each 0700; existing ones are left as they are. */
    static void createDirectories(Path dir) throws IOException {
        List<Path> missing = new ArrayList<>();
        for (Path p = dir.toAbsolutePath().normalize(); p != null && !Files.isDirectory(p); p = p.getParent()) {
            missing.add(0, p);
        }
        for (Path p : missing) {
            try {
                Files.createDirectory(p);
                if (posix(p)) {
                    Files.setPosixFilePermissions(p, DIRECTORY);
                }
            } catch (FileAlreadyExistsException e) {
                if (!Files.isDirectory(p)) {
                    throw e;
                }
            }
        }
    }

    /** Writes {@code data} to a new 0600 file beside {@code target}, then moves it over {@code target} at once. */
    static void replace(Path target, byte[] data) throws IOException {
        Path temp = written(target, data);
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * Creates {@code target} with {@code data}, 0600, unless it exists: then it is left untouched and the answer is
     * false. The name appears only once the content is complete (a hard link to a finished file; where the file
     * system has none, a move that does not replace).
     */
    static boolean createNew(Path target, byte[] data) throws IOException {
        Path temp = written(target, data);
        try {
            try {
                Files.createLink(target, temp);
            } catch (UnsupportedOperationException e) {
                Files.move(temp, target);
            }
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Whether users other than the owner have any access to {@code p} (false where there are no POSIX modes). */
    static boolean openToOthers(Path p) throws IOException {
        return posix(p) && Files.getPosixFilePermissions(p).stream().anyMatch(x -> !x.name().startsWith("OWNER_"));
    }

    private static Path written(Path target, byte[] data) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        createDirectories(dir);
        // createTempFile makes the file 0600 on POSIX systems; set it again in case the platform is lax
        Path temp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
        try {
            if (posix(temp)) {
                Files.setPosixFilePermissions(temp, FILE);
            }
            try (OutputStream out = Files.newOutputStream(temp, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.SYNC)) {
                out.write(data);
            }
            return temp;
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
    }

    private static boolean posix(Path p) {
        return p.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
